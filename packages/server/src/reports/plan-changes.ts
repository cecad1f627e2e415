import { light } from '@duban/reform-task';
import type { Light } from '@duban/reform-task';
import type { TaskFacts } from './report-task.ts';

/** What a reviewer compares of a task at one instant. */
export interface TaskStanding {
  readonly state: string;
  readonly light: Light;
  /** The limit in force (after extensions and rectification dates). */
  readonly dueDate: string | null;
  /** How many audit entries the task had. */
  readonly version: number;
}

export type TaskAspect = 'state' | 'light' | 'deadline';

/** One task of the plan at two instants. */
export interface PlanChange {
  readonly taskId: string;
  readonly number: number;
  readonly text: string;
  /** Null when the task did not exist yet. */
  readonly from: TaskStanding | null;
  readonly to: TaskStanding;
  /** The aspects that differ (a new task differs in all). */
  readonly changed: TaskAspect[];
  /** Entries were added to its record in between. */
  readonly grew: boolean;
}

/**
 * Every task of `after` (the plan at a later instant, in plan order) beside itself in `before` (the
 * plan at an earlier one): what the review's diffs (the API's replay/diff, the two-day page) read. Pure.
 */
export function planChanges(before: readonly TaskFacts[], after: readonly TaskFacts[]): PlanChange[] {
  const earlier = new Map(before.map((task) => [task.id, task]));
  return after.map((task) => {
    const then = earlier.get(task.id);
    const from = then === undefined ? null : standing(then);
    const to = standing(task);
    const changed: TaskAspect[] = [];
    if (from?.state !== to.state) changed.push('state');
    if (from?.light !== to.light) changed.push('light');
    if (from === null || from.dueDate !== to.dueDate) changed.push('deadline');
    return { taskId: task.id, number: task.task.number, text: task.task.text, from, to, changed, grew: from === null || from.version !== to.version };
  });
}

function standing(task: TaskFacts): TaskStanding {
  return { state: task.snapshot.value, light: light(task.snapshot), dueDate: task.task.dueDate, version: task.version };
}
