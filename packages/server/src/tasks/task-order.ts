import { light, reformTaskStates } from '@duban/reform-task';
import type { Light } from '@duban/reform-task';
import type { TaskFacts } from '../reports/index.ts';
import { comparePlanOrder, compareUnits } from '../reports/index.ts';

/** The columns a task list sorts by: number (plan order), limit in force, state, light, lead unit, last change. */
export const taskSortKeys = ['number', 'deadline', 'state', 'light', 'lead', 'updated'] as const;
export type TaskSortKey = (typeof taskSortKeys)[number];
export type SortOrder = 'asc' | 'desc';

/** How a list is ordered; by default by number, ascending (plan order). */
export interface TaskOrder {
  readonly sort?: TaskSortKey | undefined;
  readonly order?: SortOrder | undefined;
}

const stateRank = new Map<string, number>(reformTaskStates.map((state, index) => [state, index]));
/** Ascending: the most urgent light first. */
const lightRank: Record<Light, number> = { red: 0, yellow: 1, green: 2, none: 3 };

/**
 * The comparator of `order` at `at` (epoch ms): the column, then plan order, so it is total and a
 * cursor (the last task shown) finds its place again. Tasks without a value (no limit, no known last
 * change) come last either way. Pure.
 */
export function taskComparator(order: TaskOrder): (a: TaskFacts, b: TaskFacts) => number {
  const sign = order.order === 'desc' ? -1 : 1;
  const column = columnComparator(order.sort ?? 'number');
  return (a, b) => column(a, b, sign) || sign * comparePlanOrder(a, b) || comparePlanOrder(a, b);
}

type Column = (a: TaskFacts, b: TaskFacts, sign: number) => number;

function columnComparator(key: TaskSortKey): Column {
  switch (key) {
    case 'number':
      return () => 0;
    case 'deadline':
      return (a, b, sign) => nullsLast(a.task.dueDate, b.task.dueDate, sign, (x, y) => (x < y ? -1 : x > y ? 1 : 0));
    case 'state':
      return (a, b, sign) => sign * ((stateRank.get(a.snapshot.value) ?? 99) - (stateRank.get(b.snapshot.value) ?? 99));
    case 'light':
      return (a, b, sign) => sign * (lightRank[light(a.snapshot)] - lightRank[light(b.snapshot)]);
    case 'lead':
      return (a, b, sign) => sign * compareUnits(a.task.leadUnits[0] ?? '', b.task.leadUnits[0] ?? '');
    case 'updated':
      return (a, b, sign) => nullsLast(a.changedAt, b.changedAt, sign, (x, y) => x - y);
  }
}

function nullsLast<T>(a: T | null, b: T | null, sign: number, compare: (a: T, b: T) => number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return sign * compare(a, b);
}
