import type { ScheduleContext } from '@duban/reform-task';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import type { PartTask } from './cycle-parts.ts';

/** A unit's first report in a window: its entry's seq and time. */
export interface FirstReport {
  readonly seq: number;
  readonly at: string;
}

/**
 * The first report of each part (task, unit) of plan `planId` (of its task `taskId` only, when given)
 * in the window `[opensAt, dueAt)`, by `partKey`: one indexed query over `cycle_report`. Does IO.
 */
export async function reportsInWindow(db: Kysely<ServerDatabase>, planId: string, opensAt: number, dueAt: number, taskId?: string): Promise<Map<string, FirstReport>> {
  let select = db
    .selectFrom('cycle_report')
    .select(['task_id', 'unit', 'entry_seq', 'at'])
    .where('plan_id', '=', planId)
    .where('at', '>=', new Date(opensAt).toISOString())
    .where('at', '<', new Date(dueAt).toISOString());
  if (taskId !== undefined) select = select.where('task_id', '=', taskId);
  const rows = await select.orderBy('entry_seq').execute();
  const first = new Map<string, FirstReport>();
  for (const row of rows) {
    const key = `${row.task_id}\u0000${row.unit}`;
    if (!first.has(key)) first.set(key, { seq: Number(row.entry_seq), at: row.at });
  }
  return first;
}

/**
 * The reform tasks of plan `planId` as stored, read with `db` (a transaction's, inside a hook): ids are
 * `<planId>.<number>`, so the range after `<planId>.` is the plan's (other plans sharing the prefix are
 * left out by their context); only the task `only` when given. Does IO.
 */
export async function planTasks(db: Kysely<any>, planId: string, only?: string): Promise<PartTask[]> {
  let select = db.selectFrom('workflow_instance').select(['id', 'snapshot']).where('workflow_id', '=', 'reform-task');
  select = only === undefined ? select.where('id', '>', `${planId}.`).where('id', '<', `${planId}/`) : select.where('id', '=', only);
  const rows: { id: string; snapshot: string }[] = await select.orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, snapshot: JSON.parse(row.snapshot) as PartTask['snapshot'] })).filter((task) => task.snapshot.context.planId === planId);
}

/** The registry's collective names (各区人民政府, 市级各有关部门), read with `db` (a transaction's, inside a hook). Does IO. */
export async function collectiveNames(db: Kysely<ServerDatabase>): Promise<Set<string>> {
  const rows = await db.selectFrom('unit').select('name').where('kind', '=', 'collective').execute();
  return new Set(rows.map((row) => row.name));
}

/**
 * The tasks' own schedules of plan `planId` (instances `cycles:<planId>#<number>`, set or cleared), read
 * with `db` (a transaction's, inside a hook): one range over the instances' ids (`#` is never in a plan id). Does IO.
 */
export async function taskSchedules(db: Kysely<any>, planId: string): Promise<ScheduleContext[]> {
  const rows: { snapshot: string }[] = await db
    .selectFrom('workflow_instance')
    .select('snapshot')
    .where('workflow_id', '=', 'reporting-cycle')
    .where('id', '>', `cycles:${planId}#`)
    .where('id', '<', `cycles:${planId}$`)
    .execute();
  return rows.map((row) => (JSON.parse(row.snapshot) as { context: ScheduleContext }).context).filter((context) => context.planId === planId && context.taskId !== null);
}

/** The tasks of `schedules` that have their own settings: the plan's schedule does not judge them. Pure. */
export const overriddenTasks = (schedules: readonly ScheduleContext[]): Set<string> => new Set(schedules.filter((schedule) => schedule.settings !== null).map((schedule) => schedule.taskId!));
