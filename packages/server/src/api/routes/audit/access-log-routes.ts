import type { RouteModule } from '../../../app/app-deps.ts';
import { accessLogQuery } from '../../schemas.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { validateInput } from '../../../http/validate-input.ts';

const DEFAULT_LIMIT = 100;

/** `GET /audit/access-log?after=&limit=`: who read what through the API (admins and reviewers only). */
export const accessLogRoutes: RouteModule = ({ accessLog }) => (router) => {
  if (accessLog === undefined) throw new Error('accessLogRoutes: createApp provides the access log');
  router.get('/audit/access-log', requireRole(readers.accessLog, 'read the access log'), async (req, res) => {
    const query = validateInput(accessLogQuery, req.query, 'query');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const items = await accessLog.list(query.after ?? 0, limit);
    const last = items[items.length - 1];
    res.json({ items, next: items.length === limit && last !== undefined ? last.id : null });
  });
};
