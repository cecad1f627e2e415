import type { Request, RequestHandler } from 'express';
import type { Clock } from '../time/clock.ts';
import { asOf } from '../time/as-of.ts';
import { heavyReadsBusy } from './problems.ts';

/** How many heavy reads run at once, and how many more wait for a turn. */
export interface HeavyReadLimits {
  /** 0 turns the limit off. */
  readonly running: number;
  readonly queued: number;
}

export const DEFAULT_HEAVY_READ_LIMITS: HeavyReadLimits = { running: 2, queued: 6 };

/** A place taken by one request: `ready` says whether it may run (false: it left while waiting); `leave` gives the place up. */
export interface HeavyReadTurn {
  readonly ready: Promise<boolean>;
  leave(): void;
}

/**
 * The one limit on reads that go through the whole audit log (replays, verification, reports as of
 * a past day): at most `running` at once, `queued` more waiting in arrival order, none beyond that.
 * In memory, per server. Cheap reads never pass through it, so they never wait behind heavy ones.
 */
export class HeavyReads {
  private active = 0;
  private readonly waiting: { start: (run: boolean) => void }[] = [];

  constructor(readonly limits: HeavyReadLimits = DEFAULT_HEAVY_READ_LIMITS) {
    if (!Number.isInteger(limits.running) || limits.running < 0) throw new Error(`HeavyReads: running must be an integer >= 0, got ${limits.running}`);
    if (!Number.isInteger(limits.queued) || limits.queued < 0) throw new Error(`HeavyReads: queued must be an integer >= 0, got ${limits.queued}`);
  }

  /** How many run now and how many wait. */
  get load(): { running: number; queued: number } {
    return { running: this.active, queued: this.waiting.length };
  }

  /** A turn now or a place in the queue; undefined when both are full. */
  enter(): HeavyReadTurn | undefined {
    if (this.limits.running === 0) return { ready: Promise.resolve(true), leave: () => undefined };
    let state: 'running' | 'queued' | 'done';
    let ready: Promise<boolean>;
    let waiter: { start: (run: boolean) => void } | undefined;
    if (this.active < this.limits.running) {
      this.active += 1;
      state = 'running';
      ready = Promise.resolve(true);
    } else if (this.waiting.length < this.limits.queued) {
      state = 'queued';
      ready = new Promise<boolean>((resolve) => {
        waiter = {
          start: (run) => {
            if (run) state = 'running';
            resolve(run);
          },
        };
      });
      this.waiting.push(waiter!);
    } else {
      return undefined;
    }
    return {
      ready,
      leave: () => {
        if (state === 'running') {
          this.active -= 1;
          this.handOn();
        } else if (state === 'queued') {
          this.waiting.splice(this.waiting.indexOf(waiter!), 1);
          waiter!.start(false);
        }
        state = 'done';
      },
    };
  }

  private handOn(): void {
    while (this.active < this.limits.running && this.waiting.length > 0) {
      this.active += 1;
      this.waiting.shift()!.start(true);
    }
  }
}

/** Seconds a refused heavy read is told to wait. */
export const HEAVY_READ_RETRY_AFTER_SECONDS = 5;

/**
 * Route middleware: a request `isHeavy` says is heavy waits for its turn (or is refused with 503 and
 * Retry-After when the queue is full); its turn ends when its response closes. A request whose client
 * leaves while it waits leaves the queue and is never run.
 */
export function heavyRead(limiter: HeavyReads, isHeavy: (req: Request) => boolean = () => true): RequestHandler {
  return async (req, res, next) => {
    if (!isHeavy(req)) {
      next();
      return;
    }
    const turn = limiter.enter();
    if (turn === undefined) throw heavyReadsBusy(limiter.limits, HEAVY_READ_RETRY_AFTER_SECONDS);
    res.once('close', () => turn.leave());
    if (await turn.ready) next();
  };
}

/**
 * For routes that read "as of" a day (`?asOf=`, or the fields named): heavy when one of them names an
 * instant before now, which is rebuilt from the whole log; as of now reads the current plan (cheap).
 * A value that does not parse is not heavy: the route refuses it.
 */
export function pastAsOf(clock: Clock, fields: readonly string[] = ['asOf']): (req: Request) => boolean {
  return (req) => {
    const now = clock.now();
    return fields.some((field) => {
      const text = (req.query as Record<string, unknown>)[field];
      if (typeof text !== 'string') return false;
      try {
        return !asOf(text, now, field).now;
      } catch {
        return false;
      }
    });
  };
}
