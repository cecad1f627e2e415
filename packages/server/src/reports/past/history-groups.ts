import { factFieldNames } from '../report-task.ts';

/** The four groups a task's context is kept in by the plan's history (`plan_history`). */
export type HistoryGroup = 'plan' | 'standing' | 'progress' | 'detail';
export const HISTORY_GROUPS: readonly HistoryGroup[] = ['plan', 'standing', 'progress', 'detail'];

/** The plan's fields: the task's input as imported, amended and reassigned. */
export const PLAN_FIELDS: ReadonlySet<string> = new Set<string>([
  'planId', 'number', 'part', 'measure', 'text', 'leadUnits', 'responsibleUnits', 'collectives', 'deadline', 'graceFrom', 'warningLeadDays', 'escalateAfterDays', 'maxRejections', 'addition',
]);

/** The standing: what the summary, the assessment, the circular and the diffs read, besides the plan's fields, and what the fold's actions count. */
const STANDING_FIELDS: ReadonlySet<string> = new Set<string>([
  ...factFieldNames.filter((field) => !PLAN_FIELDS.has(field)),
  'rejectionsSinceInterview', 'urges', 'interviews', 'extensions', 'startedAt', 'overdueSince',
]);

/** The group a context field is kept in. Pure. */
export function historyGroupOf(field: string): HistoryGroup {
  return PLAN_FIELDS.has(field) ? 'plan' : STANDING_FIELDS.has(field) ? 'standing' : field === 'lastProgress' ? 'progress' : 'detail';
}
