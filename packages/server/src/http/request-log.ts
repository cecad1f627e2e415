import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { requestIdOf } from './request-id.ts';

/**
 * Logs one line per request when the response is done: id, client address, method, path, status,
 * duration and the token's id. The client is `req.ip`: the peer, or behind `--trust-proxy` the address
 * the named proxies forwarded. Never headers, bodies or query strings' secrets (there are none in queries).
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const principal = res.locals['principal'] as { tokenId?: number; role?: string } | undefined;
      logger.info(
        {
          reqId: requestIdOf(res),
          client: req.ip,
          method: req.method,
          url: req.originalUrl,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          ...(principal === undefined ? {} : { tokenId: principal.tokenId, role: principal.role }),
        },
        'request',
      );
    });
    next();
  };
}
