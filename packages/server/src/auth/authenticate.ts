import type { RequestHandler } from 'express';
import { rateLimited, unauthorized } from '../http/problems.ts';
import type { RateDecision, RateLimiter } from '../rate-limit/rate-limiter.ts';
import type { Clock } from '../time/clock.ts';
import type { Principal } from './principal.ts';

/** What authentication needs of the token store. */
export interface TokenAuthenticator {
  authenticate(token: string, at: Date): Promise<Principal | undefined>;
}

/** RFC 9110 §11.1: the scheme is case-insensitive; RFC 6750: one token68 after it. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** How a refusal for failed attempts names the budget. */
const FAILURES = 'without a valid token from this address';
/** Addresses remembered as blocked before the expired ones are swept. */
const MAX_BLOCKED = 10_000;

/**
 * Requires `Authorization: Bearer <token>` naming a live token; puts its principal on `res.locals`.
 * Failed attempts count per client address against `limiter` (the tokens' own budget, which keys by
 * token, cannot see them): past it, that address gets 429 until the window ends, even with a token
 * that would have worked, so guessing gains nothing by trying faster.
 */
export function authenticate(tokens: TokenAuthenticator, limiter: RateLimiter, clock: Clock): RequestHandler {
  const blockedUntil = new Map<string, { readonly until: number; readonly decision: Extract<RateDecision, { allowed: false }> }>();
  return async (req, res, next) => {
    const address = req.ip ?? 'unknown';
    const now = clock.now();
    const blocked = blockedUntil.get(address);
    if (blocked !== undefined) {
      if (blocked.until > now.getTime()) throw rateLimited({ ...blocked.decision, retryAfterSeconds: Math.max(1, Math.ceil((blocked.until - now.getTime()) / 1000)) }, FAILURES);
      blockedUntil.delete(address);
    }
    const header = req.get('Authorization');
    const match = header === undefined ? null : BEARER.exec(header.trim());
    const principal = match?.[1] === undefined ? undefined : await tokens.authenticate(match[1], now);
    if (principal === undefined) {
      const decision = await limiter.hit(`bearer-failures:${address}`, now);
      if (!decision.allowed) {
        if (blockedUntil.size >= MAX_BLOCKED) for (const [key, entry] of blockedUntil) if (entry.until <= now.getTime()) blockedUntil.delete(key);
        blockedUntil.set(address, { until: now.getTime() + decision.retryAfterSeconds * 1000, decision });
        throw rateLimited(decision, FAILURES);
      }
      throw unauthorized(header === undefined ? 'this request needs an Authorization: Bearer <token> header' : 'the bearer token is malformed, unknown or revoked');
    }
    res.locals['principal'] = principal;
    next();
  };
}
