import type { CommitHook, InstanceRecord, StoreTransaction } from '@duban/engine';
import type { ReformTaskContext, ReportingCycleContext } from '@duban/reform-task';
import { cycleByKey, scheduleTask } from '@duban/reform-task';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import { writeNotices } from '../notifications/notification-hook.ts';
import type { Part } from './cycle-parts.ts';
import { owingParts, partKey, REPORTING_TYPES } from './cycle-parts.ts';
import { collectiveNames, overriddenTasks, planTasks, reportsInWindow, taskSchedules } from './cycle-queries.ts';

/**
 * The engine's commit hook for reporting cycles, in the transition's own transaction: a task entry that
 * counts as a unit's report is recorded in `cycle_report` (so who reported in a cycle is one indexed
 * query); a cycle's REMIND writes a reminder to each unit with a part not yet reported; its CYCLE_DUE
 * records the closed cycle in `cycle_part` (every owing part, reported or 未报) and writes a 催报 notice to
 * each unit with a part not reported. A schedule judges its own parts only: a task's own schedule
 * (`cycles:<planId>#<number>`) that task's, the plan's every other task of the plan. A timer fires once, so each notice is written once (and UNIQUE
 * (entry_seq, unit) holds it even if not). `next` runs after it. Does IO only through `tx`.
 */
export function cycleHook(next?: CommitHook): CommitHook {
  return async (tx, committed) => {
    const { instance, entry } = committed;
    const db = tx.kysely as Kysely<ServerDatabase>;
    if (instance.workflowId === 'reform-task' && REPORTING_TYPES.includes(entry.type) && entry.actor.role === 'unit' && entry.actor.unit !== null) {
      const task = instance.snapshot.context as ReformTaskContext;
      // Written on every report, so as SQL text rather than a query builder, which builds and compiles it anew each time.
      await sql`INSERT INTO cycle_report (entry_seq, plan_id, task_id, unit, at) VALUES (${entry.seq}, ${task.planId}, ${instance.id}, ${entry.actor.unit}, ${entry.at}) ON CONFLICT (entry_seq) DO NOTHING`.execute(db);
    }
    if (instance.workflowId === 'reporting-cycle' && (entry.type === 'REMIND' || entry.type === 'CYCLE_DUE')) {
      await cycleNotices(tx, db, instance, entry.type, (entry.payload as { cycle: string }).cycle, entry.seq, entry.at);
    }
    await next?.(tx, committed);
  };
}

async function cycleNotices(tx: StoreTransaction, db: Kysely<ServerDatabase>, instance: InstanceRecord, type: 'REMIND' | 'CYCLE_DUE', key: string, seq: number, at: string): Promise<void> {
  const context = instance.snapshot.context as ReportingCycleContext;
  const { planId, settings } = context;
  const cycle = settings === null ? undefined : cycleByKey(settings, key);
  if (cycle === undefined) return;
  const taskId = scheduleTask(context);
  // The plan's tasks as this transaction leaves them (a batch's earlier transitions included).
  await tx.settle();
  let tasks = await planTasks(tx.kysely, planId, taskId ?? undefined);
  if (taskId === null) {
    const own = overriddenTasks(await taskSchedules(tx.kysely, planId));
    if (own.size > 0) tasks = tasks.filter((task) => !own.has(task.id));
  }
  const parts = owingParts(tasks, await collectiveNames(db));
  const reported = await reportsInWindow(db, planId, cycle.opensAt, cycle.dueAt, taskId ?? undefined);
  if (type === 'CYCLE_DUE' && parts.length > 0) {
    const dueAt = new Date(cycle.dueAt).toISOString();
    await db
      .insertInto('cycle_part')
      .values(parts.map((part) => ({ plan_id: planId, schedule: taskId === null ? ('plan' as const) : ('task' as const), cycle_key: key, task_id: part.taskId, unit: part.unit, lead: part.lead ? 1 : 0, due_at: dueAt, due_seq: seq, reported_seq: reported.get(partKey(part.taskId, part.unit))?.seq ?? null })))
      .onConflict((conflict) => conflict.columns(['plan_id', 'schedule', 'cycle_key', 'task_id', 'unit']).doNothing())
      .execute();
  }
  const missing = new Map<string, Part[]>();
  for (const part of parts) {
    if (reported.has(partKey(part.taskId, part.unit))) continue;
    const owed = missing.get(part.unit);
    if (owed === undefined) missing.set(part.unit, [part]);
    else owed.push(part);
  }
  // A task's own schedule says so: its due day differs from the plan's.
  const period = taskId === null ? key : `${key}，该任务单独设定的报送周期`;
  const notices = [...missing].map(([unit, owed]) => {
    const list = owed.map((part) => `第${part.number}项`).join('、');
    const [title, body] =
      type === 'REMIND'
        ? [`【报送提醒】请于${cycle.dueDate}前报送进展`, `本期（${period}）报送截止日为${cycle.dueDate}，贵单位尚有${owed.length}项任务未报送进展：${list}。`]
        : [`【催报】${key}期进展未按时报送`, `本期（${period}）报送已于${cycle.dueDate}截止，贵单位有${owed.length}项任务未报送进展：${list}。请立即报送。`];
    return { unit, task_id: owed.length === 1 ? owed[0]!.taskId : '', entry_seq: seq, type, title, body, created_at: at, acknowledged_at: null };
  });
  await writeNotices(db, notices, at);
}
