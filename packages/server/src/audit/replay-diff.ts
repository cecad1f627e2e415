import type { Light } from '@duban/reform-task';
import type { TaskAspect } from '../reports/plan-changes.ts';
import { planChanges } from '../reports/plan-changes.ts';
import type { PlanReader } from '../reports/plan-reader.ts';

/** What a reviewer compares of a task at one instant. */
export interface TaskAt {
  readonly state: string;
  readonly light: Light;
  /** The limit in force (after extensions and rectification dates). */
  readonly dueDate: string | null;
}

/** A task whose state, light or deadline in force differs between two instants. */
export interface TaskChange {
  readonly taskId: string;
  readonly number: number;
  /** Null when the task did not exist yet. */
  readonly from: TaskAt | null;
  readonly to: TaskAt;
  readonly changed: TaskAspect[];
}

/**
 * Every reform task whose state, light or deadline changed between `from` and `to` (from <= to), as
 * replayed from the audit log at each instant, ordered by task number. Does IO (reads the log twice).
 */
export async function replayDiff(plans: PlanReader, from: Date, to: Date): Promise<TaskChange[]> {
  if (from.getTime() > to.getTime()) throw new RangeError(`replayDiff: from ${from.toISOString()} is after to ${to.toISOString()}`);
  const before = await plans.tasks({ at: from, now: false });
  const after = await plans.tasks({ at: to, now: false });
  const taskAt = (standing: TaskAt): TaskAt => ({ state: standing.state, light: standing.light, dueDate: standing.dueDate });
  return planChanges(before, after)
    .filter((change) => change.changed.length > 0)
    .map((change) => ({ taskId: change.taskId, number: change.number, from: change.from === null ? null : taskAt(change.from), to: taskAt(change.to), changed: change.changed }))
    .sort((a, b) => a.number - b.number || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
}
