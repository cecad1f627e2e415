import type { Actor } from '@duban/engine';
import { light, partyUnits, visibleTo } from '@duban/reform-task';
import type { Light, ReformTaskState } from '@duban/reform-task';
import type { TaskFacts } from '../reports/index.ts';

/** Narrowing of a task list: each given criterion must hold. */
export interface TaskFilter {
  readonly state?: ReformTaskState | undefined;
  readonly light?: Light | undefined;
  /** A party to the task: lead, responsible, or member of a collective named on it. */
  readonly unit?: string | undefined;
  readonly part?: string | undefined;
}

/** The tasks `actor` may see that match `filter`, in the order given. Pure. */
export function filterTasks<T extends TaskFacts>(tasks: readonly T[], filter: TaskFilter, actor: Actor): T[] {
  return tasks.filter(
    ({ snapshot, task }) =>
      visibleTo(actor, snapshot) &&
      (filter.state === undefined || snapshot.value === filter.state) &&
      (filter.light === undefined || light(snapshot) === filter.light) &&
      (filter.unit === undefined || partyUnits(task).includes(filter.unit)) &&
      (filter.part === undefined || task.part === filter.part),
  );
}
