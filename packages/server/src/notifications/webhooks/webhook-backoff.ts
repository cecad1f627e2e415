/** Waits after the 1st, 2nd, … failed attempt; the last one repeats. 5 s, 30 s, 2 min, 10 min, 30 min, then hourly. */
export const DEFAULT_BACKOFF_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];

/** Attempts before a delivery is given up as `failed` (about five hours with the default backoff). */
export const DEFAULT_MAX_ATTEMPTS = 10;

/** How long to wait after `failedAttempts` failures (1 for the first), capped at the schedule's last step. Pure. */
export function retryDelayMs(failedAttempts: number, schedule: readonly number[] = DEFAULT_BACKOFF_MS): number {
  if (schedule.length === 0) throw new Error('retryDelayMs: the backoff schedule is empty');
  const index = Math.min(Math.max(failedAttempts, 1), schedule.length) - 1;
  return schedule[index]!;
}
