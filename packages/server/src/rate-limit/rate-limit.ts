import type { Request, RequestHandler, Response } from 'express';
import { rateLimited } from '../http/problems.ts';
import type { Clock } from '../time/clock.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** Whose budget a request counts against, and how a refusal names it; undefined: not limited. */
export type RateBudget = (req: Request, res: Response) => { readonly key: string; readonly whose: string } | undefined;

/**
 * The one rate limit, for the API and the pages alike: each request counts against its budget (an
 * API token's, the token a page session stands for, a sign-in address's); past the limit a 429 with
 * Retry-After, which the API writes as problem+json and the pages as an HTML page.
 */
export function rateLimit(limiter: RateLimiter, clock: Clock, budget: RateBudget): RequestHandler {
  return async (req, res, next) => {
    const counted = budget(req, res);
    if (counted !== undefined) {
      const decision = await limiter.hit(counted.key, clock.now());
      if (!decision.allowed) throw rateLimited(decision, counted.whose);
    }
    next();
  };
}
