import type { Actor, Engine, InstanceRecord } from '@duban/engine';
import type { PlanReader, TaskFacts } from '../reports/index.ts';
import { findInPlanOrder } from '../reports/index.ts';
import type { TaskFilter } from './task-filter.ts';
import type { TaskOrder } from './task-order.ts';
import type { TaskSearch } from './task-search.ts';
import { cursorNotOurs } from './task-cursor.ts';
import { filterTasks } from './task-filter.ts';
import { taskComparator } from './task-order.ts';

/** Records read from the store per query while presenting a list. */
const RECORD_PAGE = 500;

/** What a list asks for: its criteria, keywords, order, and where the previous page ended. */
export interface TaskListRequest {
  readonly filter?: TaskFilter;
  /** Keywords (trimmed, 1..SEARCH_TEXT_MAX characters): only tasks whose text, units or progress contain them. */
  readonly q?: string | undefined;
  readonly order?: TaskOrder;
  /** A cursor's task: only those after it in the list's order. */
  readonly afterId?: string | undefined;
  /** A page's length: at most this many and one more (enough to tell whether more follow); all without it. */
  readonly limit?: number | undefined;
}

/**
 * The one way to list tasks, for the API, the pages and a unit's own list: the tasks `actor` may
 * see that match the request's filter and keywords, as of now, from the report read model (so every
 * list counts, pages and orders the same tasks), in plan order or the order asked for; with
 * `afterId`, only those after that task in that order; with `limit`, at most `limit` + 1.
 * Keywords go through the search index (`TaskSearch`), then the visibility check like every
 * criterion: a unit finds only its own tasks. A page of keywords in plan order (the default, either
 * way) reads the index's matches in that order and stops once the page is full; in any other order
 * every match is found first. Does IO (the read model first catches up with the log); a 422 for an unknown `afterId`.
 */
export async function listTasks(sources: { readonly plans: PlanReader; readonly search: TaskSearch }, now: Date, actor: Actor, request: TaskListRequest = {}): Promise<TaskFacts[]> {
  const { tasks } = await sources.plans.facts({ at: now, now: true });
  const order = request.order ?? {};
  const after = request.afterId === undefined ? undefined : tasks.find((task) => task.id === request.afterId);
  if (request.afterId !== undefined && after === undefined) throw cursorNotOurs();
  if (request.q !== undefined && request.limit !== undefined && (order.sort ?? 'number') === 'number') {
    return searchedPage(sources.search, tasks, now, actor, { ...request, q: request.q, limit: request.limit }, after);
  }
  const ids = request.q === undefined ? undefined : await sources.search.matching(request.q, tasks);
  const listed = filterTasks(tasks, { ...request.filter, ...(ids === undefined ? {} : { ids }) }, actor, now.getTime());
  const ordered = (order.sort ?? 'number') === 'number' && order.order !== 'desc';
  const compare = taskComparator(order);
  if (!ordered) listed.sort(compare);
  const start = after === undefined ? 0 : listed.findIndex((task) => compare(task, after) > 0);
  const rest = start < 0 ? [] : start === 0 ? listed : listed.slice(start);
  return request.limit === undefined ? rest : rest.slice(0, request.limit + 1);
}

/** Up to `limit` + 1 tasks of the keyword search in plan order (or its reverse) after `after`, found piece by piece through the index until the page is full. */
async function searchedPage(search: TaskSearch, tasks: readonly TaskFacts[], now: Date, actor: Actor, request: TaskListRequest & { q: string; limit: number }, after: TaskFacts | undefined): Promise<TaskFacts[]> {
  const wanted = request.limit + 1;
  const found: TaskFacts[] = [];
  const place = after === undefined ? undefined : { id: after.id, planId: after.task.planId, number: after.task.number };
  for await (const piece of search.inPlanOrder(request.q, tasks, { after: place, descending: request.order?.order === 'desc', first: wanted })) {
    const facts = piece.map((match) => findInPlanOrder(tasks, match)).filter((task) => task !== undefined);
    found.push(...filterTasks(facts, request.filter ?? {}, actor, now.getTime()));
    if (found.length >= wanted) return found.slice(0, wanted);
  }
  return found;
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
