/** What a rate limiter says about one request. */
export type RateDecision =
  | { readonly allowed: true; readonly limit: number; readonly remaining: number }
  | { readonly allowed: false; readonly limit: number; readonly retryAfterSeconds: number };

/**
 * Counts requests per key (a token) and says whether one more may proceed. Async so that a
 * database-backed limiter shared by several servers can stand in for the in-memory one.
 */
export interface RateLimiter {
  hit(key: string, now: Date): Promise<RateDecision>;
}

/** A limiter that allows everything (`--rate-limit 0`). */
export const unlimited: RateLimiter = {
  hit: async () => ({ allowed: true, limit: 0, remaining: Number.MAX_SAFE_INTEGER }),
};
