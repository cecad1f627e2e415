import type { RouteModule } from '../../../app/app-deps.ts';
import { noQuery, taskListQuery } from '../../schemas.ts';
import { taskEtag } from '../../../http/etag.ts';
import { presentTask } from '../../../tasks/present-task.ts';
import { actorOf, principalOf } from '../../../auth/principal.ts';
import { TASK_NOT_FOUND } from '../../../http/problems.ts';
import { decodeTaskCursor, encodeTaskCursor } from '../../../tasks/task-cursor.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { findVisibleTask } from '../../../tasks/find-visible-task.ts';
import { listedRecords, listTasks } from '../../../tasks/list-tasks.ts';

const DEFAULT_LIMIT = 100;

/** `GET /tasks` (a page of the tasks the caller may see) and `GET /tasks/:id` (one, with its ETag). */
export const taskRoutes: RouteModule = (deps) => (router) => {
  const { engine, clock, plans, search, units, cycles } = deps;

  router.get('/tasks', async (req, res) => {
    const query = validateInput(taskListQuery, req.query, 'query');
    const actor = actorOf(principalOf(res));
    const limit = query.limit ?? DEFAULT_LIMIT;
    const filter = {
      state: query.state,
      light: query.light,
      plan: query.plan,
      unit: query.unit === undefined ? undefined : units.canonical(query.unit),
      partUnit: query.partUnit === undefined ? undefined : units.canonical(query.partUnit),
      partLight: query.partLight,
      overdue: query.overdue,
      dueFrom: query.dueFrom,
      dueTo: query.dueTo,
    };
    const now = clock.now();
    const listed = await listTasks({ plans, search }, now, actor, {
      filter,
      q: query.q,
      order: { sort: query.sort, order: query.order },
      afterId: query.cursor === undefined ? undefined : decodeTaskCursor(query.cursor),
      limit,
    });
    const page = listed.slice(0, limit);
    const last = page[page.length - 1];
    const records = await listedRecords(engine, page, actor);
    const missing = await cycles.missing(records.map((instance) => instance.id));
    res.json({
      items: records.map((instance) => ({ ...presentTask(engine, instance, actor, now), unreported: missing.get(instance.id) ?? [] })),
      nextCursor: listed.length > limit && last !== undefined ? encodeTaskCursor(last.id) : null,
    });
  });

  router.get('/tasks/:id', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const actor = actorOf(principalOf(res));
    const instance = await findVisibleTask(engine, req.params.id, actor);
    if (instance === undefined) throw TASK_NOT_FOUND;
    res.setHeader('ETag', taskEtag(instance.version));
    const missing = await cycles.missing([instance.id]);
    res.json({ ...presentTask(engine, instance, actor, clock.now()), unreported: missing.get(instance.id) ?? [] });
  });
};
