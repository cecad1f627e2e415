import type { RequestHandler } from 'express';
import type { Clock } from '../../time/clock.ts';
import { principalOf } from '../../auth/principal.ts';
import type { Role } from '../../auth/role.ts';
import type { AccessLog } from './access-log.ts';

/** Whose reads are recorded: everyone who may read more than their own unit's tasks. */
const WATCHED_ROLES: readonly Role[] = ['reviewer', 'office', 'admin'];
// Express matches routes case-insensitively, so must this.
const WATCHED_PATHS = /^\/api\/(audit|replay|tasks)(\/|\?|$)/i;

/**
 * Behind `authenticate()`: records every request a reviewer, the office or an admin makes to
 * `/api/audit*`, `/api/replay*` or `/api/tasks*` in the access log once it is answered (or cut off),
 * with the time it arrived. Never delays or fails the request.
 */
export function recordAccess(log: AccessLog, clock: Clock): RequestHandler {
  return (req, res, next) => {
    const { tokenId, role } = principalOf(res);
    if (WATCHED_ROLES.includes(role) && WATCHED_PATHS.test(req.originalUrl)) {
      const at = clock.now().toISOString();
      res.once('close', () => log.record({ at, tokenId, role, method: req.method, path: req.originalUrl, status: res.statusCode }));
    }
    next();
  };
}
