import { foldPunctuation } from './fold-text.ts';
import { trimEndChars } from './trim-end-chars.ts';

const SEPARATORS = /[、，；\/／\s]+/;
// "X等市级各有关部门" names X and a collective; "X等部门" names only X.
const COLLECTIVE_TAIL = /各|有关|相关|成员/;
const VAGUE_TAIL = /^(?:部门|单位|机构|相关部门|相关单位)$/;

/**
 * The unit names in a written list such as "各区人民政府，市住建局、市税务局等市级各有关部门":
 * split on 、，；/ and spaces (any width), "X等<collective>" split into X and the collective,
 * a leading 由 and trailing 。 dropped, punctuation made fullwidth, duplicates removed.
 */
export function splitUnitList(list: string): string[] {
  const names: string[] = [];
  for (const piece of foldPunctuation(list).split(SEPARATORS)) {
    for (const name of splitAtDeng(cleanPiece(piece))) {
      if (name !== '' && !names.includes(name)) names.push(name);
    }
  }
  return names;
}

function cleanPiece(piece: string): string {
  return trimEndChars(piece.replace(/^由/, ''), '。.').trim();
}

function splitAtDeng(piece: string): string[] {
  const match = /^(.+?)等(.*)$/.exec(piece);
  if (!match) return [piece];
  const [, named = '', tail = ''] = match;
  if (tail === '' || VAGUE_TAIL.test(tail)) return [named];
  if (COLLECTIVE_TAIL.test(tail)) return [named, tail];
  return [piece];
}

// Words that open a clause of a sentence, never a unit's name.
const CLAUSE_START = /^(?:确保|完成|推进|加强|实现|开展|建立|做好|力争|逐步|进一步|并|要|于|在|按照|根据|同时|其中|对|将)/;

/**
 * True when a piece of a unit list reads as a clause of the task's sentence rather than a unit:
 * it ends a sentence, is longer than any unit name, or opens with a verb or a conjunction.
 */
export function looksLikeClause(name: string): boolean {
  const folded = foldPunctuation(name);
  return /[。！？]/.test(folded) || folded.length > 40 || CLAUSE_START.test(folded) || /要$/.test(folded);
}
