import type { Actor } from '@duban/engine';
import { light, overdueDays, partLight, partyUnits, taskParts, visibleTo } from '@duban/reform-task';
import type { Light, LightFacts, ReformTaskState } from '@duban/reform-task';
import type { TaskFacts } from '../reports/index.ts';

/** Narrowing of a task list: each given criterion must hold. */
export interface TaskFilter {
  readonly state?: ReformTaskState | undefined;
  readonly light?: Light | undefined;
  /** A party to the task: lead, responsible, or member of a collective named on it. */
  readonly unit?: string | undefined;
  /** The plan's part (所属部分) the task is listed under. */
  readonly part?: string | undefined;
  /** Only tasks on which this unit has its own part (a responsible unit, a member of a collective named on it). */
  readonly partUnit?: string | undefined;
  /**
   * With `partUnit`: only tasks on which that unit's own part has this light (its part done: green; not
   * done: its task's light), as the dashboard's 各单位承担部分 chart counts them.
   */
  readonly partLight?: Light | undefined;
  /** Only the tasks of this plan (its id). */
  readonly plan?: string | undefined;
  /** Only tasks past their limit in force at the instant listed (as the summary's 逾期 counts them). */
  readonly overdue?: boolean | undefined;
  /** Only tasks done: verified or closed (as the summary's 完成率 counts them). */
  readonly done?: boolean | undefined;
  /** Only tasks whose limit in force (`dueDate`, YYYY-MM-DD) falls on or after / on or before this day; a task without a date matches neither. */
  readonly dueFrom?: string | undefined;
  readonly dueTo?: string | undefined;
  /** Only these tasks: a keyword search's matches (`TaskSearch.matching`). */
  readonly ids?: ReadonlySet<string> | undefined;
}

/**
 * The tasks `actor` may see that match `filter`, in the order given; `at` (epoch ms) is the instant
 * the tasks stand at, needed by the overdue criterion. Pure.
 */
export function filterTasks<T extends TaskFacts>(tasks: readonly T[], filter: TaskFilter, actor: Actor, at?: number): T[] {
  if (filter.overdue === true && at === undefined) throw new Error('filterTasks: the overdue criterion needs the instant');
  if (filter.partLight !== undefined && filter.partUnit === undefined) throw new Error('filterTasks: the partLight criterion needs partUnit');
  return tasks.filter(
    ({ id, snapshot, task }) =>
      (filter.ids === undefined || filter.ids.has(id)) &&
      visibleTo(actor, snapshot) &&
      (filter.state === undefined || snapshot.value === filter.state) &&
      (filter.light === undefined || light(snapshot) === filter.light) &&
      (filter.unit === undefined || partyUnits(task).includes(filter.unit)) &&
      (filter.part === undefined || task.part === filter.part) &&
      (filter.partUnit === undefined || ownPartMatches(snapshot, task, filter.partUnit, filter.partLight)) &&
      (filter.plan === undefined || task.planId === filter.plan) &&
      (filter.overdue !== true || overdueDays(snapshot, at!) > 0) &&
      (filter.done !== true || snapshot.value === 'verified' || snapshot.value === 'closed') &&
      (filter.dueFrom === undefined || (task.dueDate !== null && task.dueDate >= filter.dueFrom)) &&
      (filter.dueTo === undefined || (task.dueDate !== null && task.dueDate <= filter.dueTo)),
  );
}

/** Has `unit` its own part of the task, with light `shade` when one is asked for? Pure. */
function ownPartMatches(snapshot: LightFacts, task: TaskFacts['task'], unit: string, shade: Light | undefined): boolean {
  const part = taskParts(task).find((candidate) => candidate.unit === unit);
  return part !== undefined && (shade === undefined || partLight(snapshot, part) === shade);
}
