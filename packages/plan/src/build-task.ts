import { extractInlineFields } from './extract-inline-fields.ts';
import { extractUnitBracket, readUnitClauses } from './extract-unit-bracket.ts';
import type { LabelField } from './find-label-fields.ts';
import type { PlanTask, PlanWarning } from './plan-schema.ts';
import { findSentenceDeadline, readDeadline } from './read-deadline.ts';
import { readUnitFields } from './read-unit-fields.ts';
import type { UnknownUnitAt } from './read-unit-fields.ts';
import type { UnitRegistry } from './unit-registry.ts';

/** Where a task sits and what it needs to resolve names and dates. */
export interface TaskContext {
  part: string | null;
  measure: string | null;
  year: number | null;
  units: UnitRegistry;
}

/** A labelled field together with the line it was written on. */
export interface FieldAt extends LabelField {
  line: number;
}

/** A task as gathered from the document, before its units and deadline are read. */
export interface TaskDraft {
  number: number;
  /** The line of the task's number. */
  line: number;
  text: string;
  /** The last line of the task's text; inline fields are reported there. */
  textLine: number;
  fields: FieldAt[];
}

/**
 * Turns a gathered task into a `PlanTask`: splits fields written inline in its text (labelled,
 * an unlabelled unit bracket, or a last sentence such as "市发改委牵头，市财政局配合。" when no
 * label names any unit), splits and resolves unit lists, reads the deadline (from its field, from
 * a time clause of a unit list, else from the sentence: "…，6月底前完成。"), and reports what it
 * could not read. `unknown` lists the unit names the registry does not know.
 */
export function buildTask(draft: TaskDraft, context: TaskContext): { task: PlanTask; warnings: PlanWarning[]; unknown: UnknownUnitAt[] } {
  const warnings: PlanWarning[] = [];
  const warn = (line: number, message: string): void => {
    warnings.push({ line, message });
  };
  const name = `第${draft.number}项`;
  let text = draft.text;
  const fields = [...draft.fields];
  const inline = extractInlineFields(text);
  if (inline.fields.length > 0) {
    text = inline.text;
    for (const field of inline.fields) fields.push({ ...field, line: draft.textLine });
  }
  if (!fields.some(namesUnits)) {
    const found = extractUnitBracket(text) ?? lastSentenceUnits(text);
    if (found) {
      text = found.text;
      for (const field of found.fields) fields.push({ ...field, line: draft.textLine });
    }
  }

  const units = readUnitFields(fields, context.units, name);
  warnings.push(...units.warnings);
  const { leadUnits, responsibleUnits } = units;

  const deadlineFields = [...fields.filter((field) => field.role === 'deadline'), ...units.deadlines];
  const [deadlineField, ...extraDeadlines] = deadlineFields;
  const inSentence = deadlineField ? null : findSentenceDeadline(text);
  const reading = readDeadline(deadlineField?.value ?? inSentence ?? '', context.year);
  if (reading.problem && (deadlineField || inSentence)) warn(deadlineField?.line ?? draft.textLine, `${name}：${reading.problem}`);
  for (const extra of extraDeadlines) {
    warn(extra.line, `${name}写了不止一个完成时限，采用第一个“${reading.deadline.text}”，忽略“${extra.value}”`);
  }

  if (text.trim() === '') warn(draft.line, `${name}没有任务内容`);
  if (leadUnits.length === 0 && responsibleUnits.length === 0) {
    warn(draft.line, `${name}没有写牵头单位或责任单位`);
  } else if (leadUnits.length === 0) {
    warn(draft.line, `${name}没有写牵头单位（只写了责任单位：${responsibleUnits.join('、')}）`);
  }
  return {
    task: {
      number: draft.number,
      part: context.part,
      measure: context.measure,
      text: text.trim(),
      leadUnits,
      responsibleUnits,
      deadline: reading.deadline,
    },
    warnings,
    unknown: units.unknown,
  };
}

function namesUnits(field: LabelField): boolean {
  return field.role !== 'deadline';
}

/** "推进改革。市发改委牵头，市财政局配合。": the last sentence as unit clauses, cut from the text. */
function lastSentenceUnits(text: string): { text: string; fields: LabelField[] } | null {
  const trimmed = text.trimEnd();
  const body = trimmed.replace(/[。；;.]$/, '');
  const cut = Math.max(body.lastIndexOf('。'), body.lastIndexOf('；'), body.lastIndexOf(';'));
  if (cut === -1) return null;
  const fields = readUnitClauses(body.slice(cut + 1));
  return fields ? { text: trimmed.slice(0, cut + 1), fields } : null;
}
