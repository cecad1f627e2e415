import type { WriteStream } from 'node:tty';

/** Where progress goes: a terminal (a bar redrawn in place) or anything else (plain lines). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressOptions {
  /** What is counted ("entries", "tasks"). */
  readonly unit?: string;
  /** Milliseconds between plain lines when the stream is not a terminal. */
  readonly lineEveryMs?: number;
  /** The clock in milliseconds (performance.now by default). */
  readonly now?: () => number;
}

const REDRAW_MS = 100;

/**
 * Progress of long work on stderr: on a terminal a bar redrawn in place with the rate and the time
 * left; otherwise a plain line every few seconds (for logs and pipes). `total` may be unknown (0).
 */
export class Progress {
  private readonly began: number;
  private last = Number.NEGATIVE_INFINITY;
  private done = 0;
  private readonly unit: string;
  private readonly lineEveryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: ProgressStream = process.stderr as WriteStream,
    options: ProgressOptions = {},
  ) {
    this.unit = options.unit ?? 'entries';
    this.lineEveryMs = options.lineEveryMs ?? 5000;
    this.now = options.now ?? (() => performance.now());
    this.began = this.now();
  }

  /** `done` of the total are done. */
  update(done: number): void {
    this.done = done;
    const now = this.now();
    if (now - this.last < (this.stream.isTTY === true ? REDRAW_MS : this.lineEveryMs)) return;
    this.last = now;
    this.draw(false);
  }

  /** The work ended (finished or stopped): the bar's last state on its own line. */
  finish(): void {
    if (this.stream.isTTY === true || this.done > 0) this.draw(true);
  }

  /** The line as it reads now: done of total, percent, rate, time left. */
  text(): string {
    const seconds = Math.max((this.now() - this.began) / 1000, 1e-3);
    const rate = this.done / seconds;
    const count = this.total > 0 ? `${number(this.done)}/${number(this.total)} ${this.unit}` : `${number(this.done)} ${this.unit}`;
    const left = this.total > 0 && rate > 0 ? `, ${duration(Math.max(0, this.total - this.done) / rate)} left` : '';
    const percent = this.total > 0 ? ` (${Math.floor((100 * this.done) / this.total)}%)` : '';
    return `${this.label}: ${count}${percent}, ${number(Math.round(rate))} ${this.unit}/s${left}`;
  }

  private draw(final: boolean): void {
    const text = this.text();
    if (this.stream.isTTY !== true) {
      this.stream.write(`${text}\n`);
      return;
    }
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - text.length - 4));
    const filled = this.total > 0 ? Math.round((width * Math.min(this.done, this.total)) / this.total) : 0;
    // Carriage return and erase the line (ECMA-48 EL): the bar redraws in place.
    this.stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}${final ? '\n' : ''}`);
  }
}

function number(n: number): string {
  return n.toLocaleString('en-US');
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.ceil(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Raised when the person pressed Ctrl-C: the work stops where it is, leaving nothing half-written. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';

  constructor() {
    super('interrupted');
  }
}

/**
 * Runs `work` with Ctrl-C (SIGINT) turned into a stop: `stopped()` throws Interrupted once the signal
 * came, so the work ends at its next check and its `finally` blocks clean up. Removes the handler after.
 */
export async function untilInterrupted<T>(work: (stopped: () => void) => Promise<T>): Promise<T> {
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  try {
    return await work(() => {
      if (interrupted) throw new Interrupted();
    });
  } finally {
    process.off('SIGINT', onSignal);
  }
}

/** `entries` as they pass, counted into `progress`, checking `stopped` at each. */
export async function* counted<T>(entries: AsyncIterable<T>, progress: Progress, stopped: () => void): AsyncGenerator<T> {
  let count = 0;
  for await (const entry of entries) {
    stopped();
    yield entry;
    progress.update(++count);
  }
}
