/** Where the server reads the time. Everything below the server's edge gets time passed in. */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = Object.freeze({
  now: () => new Date(),
});

/**
 * A clock that starts at `startIso` and then runs with real time, plus whatever `advance` adds:
 * for demos and trials that need the plan's dates (e.g. 2023-05-10) rather than today.
 */
export class SimulatedClock implements Clock {
  private readonly start: number;
  private readonly realStart: number;
  private offset = 0;

  constructor(startIso: string, private readonly realNow: () => number = () => Date.now()) {
    const start = Date.parse(startIso);
    if (Number.isNaN(start)) throw new Error(`SimulatedClock: not an ISO 8601 instant: ${JSON.stringify(startIso)}`);
    this.start = start;
    this.realStart = realNow();
  }

  now(): Date {
    return new Date(this.start + this.offset + (this.realNow() - this.realStart));
  }

  /** Moves the clock forward by `ms` (never backward). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`SimulatedClock.advance: ms must be a finite number >= 0, got ${ms}`);
    this.offset += ms;
  }

  /** Moves the clock forward to `iso`; a time already passed leaves it where it is. */
  advanceTo(iso: string): void {
    const target = Date.parse(iso);
    if (Number.isNaN(target)) throw new Error(`SimulatedClock.advanceTo: not an ISO 8601 instant: ${JSON.stringify(iso)}`);
    this.advance(Math.max(0, target - this.now().getTime()));
  }
}
