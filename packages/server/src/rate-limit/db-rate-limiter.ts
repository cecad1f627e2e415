import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import type { RateDecision, RateLimiter } from './rate-limiter.ts';

/**
 * Fixed-window limiter kept in the database (table `rate_limit_window`, one row per key), so that several
 * servers on one PostgreSQL database share each token's count: at most `limit` requests per key per window
 * (a minute by default), windows aligned to the clock. One atomic upsert per request. Does IO.
 */
export class DbRateLimiter implements RateLimiter {
  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`DbRateLimiter: limit must be an integer >= 1, got ${limit}`);
    if (!Number.isInteger(windowMs) || windowMs < 1) throw new Error(`DbRateLimiter: windowMs must be an integer >= 1, got ${windowMs}`);
  }

  async hit(key: string, now: Date): Promise<RateDecision> {
    const at = now.getTime();
    const start = at - (at % this.windowMs);
    // A hit from a server whose clock is a little behind counts in the newer window rather than resetting it.
    const newer = sql<boolean>`${sql.ref('rate_limit_window.window_start')} < ${sql.ref('excluded.window_start')}`;
    const row = await this.db
      .insertInto('rate_limit_window')
      .values({ key, window_start: start, count: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`CASE WHEN ${newer} THEN 1 ELSE ${sql.ref('rate_limit_window.count')} + 1 END`,
          window_start: sql<number>`CASE WHEN ${newer} THEN ${sql.ref('excluded.window_start')} ELSE ${sql.ref('rate_limit_window.window_start')} END`,
        }),
      )
      .returning(['count', 'window_start'])
      .executeTakeFirstOrThrow();
    const count = Number(row.count);
    if (count > this.limit) {
      const windowEnd = Number(row.window_start) + this.windowMs;
      return { allowed: false, limit: this.limit, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - at) / 1000)) };
    }
    return { allowed: true, limit: this.limit, remaining: this.limit - count };
  }
}
