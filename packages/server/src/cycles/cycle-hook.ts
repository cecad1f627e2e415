import type { CommitHook, InstanceRecord, StoreTransaction } from '@duban/engine';
import type { ReformTaskContext, ReportingCycleContext } from '@duban/reform-task';
import { cycleByKey } from '@duban/reform-task';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import { writeNotices } from '../notifications/notification-hook.ts';
import type { Part } from './cycle-parts.ts';
import { owingParts, partKey, REPORTING_TYPES } from './cycle-parts.ts';
import { collectiveNames, planTasks, reportsInWindow } from './cycle-queries.ts';

/**
 * The engine's commit hook for reporting cycles, in the transition's own transaction: a task entry that
 * counts as a unit's report is recorded in `cycle_report` (so who reported in a cycle is one indexed
 * query); a cycle's REMIND writes a reminder to each unit with a part not yet reported; its CYCLE_DUE
 * records the closed cycle in `cycle_part` (every owing part, reported or 未报) and writes a 催报 notice to
 * each unit with a part not reported. A timer fires once, so each notice is written once (and UNIQUE
 * (entry_seq, unit) holds it even if not). `next` runs after it. Does IO only through `tx`.
 */
export function cycleHook(next?: CommitHook): CommitHook {
  return async (tx, committed) => {
    const { instance, entry } = committed;
    const db = tx.kysely as Kysely<ServerDatabase>;
    if (instance.workflowId === 'reform-task' && REPORTING_TYPES.includes(entry.type) && entry.actor.role === 'unit' && entry.actor.unit !== null) {
      const task = instance.snapshot.context as ReformTaskContext;
      await db
        .insertInto('cycle_report')
        .values({ entry_seq: entry.seq, plan_id: task.planId, task_id: instance.id, unit: entry.actor.unit, at: entry.at })
        .onConflict((conflict) => conflict.column('entry_seq').doNothing())
        .execute();
    }
    if (instance.workflowId === 'reporting-cycle' && (entry.type === 'REMIND' || entry.type === 'CYCLE_DUE')) {
      await cycleNotices(tx, db, instance, entry.type, (entry.payload as { cycle: string }).cycle, entry.seq, entry.at);
    }
    await next?.(tx, committed);
  };
}

async function cycleNotices(tx: StoreTransaction, db: Kysely<ServerDatabase>, instance: InstanceRecord, type: 'REMIND' | 'CYCLE_DUE', key: string, seq: number, at: string): Promise<void> {
  const { planId, settings } = instance.snapshot.context as ReportingCycleContext;
  const cycle = settings === null ? undefined : cycleByKey(settings, key);
  if (cycle === undefined) return;
  // The plan's tasks as this transaction leaves them (a batch's earlier transitions included).
  await tx.settle();
  const parts = owingParts(await planTasks(tx.kysely, planId), await collectiveNames(db));
  const reported = await reportsInWindow(db, planId, cycle.opensAt, cycle.dueAt);
  if (type === 'CYCLE_DUE' && parts.length > 0) {
    const dueAt = new Date(cycle.dueAt).toISOString();
    await db
      .insertInto('cycle_part')
      .values(parts.map((part) => ({ plan_id: planId, cycle_key: key, task_id: part.taskId, unit: part.unit, lead: part.lead ? 1 : 0, due_at: dueAt, due_seq: seq, reported_seq: reported.get(partKey(part.taskId, part.unit))?.seq ?? null })))
      .onConflict((conflict) => conflict.columns(['plan_id', 'cycle_key', 'task_id', 'unit']).doNothing())
      .execute();
  }
  const missing = new Map<string, Part[]>();
  for (const part of parts) {
    if (reported.has(partKey(part.taskId, part.unit))) continue;
    const owed = missing.get(part.unit);
    if (owed === undefined) missing.set(part.unit, [part]);
    else owed.push(part);
  }
  const notices = [...missing].map(([unit, owed]) => {
    const list = owed.map((part) => `第${part.number}项`).join('、');
    const [title, body] =
      type === 'REMIND'
        ? [`【报送提醒】请于${cycle.dueDate}前报送进展`, `本期（${key}）报送截止日为${cycle.dueDate}，贵单位尚有${owed.length}项任务未报送进展：${list}。`]
        : [`【催报】${key}期进展未按时报送`, `本期（${key}）报送已于${cycle.dueDate}截止，贵单位有${owed.length}项任务未报送进展：${list}。请立即报送。`];
    return { unit, task_id: owed.length === 1 ? owed[0]!.taskId : '', entry_seq: seq, type, title, body, created_at: at, acknowledged_at: null };
  });
  await writeNotices(db, notices, at);
}
