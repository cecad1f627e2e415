import type { RouteModule } from '../../../app/app-deps.ts';
import { noQuery, notificationListQuery, notificationReadAllBody } from '../../schemas.ts';
import { problem } from '../../../http/problems.ts';
import { NotificationStore } from '../../../notifications/notification-store.ts';
import { principalOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { validateInput } from '../../../http/validate-input.ts';

const DEFAULT_LIMIT = 50;

const NOTIFICATION_NOT_FOUND = (id: string) =>
  problem('notificationNotFound', `no notification ${JSON.stringify(id)} is addressed to the caller's unit (找不到该通知，或不是发给本单位的)`);

/**
 * `GET /notifications?unread=&unit=&limit=&cursor=` (newest first: a unit its own, the office and
 * reviewers and admins any unit's), `POST /notifications/:id/ack` with an empty JSON body (the unit
 * it is for marks it read; again is a no-op; another unit's id is a 404, another role a 403) and
 * `POST /notifications/read-all` with `{}` or `{ "taskId" }` (全部已读: the unit's unread notices, of
 * one task when named; answers how many it marked).
 */
export const notificationRoutes: RouteModule = (deps) => (router) => {
  const notifications = new NotificationStore(deps.engine.store.kysely);

  router.get('/notifications', async (req, res) => {
    const query = validateInput(notificationListQuery, req.query, 'query');
    const principal = principalOf(res);
    const named = query.unit === undefined ? undefined : deps.units.canonical(query.unit);
    let unit = named;
    if (principal.role === 'unit') {
      if (named !== undefined && named !== principal.unit) {
        throw problem('forbiddenNotifications', `a unit token reads only its own notifications (${principal.unit}), not those of ${named}`);
      }
      unit = principal.unit ?? undefined;
      if (unit === undefined) throw new Error('a unit principal without a unit');
    }
    const page = await notifications.list({
      ...(unit === undefined ? {} : { unit }),
      unreadOnly: query.unread === '1' || query.unread === 'true',
      limit: query.limit ?? DEFAULT_LIMIT,
      ...(query.cursor === undefined ? {} : { beforeId: Number(query.cursor) }),
    });
    res.json({ items: page.items, nextCursor: page.nextId === null ? null : String(page.nextId) });
  });

  router.post('/notifications/read-all', requireRole(readers.ownUnit, 'mark notifications read (only a unit marks its own)'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const body = validateInput(notificationReadAllBody, req.body ?? {}, 'body');
    const unit = principalOf(res).unit;
    if (unit === null) throw new Error('a unit principal without a unit');
    res.json({ acknowledged: await notifications.acknowledgeAll(unit, deps.clock.now(), body.taskId) });
  });

  router.post('/notifications/:id/ack', requireRole(readers.ownUnit, 'acknowledge notifications (only the unit a notification is for may)'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    validateInput(noQuery, req.body ?? {}, 'body');
    const id = String(req.params.id);
    const unit = principalOf(res).unit;
    if (!/^[1-9]\d{0,14}$/.test(id) || unit === null) throw NOTIFICATION_NOT_FOUND(id);
    const acknowledged = await notifications.acknowledge(Number(id), unit, deps.clock.now());
    if (acknowledged === undefined) throw NOTIFICATION_NOT_FOUND(id);
    res.json(acknowledged);
  });
};
