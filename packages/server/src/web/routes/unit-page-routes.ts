import type { RouteModule } from '../../app/app-deps.ts';
import { presentTask } from '../../tasks/present-task.ts';
import { actorOf } from '../../auth/principal.ts';
import { validateInput } from '../../http/validate-input.ts';
import { readers } from '../../auth/readers.ts';
import { myTasksPage } from '../pages/my-tasks-page.ts';
import { notificationsPage } from '../pages/notifications-page.ts';
import { listedRecords, listTasks } from '../../tasks/list-tasks.ts';
import { PAGE_NOT_FOUND } from '../../http/problems.ts';
import { emptyQuery } from '../web-queries.ts';
import { requireViewer, signedIn } from '../session/web-viewer.ts';

const NOTICE_LIMIT = 100;

/**
 * A unit's pages: `GET /mine` (its tasks by light, with what it may do now, and how many notices are
 * unread), `GET /notifications` (its notifications, from the notification table; for the office,
 * reviewers and admins every notice sent, newest first) and
 * `POST /notifications/:id/read` (marks one read) and `POST /notifications/read-all` (全部已读).
 */
export const unitPageRoutes: RouteModule = (deps) => (router) => {
  const { engine, plans, search, notifications, clock } = deps;
  const units = requireViewer(readers.ownUnit);
  const unitOf = (res: Parameters<typeof signedIn>[0]) => {
    const unit = signedIn(res).principal.unit;
    if (unit === null) throw new Error('a unit session without a unit');
    return unit;
  };

  router.get('/mine', units, async (req, res) => {
    validateInput(emptyQuery, req.query, 'query');
    const viewer = signedIn(res);
    const unit = unitOf(res);
    const actor = actorOf(viewer.principal);
    const now = clock.now();
    const listed = await listTasks({ plans, search }, now, actor);
    const tasks = (await listedRecords(engine, listed, actor)).map((instance) => presentTask(engine, instance, actor, now));
    const unread = (await notifications.list({ unit, unreadOnly: true, limit: NOTICE_LIMIT })).items.length;
    res.type('html').send(myTasksPage(viewer, tasks, unread).text);
  });

  router.get('/notifications', requireViewer(readers.notifications), async (req, res) => {
    validateInput(emptyQuery, req.query, 'query');
    const viewer = signedIn(res);
    // A unit reads the notices sent to it; the office (and reviewers, admins) every notice sent, to whom and whether read.
    const own = viewer.principal.role === 'unit' ? { unit: unitOf(res) } : {};
    const page = await notifications.list({ ...own, unreadOnly: false, limit: NOTICE_LIMIT });
    res.type('html').send(notificationsPage(viewer, page.items).text);
  });

  router.post('/notifications/read-all', units, async (_req, res) => {
    await notifications.acknowledgeAll(unitOf(res), clock.now());
    res.redirect(303, '/notifications');
  });

  router.post('/notifications/:id/read', units, async (req, res) => {
    const id = String(req.params['id']);
    // Another unit's notification reads as unknown, like a task it may not see.
    if (!/^[1-9]\d{0,14}$/.test(id) || (await notifications.acknowledge(Number(id), unitOf(res), clock.now())) === undefined) throw PAGE_NOT_FOUND;
    res.redirect(303, '/notifications');
  });
};
