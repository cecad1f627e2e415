import type { Router } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { NotificationStore } from '../../notifications/notification-store.ts';
import { presentTask } from '../../tasks/present-task.ts';
import { actorOf } from '../../auth/principal.ts';
import { validateInput } from '../../http/validate-input.ts';
import { UNIT_ONLY } from '../../auth/page-readers.ts';
import { myTasksPage } from '../pages/my-tasks-page.ts';
import { notificationsPage } from '../pages/notifications-page.ts';
import { allInstances } from '../../tasks/plan-tasks.ts';
import { PAGE_NOT_FOUND } from '../web-errors.ts';
import { emptyQuery } from '../web-queries.ts';
import { requireViewer, signedIn } from '../session/web-viewer.ts';

const NOTICE_LIMIT = 100;

/**
 * A unit's pages: `GET /mine` (its tasks by light, with what it may do now, and how many notices are
 * unread), `GET /notifications` (its notifications, from the notification table) and
 * `POST /notifications/:id/read` (marks one read).
 */
export const unitPageRoutes = (deps: AppDeps) => (router: Router) => {
  const { engine, clock } = deps;
  const notifications = new NotificationStore(engine.store.kysely);
  const units = requireViewer(UNIT_ONLY);
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
    const instances = await allInstances(engine, { anyTags: [`party:${unit}`] });
    const tasks = instances
      .filter((instance) => engine.visibleTo(instance, actor))
      .map((instance) => presentTask(engine, instance, actor, now))
      .sort((a, b) => a.number - b.number);
    const unread = (await notifications.list({ unit, unreadOnly: true, limit: NOTICE_LIMIT })).items.length;
    res.type('html').send(myTasksPage(viewer, tasks, unread).text);
  });

  router.get('/notifications', units, async (req, res) => {
    validateInput(emptyQuery, req.query, 'query');
    const page = await notifications.list({ unit: unitOf(res), unreadOnly: false, limit: NOTICE_LIMIT });
    res.type('html').send(notificationsPage(signedIn(res), page.items).text);
  });

  router.post('/notifications/:id/read', units, async (req, res) => {
    const id = String(req.params['id']);
    // Another unit's notification reads as unknown, like a task it may not see.
    if (!/^[1-9]\d{0,14}$/.test(id) || (await notifications.acknowledge(Number(id), unitOf(res), clock.now())) === undefined) throw PAGE_NOT_FOUND;
    res.redirect(303, '/notifications');
  });
};
