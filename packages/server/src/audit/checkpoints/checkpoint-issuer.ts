import type { Engine, SignedCheckpoint } from '@duban/engine';
import type { Logger } from 'pino';
import type { Clock } from '../../time/clock.ts';
import type { AuditSigner } from '../keys/audit-signer.ts';
import { catchUpCheckpointFile, recordCheckpoint } from './record-checkpoint.ts';

/** When the server signs a checkpoint (besides at start, when the log grew while it was down, and at shutdown). */
export interface CheckpointPolicy {
  /**
   * After a commit: at once when no checkpoint was signed in the last `minIntervalMs`, else as soon as
   * that much time has passed since the last one (so at most one per `minIntervalMs` under load);
   * 0 turns signing after commits off.
   */
  readonly minIntervalMs: number;
  /** Ceiling: once this many entries wait for a checkpoint, sign without waiting out `minIntervalMs`; 0 turns this off. */
  readonly everyEntries: number;
  /** This often, if the log grew (entries this server did not commit: other servers, CLI commands); 0 turns this off. */
  readonly intervalMs: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { minIntervalMs: 2_000, everyEntries: 1000, intervalMs: 60_000 };

/** How long a failed signing waits before it is tried again, when `minIntervalMs` is shorter (or off). */
const RETRY_MS = 5_000;

/** How the issuer waits: Node's timers, or a test's hand-driven ones. */
export interface Wakeups {
  /** Calls `wake` once after `ms`; `cancel` stops it. */
  after(ms: number, wake: () => void): { cancel(): void };
}

export const realWakeups: Wakeups = {
  after(ms, wake) {
    const timer = setTimeout(wake, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

/**
 * Signs checkpoints of the audit log as the server runs, so an acknowledged entry is covered by a
 * signed checkpoint within `minIntervalMs` (plus one signing): after each commit when the log is quiet,
 * at most once per `minIntervalMs` under load (sooner once `everyEntries` wait), every `intervalMs`
 * when the log grew, at start and at shutdown. Each is stored in the database and appended to the
 * checkpoint file. It runs after the commit, never in a request's transaction; signing never
 * overlaps; a failure is logged and tried again until the entries are covered, never thrown into a request.
 */
export class CheckpointIssuer {
  private interval: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** The log size the latest checkpoint this issuer knows of covers. */
  private signedSize = 0;
  /** The highest seq committed by this server, as the commit hook reported it. */
  private committedSeq = 0;
  /** A round (sign after commits) is running. */
  private signing = false;
  private running: Promise<void> = Promise.resolve();
  /** Waiting out `minIntervalMs` after a round (or the retry delay after a failed one). */
  private cooling: { cancel(): void } | undefined;
  private failed = false;
  private started = false;
  private stopped = false;

  constructor(
    private readonly engine: Engine,
    readonly signer: AuditSigner,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
    private readonly wakeups: Wakeups = realWakeups,
  ) {
    for (const [name, value] of Object.entries(policy)) {
      if (!Number.isInteger(value) || value < 0) throw new Error(`CheckpointIssuer: ${name} must be an integer >= 0, got ${value}`);
    }
  }

  /** Completes the checkpoint file, signs what was added while the server was down, then starts the interval. */
  async start(): Promise<void> {
    if (this.started || this.stopped) throw new Error('CheckpointIssuer: already started');
    this.started = true;
    const latest = await this.engine.latestCheckpoint();
    this.signedSize = Math.max(this.signedSize, latest?.size ?? 0);
    if (this.signer.files !== undefined) {
      try {
        const appended = await catchUpCheckpointFile(this.engine, this.signer.files.checkpointFile);
        if (appended > 0) this.logger.warn({ file: this.signer.files.checkpointFile, appended }, 'checkpoint file lacked stored checkpoints; appended them');
      } catch (error) {
        this.logger.error({ err: error, file: this.signer.files.checkpointFile }, 'cannot complete the checkpoint file');
      }
    }
    await this.issue('start');
    if (this.policy.intervalMs > 0) {
      this.interval = setInterval(() => void this.issue('interval'), this.policy.intervalMs);
      this.interval.unref();
    }
    this.consider();
  }

  /**
   * For the transaction's afterCommit: entry `seq` has committed. Cheap and synchronous; the signing
   * it may start runs later, off the request. Never throws.
   */
  noteCommit(seq: number): void {
    if (this.stopped) return;
    this.committedSeq = Math.max(this.committedSeq, seq);
    this.consider();
  }

  /** Signs a checkpoint now if the log grew; after any signing in progress. */
  issue(reason: string): Promise<SignedCheckpoint | undefined> {
    const round = this.queue.then(() => this.sign(reason));
    this.queue = round;
    return round;
  }

  /** Resolves once no signing is running or queued (for tests and shutdown). */
  async settled(): Promise<void> {
    for (;;) {
      const [running, queued] = [this.running, this.queue];
      await running;
      await queued;
      if (running === this.running && queued === this.queue) return;
    }
  }

  /** Stops the interval and the wait, waits for signing in progress, and signs a last checkpoint (if it was started). */
  async stop(): Promise<SignedCheckpoint | undefined> {
    if (this.stopped) return undefined;
    this.stopped = true;
    if (!this.started) return undefined;
    if (this.interval !== undefined) clearInterval(this.interval);
    this.interval = undefined;
    this.cooling?.cancel();
    this.cooling = undefined;
    return this.issue('shutdown');
  }

  /** Starts a round if entries wait and the policy says now. */
  private consider(): void {
    if (!this.started || this.stopped || this.signing || this.committedSeq <= this.signedSize) return;
    const waiting = this.committedSeq - this.signedSize;
    const rested = this.cooling === undefined;
    const afterCommit = rested && (this.policy.minIntervalMs > 0 || this.failed);
    const ceiling = !this.failed && this.policy.everyEntries > 0 && waiting >= this.policy.everyEntries;
    if (afterCommit || ceiling) this.running = this.round();
  }

  private async round(): Promise<void> {
    this.signing = true;
    const target = this.committedSeq;
    const reason = this.failed ? 'retry' : this.cooling === undefined ? 'commit' : 'entries';
    this.cooling?.cancel();
    this.cooling = undefined;
    try {
      const checkpoint = await this.issue(reason);
      // Undefined without a failure: a checkpoint (another server's) already covers the log as read, which held `target`.
      if (!this.failed) this.signedSize = Math.max(this.signedSize, target, checkpoint?.size ?? 0);
    } finally {
      this.signing = false;
    }
    if (this.stopped) return;
    const rest = this.failed ? Math.max(this.policy.minIntervalMs, RETRY_MS) : this.policy.minIntervalMs;
    if (rest > 0) {
      this.cooling = this.wakeups.after(rest, () => {
        this.cooling = undefined;
        this.consider();
      });
    }
    this.consider();
  }

  private async sign(reason: string): Promise<SignedCheckpoint | undefined> {
    const at = this.clock.now();
    try {
      const checkpoint = await recordCheckpoint(this.engine, this.signer, at);
      this.failed = false;
      if (checkpoint !== undefined) {
        this.signedSize = Math.max(this.signedSize, checkpoint.size);
        this.logger.info({ size: checkpoint.size, rootHash: checkpoint.rootHash, time: checkpoint.time, reason }, 'checkpoint signed');
      }
      return checkpoint;
    } catch (error) {
      this.failed = true;
      this.logger.error({ err: error, reason, waiting: Math.max(0, this.committedSeq - this.signedSize) }, 'signing a checkpoint failed; will retry');
      return undefined;
    }
  }
}
