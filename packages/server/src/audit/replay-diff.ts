import type { Engine, ReplayedInstance } from '@duban/engine';
import { light } from '@duban/reform-task';
import type { Light, ReformTaskSnapshot } from '@duban/reform-task';

/** What a reviewer compares of a task at one instant. */
export interface TaskAt {
  readonly state: string;
  readonly light: Light;
  /** The limit in force (after extensions and rectification dates). */
  readonly dueDate: string | null;
}

export type TaskAspect = 'state' | 'light' | 'deadline';

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
export async function replayDiff(engine: Engine, from: Date, to: Date): Promise<TaskChange[]> {
  if (from.getTime() > to.getTime()) throw new RangeError(`replayDiff: from ${from.toISOString()} is after to ${to.toISOString()}`);
  const before = await engine.snapshotsAt(from);
  const after = await engine.snapshotsAt(to);
  const changes: TaskChange[] = [];
  for (const [id, instance] of after) {
    if (instance.workflowId !== 'reform-task') continue;
    const then = before.get(id);
    const was = then === undefined ? null : taskAt(then);
    const now = taskAt(instance);
    const changed: TaskAspect[] = [];
    if (was?.state !== now.state) changed.push('state');
    if (was?.light !== now.light) changed.push('light');
    if (was === null || was.dueDate !== now.dueDate) changed.push('deadline');
    if (changed.length > 0) changes.push({ taskId: id, number: (instance.snapshot as ReformTaskSnapshot).context.number, from: was, to: now, changed });
  }
  return changes.sort((a, b) => a.number - b.number || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
}

function taskAt(instance: ReplayedInstance): TaskAt {
  const snapshot = instance.snapshot as ReformTaskSnapshot;
  return { state: snapshot.value, light: light(snapshot), dueDate: snapshot.context.dueDate };
}
