import type { Engine, SignedCheckpoint } from '@duban/engine';
import type { Logger } from 'pino';
import type { Clock } from '../../time/clock.ts';
import type { AuditSigner } from '../keys/audit-signer.ts';
import { catchUpCheckpointFile, recordCheckpoint } from './record-checkpoint.ts';

/** When the server signs a checkpoint (besides at start, when the log grew while it was down, and at shutdown). */
export interface CheckpointPolicy {
  /** Once this many entries were added since the latest checkpoint; 0 turns this off. */
  readonly everyEntries: number;
  /** This often, if the log grew; 0 turns this off. */
  readonly intervalMs: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { everyEntries: 1000, intervalMs: 10 * 60_000 };

/**
 * Signs checkpoints of the audit log as the server runs: every `everyEntries` new entries, every
 * `intervalMs` when there are new entries, at start and at shutdown; each is stored in the database
 * and appended to the checkpoint file. Signing never overlaps; a failure is logged and retried at
 * the next occasion, never thrown into a request.
 */
export class CheckpointIssuer {
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Size of the latest checkpoint this issuer knows of. */
  private signedSize = 0;
  /** Entries committed since the last growth check, as the commit hook counted them. */
  private noted = 0;
  private checking = false;
  private started = false;
  private stopped = false;

  constructor(
    private readonly engine: Engine,
    readonly signer: AuditSigner,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
  ) {
    for (const [name, value] of Object.entries(policy)) {
      if (!Number.isInteger(value) || value < 0) throw new Error(`CheckpointIssuer: ${name} must be an integer >= 0, got ${value}`);
    }
  }

  /** Completes the checkpoint file, signs what was added while the server was down, then starts the interval. */
  async start(): Promise<void> {
    if (this.started || this.stopped) throw new Error('CheckpointIssuer: already started');
    this.started = true;
    const latest = (await this.engine.checkpoints()).at(-1);
    this.signedSize = latest?.size ?? 0;
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
      this.timer = setInterval(() => void this.issue('interval'), this.policy.intervalMs);
      this.timer.unref();
    }
  }

  /** For the engine's commit hook: counts one committed entry. Cheap; never throws (a throw would roll the commit back). */
  noteCommit(): void {
    if (this.policy.everyEntries === 0 || this.stopped) return;
    this.noted += 1;
    if (this.noted >= this.policy.everyEntries && !this.checking) {
      this.checking = true;
      // The hook runs inside the transaction: look once it has committed.
      setImmediate(() => void this.checkGrowth());
    }
  }

  /** Signs a checkpoint now if the log grew; after any signing in progress. */
  issue(reason: string): Promise<SignedCheckpoint | undefined> {
    const round = this.queue.then(() => this.sign(reason));
    this.queue = round;
    return round;
  }

  /** Stops the interval, waits for signing in progress, and signs a last checkpoint (if it was started). */
  async stop(): Promise<SignedCheckpoint | undefined> {
    if (this.stopped) return undefined;
    this.stopped = true;
    if (!this.started) return undefined;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    return this.issue('shutdown');
  }

  private async checkGrowth(): Promise<void> {
    if (this.stopped) return;
    const counted = this.noted;
    try {
      const size = await this.engine.auditSize();
      if (size - this.signedSize >= this.policy.everyEntries) {
        await this.issue('entries');
        // Another server may have covered it already.
        this.signedSize = Math.max(this.signedSize, size);
      }
      this.noted = Math.max(0, this.noted - counted) + Math.max(0, size - this.signedSize);
    } catch (error) {
      this.logger.error({ err: error }, 'checking the audit log size failed; will retry at the next entry');
    } finally {
      this.checking = false;
    }
  }

  private async sign(reason: string): Promise<SignedCheckpoint | undefined> {
    const at = this.clock.now();
    try {
      const checkpoint = await recordCheckpoint(this.engine, this.signer, at);
      if (checkpoint !== undefined) {
        this.signedSize = checkpoint.size;
        this.logger.info({ size: checkpoint.size, rootHash: checkpoint.rootHash, time: checkpoint.time, reason }, 'checkpoint signed');
      }
      return checkpoint;
    } catch (error) {
      this.logger.error({ err: error, reason }, 'signing a checkpoint failed; will retry at the next occasion');
      return undefined;
    }
  }
}
