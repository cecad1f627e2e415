import type { Clock } from '../../src/time/clock.ts';

/** A clock that stands still until the test moves it. */
export class ManualClock implements Clock {
  private at: number;

  constructor(startIso: string) {
    this.at = Date.parse(startIso);
  }

  now(): Date {
    return new Date(this.at);
  }

  set(iso: string): void {
    this.at = Date.parse(iso);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}
