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
