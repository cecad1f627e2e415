import type { RequestHandler, Response } from 'express';
import type { Principal } from '../../auth/principal.ts';
import { watchedReaders } from '../../auth/readers.ts';
import type { Clock } from '../../time/clock.ts';
import type { AccessLog } from './access-log.ts';

/**
 * The one access recorder, for the API and the pages: records every request whose path matches
 * `watched`, made by a reader the access log watches (`watchedReaders`), once it is answered (or cut
 * off), with the time it arrived and the status it got; so reading through the pages leaves the same
 * trace as reading through the API. `principalOf` says who is asking (the token, or the session's).
 * Never delays or fails the request.
 */
export function recordAccess(log: AccessLog, clock: Clock, principalOf: (res: Response) => Principal | undefined, watched: RegExp): RequestHandler {
  return (req, res, next) => {
    const principal = principalOf(res);
    if (principal !== undefined && watchedReaders.includes(principal.role) && watched.test(req.originalUrl)) {
      const { tokenId, role } = principal;
      const at = clock.now().toISOString();
      res.once('close', () => log.record({ at, tokenId, role, method: req.method, path: req.originalUrl, status: res.statusCode }));
    }
    next();
  };
}
