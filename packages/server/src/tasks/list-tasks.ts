import type { Actor, Engine, InstanceRecord } from '@duban/engine';
import type { PlanReader, TaskFacts } from '../reports/index.ts';
import { comparePlanOrder } from '../reports/index.ts';
import type { TaskFilter } from './task-filter.ts';
import { cursorNotOurs } from './task-cursor.ts';
import { filterTasks } from './task-filter.ts';

/** Records read from the store per query while presenting a list. */
const RECORD_PAGE = 500;

/**
 * The one way to list tasks, for the API, the pages and a unit's own list: the tasks `actor` may
 * see that match `filter`, as of now, in plan order, from the report read model, so every list
 * counts, pages and orders the same tasks; with `afterId` (a cursor's task), only those after it in
 * plan order. Does IO (the read model first catches up with the log); a 422 for an unknown `afterId`.
 */
export async function listTasks(plans: PlanReader, now: Date, actor: Actor, filter: TaskFilter = {}, afterId?: string): Promise<TaskFacts[]> {
  const { tasks } = await plans.facts({ at: now, now: true });
  const listed = filterTasks(tasks, filter, actor);
  if (afterId === undefined) return listed;
  const after = tasks.find((task) => task.id === afterId);
  if (after === undefined) throw cursorNotOurs();
  const start = listed.findIndex((task) => comparePlanOrder(task, after) > 0);
  return start < 0 ? [] : listed.slice(start);
}

/**
 * The stored records of listed tasks, in the list's order, still visible to `actor` (a task whose
 * parties changed since the list was read is left out): what an answer presents. Does IO.
 */
export async function listedRecords(engine: Engine, listed: readonly TaskFacts[], actor: Actor): Promise<InstanceRecord[]> {
  const records: InstanceRecord[] = [];
  for (let start = 0; start < listed.length; start += RECORD_PAGE) {
    const ids = listed.slice(start, start + RECORD_PAGE).map((task) => task.id);
    const byId = new Map((await engine.getInstances(ids)).map((record) => [record.id, record]));
    for (const id of ids) {
      const record = byId.get(id);
      if (record !== undefined && engine.visibleTo(record, actor)) records.push(record);
    }
  }
  return records;
}
