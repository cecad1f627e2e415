import type { LabelField } from './find-label-fields.ts';
import { foldText } from './fold-text.ts';
import { readDeadline } from './read-deadline.ts';
import { looksLikeClause, splitUnitList } from './split-unit-list.ts';

// Matched on text whose end is trimmed: `\s*…\s*$` around an optional mark backtracks quadratically.
const TRAILING_BRACKET = /[（〔]([^（）〔〕]*)[）〕] {0,3}([。；.]?)$/;
const LEAD_SUFFIX = /(?:牵头负责|牵头落实|牵头实施|牵头)$/;
const RESPONSIBLE_SUFFIX = /(?:按职责分工负责|按职责分工落实|按职能分工负责|按职责负责|按职责落实|分别负责|共同负责|配合落实|配合|参与|协同|协助)$/;
const PLAIN_SUFFIX = /(?:负责落实|负责)$/;
const MAX_CONTENT = 300;

/**
 * Reads an unlabelled unit bracket at the end of a task's text, such as
 * "（市发改委、市财政局牵头，各区人民政府按职责分工负责，6月底前完成）" or "（市医保局负责）".
 * Units before 牵头 lead; units before 按职责分工负责/配合/参与 are responsible; units before a
 * plain 负责 lead unless the bracket also names a 牵头 unit. Null when the bracket is anything
 * else (every clause must be units with a role word, or a deadline).
 */
export function extractUnitBracket(written: string): { text: string; fields: LabelField[] } | null {
  const folded = foldText(written.trimEnd());
  const bracket = TRAILING_BRACKET.exec(folded);
  const content = bracket?.[1] ?? '';
  if (!bracket || content.trim() === '' || content.length > MAX_CONTENT) return null;
  const innerStart = bracket.index + 1;
  const fields = readUnitClauses(written.slice(innerStart, innerStart + content.length));
  if (!fields) return null;
  const punctuation = bracket[2] ? written.charAt(folded.lastIndexOf(bracket[2])) : '';
  return { text: written.slice(0, bracket.index).trimEnd() + punctuation, fields };
}

/**
 * Reads unlabelled unit clauses such as "市发改委、市财政局牵头，各区人民政府按职责分工负责，6月底前完成"
 * (the inside of a bracket, a line of its own, or the last sentence of a task): each clause is
 * units with a role word, or a deadline. Null when any clause is something else, or no clause
 * names a unit. A trailing 。 or ； is allowed.
 */
export function readUnitClauses(written: string): LabelField[] | null {
  const trimmed = written.trim().replace(/[。；;.]$/, '');
  const folded = foldText(trimmed);
  if (folded === '' || folded.length > MAX_CONTENT) return null;
  const clauses = alignedClauses(trimmed, folded);
  const hasLead = clauses.some(({ folded: clause }) => LEAD_SUFFIX.test(clause));
  const fields: LabelField[] = [];
  let pending: string[] = [];
  for (const clause of clauses) {
    const role = roleOf(clause.folded, hasLead);
    if (role) {
      const units = clause.written.slice(0, clause.written.length - role.suffixLength).replace(/^由/, '');
      if (splitUnitList(units).some(looksLikeClause)) return null;
      fields.push({ role: role.role, label: role.label, value: [...pending, units].filter(Boolean).join('、') });
      pending = [];
    } else if (readDeadline(clause.written, null).recognized) {
      fields.push({ role: 'deadline', label: '', value: clause.written });
    } else {
      pending.push(clause.written);
    }
  }
  if (pending.length > 0 || !fields.some((field) => field.role !== 'deadline' && field.value !== '')) return null;
  return fields;
}

function roleOf(clause: string, hasLead: boolean): { role: 'lead' | 'responsible'; label: string; suffixLength: number } | null {
  const lead = LEAD_SUFFIX.exec(clause);
  if (lead) return { role: 'lead', label: lead[0], suffixLength: lead[0].length };
  const responsible = RESPONSIBLE_SUFFIX.exec(clause);
  if (responsible) return { role: 'responsible', label: responsible[0], suffixLength: responsible[0].length };
  const plain = PLAIN_SUFFIX.exec(clause);
  if (plain) return { role: hasLead ? 'responsible' : 'lead', label: plain[0], suffixLength: plain[0].length };
  return null;
}

function alignedClauses(written: string, folded: string): Array<{ written: string; folded: string }> {
  const clauses: Array<{ written: string; folded: string }> = [];
  let start = 0;
  for (const separator of folded.matchAll(/[，；]/g)) {
    clauses.push({ written: written.slice(start, separator.index), folded: folded.slice(start, separator.index) });
    start = separator.index + 1;
  }
  clauses.push({ written: written.slice(start), folded: folded.slice(start) });
  return clauses
    .map(({ written: clause, folded: foldedClause }) => {
      const lead = clause.length - clause.trimStart().length;
      const trimmed = clause.trim();
      return { written: trimmed, folded: foldedClause.slice(lead, lead + trimmed.length) };
    })
    .filter((clause) => clause.written !== '');
}
