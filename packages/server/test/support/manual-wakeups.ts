import type { Wakeups } from '../../src/audit/checkpoints/checkpoint-issuer.ts';

/** Timers that wait until the test moves time on: `advance(ms)` wakes, in order, every waiter due by then. */
export class ManualWakeups implements Wakeups {
  private now = 0;
  private waiting: { at: number; wake: () => void }[] = [];

  after(ms: number, wake: () => void): { cancel(): void } {
    const waiter = { at: this.now + ms, wake };
    this.waiting.push(waiter);
    return { cancel: () => void (this.waiting = this.waiting.filter((w) => w !== waiter)) };
  }

  advance(ms: number): void {
    this.now += ms;
    const due = this.waiting.filter((w) => w.at <= this.now).sort((a, b) => a.at - b.at);
    this.waiting = this.waiting.filter((w) => w.at > this.now);
    for (const waiter of due) waiter.wake();
  }

  /** How many waiters are waiting. */
  get pending(): number {
    return this.waiting.length;
  }
}
