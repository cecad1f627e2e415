import type { RateDecision, RateLimiter } from './rate-limiter.ts';

/**
 * In-memory fixed-window limiter: at most `limit` requests per key per window (a minute by
 * default). Windows are aligned to the clock, so every key's window turns at the same instant.
 */
export class FixedWindowRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`FixedWindowRateLimiter: limit must be an integer >= 1, got ${limit}`);
  }

  async hit(key: string, now: Date): Promise<RateDecision> {
    const at = now.getTime();
    const start = at - (at % this.windowMs);
    let window = this.windows.get(key);
    if (window === undefined || window.start !== start) {
      if (window === undefined) this.forgetOldWindows(start);
      window = { start, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit) {
      return { allowed: false, limit: this.limit, retryAfterSeconds: Math.max(1, Math.ceil((start + this.windowMs - at) / 1000)) };
    }
    window.count += 1;
    return { allowed: true, limit: this.limit, remaining: this.limit - window.count };
  }

  private forgetOldWindows(current: number): void {
    // Bounded memory: drop keys whose window has passed whenever a new key appears.
    if (this.windows.size < 1024) return;
    for (const [key, window] of this.windows) if (window.start !== current) this.windows.delete(key);
  }
}
