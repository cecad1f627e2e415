/**
 * Runs `round` every `intervalMs` once started, and on demand through `tick`. Rounds never overlap: a
 * tick while one runs waits for it, and an interval that comes round while one runs is skipped.
 */
export class PeriodicRounds<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly name: string,
    private readonly round: () => Promise<T>,
    private readonly intervalMs: number,
  ) {
    if (!Number.isFinite(intervalMs) || intervalMs < 10) throw new Error(`${name}: intervalMs must be >= 10, got ${intervalMs}`);
  }

  /** Starts the interval. */
  start(): void {
    if (this.timer !== undefined) throw new Error(`${this.name}: already started`);
    this.timer = setInterval(() => {
      if (this.running === undefined) void this.tick();
    }, this.intervalMs);
  }

  get started(): boolean {
    return this.timer !== undefined;
  }

  /** One round now, after any round in progress. */
  tick(): Promise<T> {
    const round = (this.running ?? Promise.resolve(undefined)).then(() => this.round());
    this.running = round;
    void round.finally(() => {
      if (this.running === round) this.running = undefined;
    });
    return round;
  }

  /** Stops the interval and waits for a round in progress. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
