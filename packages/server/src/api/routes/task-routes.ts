import type { RouteModule } from '../../app/app-deps.ts';
import { noQuery, taskListQuery } from '../schemas.ts';
import { presentTask, taskEtag } from '../../tasks/present-task.ts';
import { actorOf, principalOf } from '../../auth/principal.ts';
import { TASK_NOT_FOUND } from '../../http/problem-details.ts';
import { decodeTaskCursor, encodeTaskCursor } from '../../tasks/task-cursor.ts';
import { validateInput } from '../../http/validate-input.ts';
import { findVisibleTask } from '../../tasks/find-visible-task.ts';

const DEFAULT_LIMIT = 100;

/** `GET /tasks` (a page of the tasks the caller may see) and `GET /tasks/:id` (one, with its ETag). */
export const taskRoutes: RouteModule = (deps) => (router) => {
  const { engine, clock } = deps;

  router.get('/tasks', async (req, res) => {
    const query = validateInput(taskListQuery, req.query, 'query');
    const principal = principalOf(res);
    const actor = actorOf(principal);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const allTags: string[] = [];
    if (query.state !== undefined) allTags.push(`state:${query.state}`);
    if (query.light !== undefined) allTags.push(`light:${query.light}`);
    if (query.unit !== undefined) allTags.push(`party:${deps.units?.canonical(query.unit) ?? query.unit}`);
    // A unit lists only what it is a party to; the party tags include collective membership.
    const anyTags = principal.role === 'unit' ? [`party:${principal.unit}`] : undefined;
    const afterId = query.cursor === undefined ? undefined : decodeTaskCursor(query.cursor);
    const rows = await engine.listInstances({
      allTags,
      ...(anyTags === undefined ? {} : { anyTags }),
      ...(afterId === undefined ? {} : { afterId }),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const now = clock.now();
    res.json({
      items: page.filter((instance) => engine.visibleTo(instance, actor)).map((instance) => presentTask(engine, instance, actor, now)),
      nextCursor: rows.length > limit && last !== undefined ? encodeTaskCursor(last.id) : null,
    });
  });

  router.get('/tasks/:id', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const actor = actorOf(principalOf(res));
    const instance = await findVisibleTask(engine, req.params.id, actor);
    if (instance === undefined) throw TASK_NOT_FOUND;
    res.setHeader('ETag', taskEtag(instance.version));
    res.json(presentTask(engine, instance, actor, clock.now()));
  });
};
