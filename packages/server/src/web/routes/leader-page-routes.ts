import type { ReformTaskContext } from '@duban/reform-task';
import { z } from 'zod';
import type { RouteModule } from '../../app/app-deps.ts';
import { actorOf } from '../../auth/principal.ts';
import { readers } from '../../auth/readers.ts';
import { PAGE_NOT_FOUND, problem } from '../../http/problems.ts';
import { validateInput } from '../../http/validate-input.ts';
import { findVisibleTask } from '../../tasks/find-visible-task.ts';
import { presentTask } from '../../tasks/present-task.ts';
import { MAX_WATCHED } from '../../tasks/task-watches.ts';
import { formOf } from '../forms/form-body.ts';
import { watchListPage } from '../leaders/watch-list-page.ts';
import { taskHref } from '../view/badges.ts';
import { requireViewer, signedIn } from '../session/web-viewer.ts';
import { emptyQuery } from '../web-queries.ts';

const watchForm = z.strictObject({ _csrf: z.string(), watch: z.enum(['0', '1']) });

/**
 * The leaders' pages: `GET /watching` (我关注的任务, the viewer's watch list with each task's latest
 * 批示) and `POST /tasks/:id/watch` (`watch=1` adds the task, `watch=0` takes it off; 303 back to the task).
 */
export const leaderPageRoutes: RouteModule = ({ engine, clock, watches }) => (router) => {
  router.get('/watching', requireViewer(readers.watchers), async (req, res) => {
    validateInput(emptyQuery, req.query, 'query');
    const viewer = signedIn(res);
    const account = viewer.principal.account;
    if (account === undefined) throw problem('forbiddenWatch', 'a watch list belongs to a signed-in account, not a token session');
    const actor = actorOf(viewer.principal);
    const ids = await watches.taskIds(account.id);
    const byId = new Map((await engine.getInstances(ids)).map((instance) => [instance.id, instance]));
    const now = clock.now();
    const watched = ids
      .flatMap((id) => byId.get(id) ?? [])
      .filter((instance) => engine.visibleTo(instance, actor))
      .map((instance) => {
        const last = (instance.snapshot.context as ReformTaskContext).lastInstruction;
        return {
          task: presentTask(engine, instance, actor, now),
          instruction: last === undefined ? null : { text: last.text, by: last.by?.name ?? '领导', at: last.at },
        };
      });
    res.type('html').send(watchListPage(viewer, watched).text);
  });

  router.post('/tasks/:id/watch', requireViewer(readers.watchers), async (req, res) => {
    const viewer = signedIn(res);
    const account = viewer.principal.account;
    if (account === undefined) throw problem('forbiddenWatch', 'a watch list belongs to a signed-in account, not a token session');
    const { watch } = validateInput(watchForm, formOf(req.body), 'form');
    const instance = await findVisibleTask(engine, String(req.params['id']), actorOf(viewer.principal));
    if (instance === undefined) throw PAGE_NOT_FOUND;
    if (watch === '0') await watches.unwatch(account.id, instance.id);
    else if (!(await watches.watch(account.id, instance.id, clock.now()))) throw problem('watchListFull', `an account watches at most ${MAX_WATCHED} tasks`);
    res.redirect(303, taskHref(instance.id));
  });
};
