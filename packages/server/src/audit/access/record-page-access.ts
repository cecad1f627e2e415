import type { RequestHandler } from 'express';
import type { AccessLog } from './access-log.ts';
import type { Clock } from '../../time/clock.ts';
import type { Role } from '../../auth/role.ts';
import { viewerOf } from '../../web/session/web-viewer.ts';

/** Whose page reads are recorded: as for the API, everyone who may read more than their own unit's tasks. */
const WATCHED_ROLES: readonly Role[] = ['reviewer', 'office', 'admin'];
// The pages that show what the API's /api/audit, /api/replay and /api/tasks show.
const WATCHED_PAGES = /^\/(audit|history|tasks)(\/|\?|$)/i;

/**
 * Records in the API's access log every page a reviewer, the office or an admin opens that shows the
 * log, a replay or a task, with the time it arrived and the status it got, so reading through the pages
 * leaves the same trace as reading through the API. Never delays or fails the request.
 */
export function recordPageAccess(log: AccessLog | undefined, clock: Clock): RequestHandler {
  return (req, res, next) => {
    const viewer = viewerOf(res);
    if (log !== undefined && viewer !== undefined && WATCHED_ROLES.includes(viewer.principal.role) && WATCHED_PAGES.test(req.originalUrl)) {
      const { tokenId, role } = viewer.principal;
      const at = clock.now().toISOString();
      res.once('close', () => log.record({ at, tokenId, role, method: req.method, path: req.originalUrl, status: res.statusCode }));
    }
    next();
  };
}
