import type { RequestHandler, Response } from 'express';
import type { Principal } from '../../auth/principal.ts';
import { redactQuerySecrets } from '../../http/redact-query-secrets.ts';
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
    const path = redactQuerySecrets(routedPath(req.originalUrl));
    if (principal !== undefined && watchedReaders.includes(principal.role) && watched.test(path)) {
      const { tokenId, role, account } = principal;
      const at = clock.now().toISOString();
      res.once('close', () => log.record({ at, tokenId, ...(account === undefined ? {} : { accountId: account.id }), role, method: req.method, path, status: res.statusCode }));
    }
    next();
  };
}

/**
 * The path (and query) the router sees: a request line in absolute form (`GET http://host/api/…`,
 * which Node passes on as it came and Express routes by its path) without its scheme and host. Pure.
 */
export function routedPath(url: string): string {
  const withoutOrigin = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  return withoutOrigin.startsWith('/') ? withoutOrigin : `/${withoutOrigin}`;
}
