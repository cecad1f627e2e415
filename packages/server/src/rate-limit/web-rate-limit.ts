import type { RequestHandler } from 'express';
import type { Clock } from '../time/clock.ts';
import { HttpProblem } from '../http/http-problem.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { viewerOf } from '../web/session/web-viewer.ts';

/**
 * The API's per-token rate limit for the pages too: a signed-in viewer's requests count against its
 * token's budget (one budget, whether it calls the API or uses the pages); sign-in attempts count per
 * client address. Past the limit, a 429 page with Retry-After.
 */
export function webRateLimit(limiter: RateLimiter, clock: Clock): RequestHandler {
  return async (req, res, next) => {
    const viewer = viewerOf(res);
    const key = viewer !== undefined ? `token:${viewer.principal.tokenId}` : req.method === 'POST' ? `sign-in:${req.ip ?? 'unknown'}` : undefined;
    if (key === undefined) {
      next();
      return;
    }
    const decision = await limiter.hit(key, clock.now());
    if (!decision.allowed) {
      throw new HttpProblem(429, 'rate-limited', '请求过于频繁，请稍后再试', `more than ${decision.limit} requests this minute; retry in ${decision.retryAfterSeconds} s`, {}, {
        'Retry-After': String(decision.retryAfterSeconds),
      });
    }
    next();
  };
}
