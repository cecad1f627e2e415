import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { redactQuerySecrets } from './redact-query-secrets.ts';
import { requestIdOf } from './request-id.ts';

/**
 * Logs one line per request when the response is done: id, client address, method, path, status,
 * duration and the token's id. The client is `req.ip`: the peer, or behind `--trust-proxy` the address
 * the named proxies forwarded. Never headers or bodies; a secret a client put in the query (`?access_token=`) is redacted.
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
          url: redactQuerySecrets(req.originalUrl),
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
