import type { Store, StoreTransaction } from './store/store.ts';

type Job<T> = {
  readonly work: (tx: StoreTransaction) => Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
};

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Commits that the disk catches up with while the next batch runs (store.synced() before any answer). */
const SYNC_LATER = { syncLater: true } as const;

/**
 * Group commit: work submitted while the event loop is busy is gathered and run in ONE transaction,
 * so one fsync makes a whole batch durable. Every promise settles only once that commit is durable:
 * the batch commits without waiting for the disk, the next batch starts at once, and the answers of
 * this one wait for `store.synced()` (on SQLite the WAL's fsync, off the event loop), so the fsync
 * of one batch overlaps the work of the next. Refusals wait too: they were decided on what the
 * earlier batches committed.
 * A job that throws before writing (a refusal) fails alone. If a job fails after it has written, the
 * batch is rolled back and each of its jobs is run again in a transaction of its own, so one job's
 * failure never fails or changes another's outcome. If the transaction itself fails (busy, disk full),
 * nothing was committed and every job gets that error; if the sync fails, every job of the batch gets
 * that error (what committed stays committed: a retry with its idempotency key finds it).
 */
export class GroupCommit {
  private queue: Job<any>[] = [];
  private scheduled = false;

  constructor(
    private readonly store: Store,
    private readonly maxBatch = 256,
  ) {}

  run<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O phase: every request that arrived in this turn joins the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      const outcomes = batch.length === 1 ? [await this.runAlone(batch[0]!)] : await this.runTogether(batch);
      void this.settleWhenSynced(batch, outcomes);
    }
    this.scheduled = false;
  }

  private async settleWhenSynced(batch: readonly Job<unknown>[], outcomes: readonly Outcome[]): Promise<void> {
    try {
      await this.store.synced();
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i]!.resolve(outcome.value) : batch[i]!.reject(outcome.error)));
  }

  private async runAlone(job: Job<unknown>): Promise<Outcome> {
    try {
      return { ok: true, value: await this.store.transact(job.work, SYNC_LATER) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private async runTogether(batch: readonly Job<unknown>[]): Promise<Outcome[]> {
    try {
      return await this.store.transact(async (tx) => {
        const results: Outcome[] = [];
        for (const job of batch) {
          const writesBefore = tx.writes;
          try {
            results.push({ ok: true, value: await job.work(tx) });
          } catch (error) {
            // Refused before writing: nothing to undo. Failed after writing: undo the whole batch.
            if (tx.writes !== writesBefore) throw new PartialWrite(error);
            results.push({ ok: false, error });
          }
        }
        return results;
      }, SYNC_LATER);
    } catch (error) {
      // One job failed after writing: rerun each alone. Anything else (the database busy or full at
      // BEGIN or COMMIT) failed the batch as a whole, and would fail each job again: report it to all.
      if (!(error instanceof PartialWrite)) return batch.map(() => ({ ok: false, error }));
      const outcomes: Outcome[] = [];
      for (const job of batch) outcomes.push(await this.runAlone(job));
      return outcomes;
    }
  }
}

class PartialWrite extends Error {
  constructor(cause: unknown) {
    super('a job failed after writing', { cause });
  }
}
