import { foldText } from './fold-text.ts';
import { trimEndChars } from './trim-end-chars.ts';

/** What a label introduces: lead units, responsible (supporting) units, or the deadline. */
export type LabelRole = 'lead' | 'responsible' | 'deadline';

/** A label and the value written after it, both as written. */
export interface LabelField {
  role: LabelRole;
  label: string;
  value: string;
}

// Longest first, so 牵头责任单位 wins over 牵头 and 责任单位 at the same position.
const LABELS: ReadonlyArray<readonly [string, LabelRole]> = [
  ['牵头责任单位', 'lead'], ['牵头单位', 'lead'], ['牵头部门', 'lead'], ['主责单位', 'lead'],
  ['主责部门', 'lead'], ['负责单位', 'lead'], ['负责部门', 'lead'], ['牵头', 'lead'],
  ['责任单位', 'responsible'], ['责任部门', 'responsible'], ['配合单位', 'responsible'],
  ['配合部门', 'responsible'], ['协办单位', 'responsible'], ['协办部门', 'responsible'],
  ['参与单位', 'responsible'], ['参与部门', 'responsible'], ['参加单位', 'responsible'],
  ['协同单位', 'responsible'], ['协同部门', 'responsible'], ['协作单位', 'responsible'],
  ['完成时限', 'deadline'], ['完成时间', 'deadline'], ['完成期限', 'deadline'],
  ['时间节点', 'deadline'], ['时限要求', 'deadline'], ['时间要求', 'deadline'],
  ['截止时间', 'deadline'], ['截止日期', 'deadline'], ['完成日期', 'deadline'], ['时限', 'deadline'],
];

const ROLE_BY_LABEL = new Map<string, LabelRole>(LABELS);
const LABEL_ALTERNATION = LABELS.map(([label]) => label).join('|');

// A label is either set in brackets of its own (【牵头单位】X), or followed by a colon and
// preceded by the start, a space or a mark, so that "审批时限：3个工作日" inside a task's text
// is not read as a deadline.
const LABEL_PATTERN = `(?:〔\\s*(${LABEL_ALTERNATION})\\s*〕\\s*：?|(?<=^|[\\s。；，、：（〔）〕.])(${LABEL_ALTERNATION})\\s*：)`;

const LINE_START = new RegExp(`^[（〔]?\\s*${LABEL_PATTERN}`);

/** True when a (folded) line begins with a label, possibly inside an opening bracket: `（牵头单位：…`. */
export function startsWithLabel(folded: string): boolean {
  return LINE_START.test(folded);
}

/**
 * Every label in `text` with the value up to the next label. `before` is the text ahead of the
 * first label (as written). Values are trimmed of surrounding spaces and of the separators
 * (；，。) written between fields. Works on any punctuation width and on traditional characters.
 */
export function findLabelFields(text: string): { before: string; fields: LabelField[] } {
  const folded = foldText(text);
  const pattern = new RegExp(LABEL_PATTERN, 'g');
  const matches = [...folded.matchAll(pattern)];
  const first = matches[0];
  if (!first) return { before: text, fields: [] };
  const fields = matches.map((match, index) => {
    const label = match[1] ?? match[2] ?? '';
    const start = match.index + match[0].length;
    const end = matches[index + 1]?.index ?? text.length;
    return {
      role: ROLE_BY_LABEL.get(label) ?? 'responsible',
      label: text.slice(match.index, match.index + match[0].length).replace(/[\s：:〔〕【】［］[\]]+/g, ''),
      value: trimFieldValue(text.slice(start, end)),
    };
  });
  return { before: text.slice(0, first.index), fields };
}

/** A field value without surrounding spaces and the separators written between fields. */
export function trimFieldValue(value: string): string {
  return trimEndChars(value.trimStart(), '；;，,。');
}
