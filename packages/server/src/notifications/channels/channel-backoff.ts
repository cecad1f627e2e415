/** The first wait after a failed send: 10 s; it doubles each time. */
export const CHANNEL_BASE_DELAY_MS = 10_000;
/** The longest wait between two attempts: one hour. */
export const CHANNEL_MAX_DELAY_MS = 3_600_000;
/** Attempts before a delivery is given up as `failed` (about four hours with the default waits). */
export const CHANNEL_MAX_ATTEMPTS = 10;

/**
 * How long to wait after the `failedAttempts`-th failure: 10 s doubled each time up to an hour, then
 * jittered to between 80 % and 120 % of that by `random` (in [0, 1)) so that many deliveries failed
 * together do not all come back at once. Pure.
 */
export function channelRetryDelayMs(failedAttempts: number, random: number, base = CHANNEL_BASE_DELAY_MS, max = CHANNEL_MAX_DELAY_MS): number {
  if (!(random >= 0 && random < 1)) throw new Error(`channelRetryDelayMs: random must be in [0, 1), got ${random}`);
  const exponential = Math.min(max, base * 2 ** Math.min(Math.max(failedAttempts, 1) - 1, 30));
  return Math.round(exponential * (0.8 + 0.4 * random));
}
