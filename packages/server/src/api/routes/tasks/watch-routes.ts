import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf, principalOf } from '../../../auth/principal.ts';
import type { Principal } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { problem, TASK_NOT_FOUND } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { findVisibleTask } from '../../../tasks/find-visible-task.ts';
import { presentTask } from '../../../tasks/present-task.ts';
import { MAX_WATCHED } from '../../../tasks/task-watches.ts';
import { noQuery } from '../../schemas.ts';

/** The account whose watch list this is: a leader's or the office's person, never a service token. */
function watcherOf(principal: Principal): number {
  if (!(readers.watchers as readonly string[]).includes(principal.role) || principal.account === undefined) {
    throw problem('forbiddenWatch', `a watch list belongs to a person's account of role ${readers.watchers.join(' or ')}; this caller is ${principal.role}${principal.account === undefined ? ' without an account' : ''}`);
  }
  return principal.account.id;
}

/**
 * A person's watch list (关注): `GET /watches` (the watched tasks the caller still sees, as TaskViews,
 * the most recently watched first), `PUT /tasks/:id/watch` and `DELETE /tasks/:id/watch` with an empty
 * JSON body (both idempotent; 404 for a task the caller may not see).
 */
export const watchRoutes: RouteModule = ({ engine, clock, watches }) => (router) => {
  router.get('/watches', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const principal = principalOf(res);
    const account = watcherOf(principal);
    const actor = actorOf(principal);
    const now = clock.now();
    const ids = await watches.taskIds(account);
    const byId = new Map((await engine.getInstances(ids)).map((instance) => [instance.id, instance]));
    const visible = ids.flatMap((id) => byId.get(id) ?? []).filter((instance) => engine.visibleTo(instance, actor));
    res.json({ items: visible.map((instance) => presentTask(engine, instance, actor, now)) });
  });

  router.put('/tasks/:id/watch', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    validateInput(noQuery, req.body ?? {}, 'body');
    const principal = principalOf(res);
    const account = watcherOf(principal);
    const instance = await findVisibleTask(engine, req.params.id, actorOf(principal));
    if (instance === undefined) throw TASK_NOT_FOUND;
    if (!(await watches.watch(account, instance.id, clock.now()))) throw problem('watchListFull', `an account watches at most ${MAX_WATCHED} tasks`);
    res.json({ taskId: instance.id, watching: true });
  });

  router.delete('/tasks/:id/watch', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const principal = principalOf(res);
    const account = watcherOf(principal);
    const instance = await findVisibleTask(engine, req.params.id, actorOf(principal));
    if (instance === undefined) throw TASK_NOT_FOUND;
    await watches.unwatch(account, instance.id);
    res.json({ taskId: instance.id, watching: false });
  });
};
