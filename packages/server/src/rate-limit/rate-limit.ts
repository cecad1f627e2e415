import type { RequestHandler } from 'express';
import type { Clock } from '../time/clock.ts';
import { HttpProblem } from '../http/http-problem.ts';
import { principalOf } from '../auth/principal.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** Limits requests per token (so it sits behind `authenticate()`); 429 with Retry-After past the limit. */
export function rateLimit(limiter: RateLimiter, clock: Clock): RequestHandler {
  return async (_req, res, next) => {
    const decision = await limiter.hit(`token:${principalOf(res).tokenId}`, clock.now());
    if (!decision.allowed) {
      throw new HttpProblem(
        429,
        'rate-limited',
        '请求过于频繁，请稍后再试',
        `more than ${decision.limit} requests this minute with this token; retry in ${decision.retryAfterSeconds} s`,
        { retryAfter: decision.retryAfterSeconds },
        { 'Retry-After': String(decision.retryAfterSeconds) },
      );
    }
    next();
  };
}
