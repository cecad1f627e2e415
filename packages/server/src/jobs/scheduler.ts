import type { AuditEntry, Engine, StoredTimer } from '@duban/engine';
import type { Logger } from 'pino';
import type { Clock } from '../time/clock.ts';
import { PeriodicRounds } from './periodic-rounds.ts';

/** What one round of timer firing did. */
export interface FireReport {
  readonly fired: AuditEntry[];
  readonly dropped: StoredTimer[];
}

/**
 * Fires the engine's due timers at the clock's time: once when started (catching up after
 * downtime), then every `intervalMs`. Rounds never overlap (they queue); a failed round is logged and the next
 * one tries again, so the server never dies of it.
 */
export class Scheduler {
  private readonly rounds: PeriodicRounds<FireReport | undefined>;

  constructor(
    private readonly engine: Engine,
    private readonly clock: Clock,
    private readonly logger: Logger,
    intervalMs = 30_000,
  ) {
    this.rounds = new PeriodicRounds('Scheduler', () => this.fire(), intervalMs);
  }

  /** Runs the catch-up round, then starts the interval. */
  async start(): Promise<FireReport | undefined> {
    if (this.rounds.started) throw new Error('Scheduler: already started');
    const report = await this.tick();
    this.rounds.start();
    return report;
  }

  /** One round at the clock's time, after any round in progress; undefined when it failed. */
  tick(): Promise<FireReport | undefined> {
    return this.rounds.tick();
  }

  /** Stops the interval and waits for a round in progress. */
  stop(): Promise<void> {
    return this.rounds.stop();
  }

  private async fire(): Promise<FireReport | undefined> {
    const now = this.clock.now();
    try {
      const report = await this.engine.fireDue(now);
      if (report.fired.length > 0 || report.dropped.length > 0) {
        this.logger.info(
          { now: now.toISOString(), fired: report.fired.map((e) => `${e.instanceId} ${e.type} #${e.seq}`), dropped: report.dropped.map((t) => `${t.instanceId} ${t.key}`) },
          'timers fired',
        );
      }
      return report;
    } catch (error) {
      this.logger.error({ err: error, now: now.toISOString() }, 'firing timers failed; will retry next round');
      return undefined;
    }
  }
}
