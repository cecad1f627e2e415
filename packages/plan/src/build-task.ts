import { extractInlineFields } from './extract-inline-fields.ts';
import { extractUnitBracket } from './extract-unit-bracket.ts';
import type { LabelField } from './find-label-fields.ts';
import type { PlanTask, PlanWarning } from './plan-schema.ts';
import { readDeadline } from './read-deadline.ts';
import { splitUnitList } from './split-unit-list.ts';
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
 * or an unlabelled unit bracket when no label names any unit), splits and resolves unit lists,
 * reads the deadline, and reports what it could not read.
 */
export function buildTask(draft: TaskDraft, context: TaskContext): { task: PlanTask; warnings: PlanWarning[] } {
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
    const bracket = extractUnitBracket(text);
    if (bracket) {
      text = bracket.text;
      for (const field of bracket.fields) fields.push({ ...field, line: draft.textLine });
    }
  }

  const unitsOf = (role: 'lead' | 'responsible'): string[] => {
    const names: string[] = [];
    for (const field of fields.filter((candidate) => candidate.role === role)) {
      const listed = splitUnitList(field.value).map((unit) => context.units.canonical(unit));
      if (listed.length === 0) warn(field.line, `${name}的“${field.label}”后没有单位名称`);
      for (const unit of listed) if (!names.includes(unit)) names.push(unit);
    }
    return names;
  };
  const leadUnits = unitsOf('lead');
  const responsibleUnits = unitsOf('responsible');

  const deadlineFields = fields.filter((field) => field.role === 'deadline');
  const [deadlineField, ...extraDeadlines] = deadlineFields;
  const reading = readDeadline(deadlineField?.value ?? '', context.year);
  if (deadlineField && reading.problem) warn(deadlineField.line, `${name}：${reading.problem}`);
  for (const extra of extraDeadlines) {
    warn(extra.line, `${name}写了不止一个完成时限，采用第一个“${reading.deadline.text}”，忽略“${extra.value}”`);
  }

  if (text.trim() === '') warn(draft.line, `${name}没有任务内容`);
  if (leadUnits.length === 0 && responsibleUnits.length === 0) {
    warn(draft.line, `${name}没有写牵头单位或责任单位`);
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
  };
}

function namesUnits(field: LabelField): boolean {
  return field.role !== 'deadline';
}
