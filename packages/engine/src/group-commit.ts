import type { Store, StoreTransaction } from './store/store.ts';

type Job<T> = {
  readonly work: (tx: StoreTransaction) => Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
};

/**
 * Group commit: work submitted while the event loop is busy is gathered and run in ONE transaction,
 * so one fsync makes a whole batch durable. Every promise settles only after that commit.
 * A job that throws before writing (a refusal) fails alone. If a job fails after it has written, the
 * batch is rolled back and each of its jobs is run again in a transaction of its own, so one job's
 * failure never fails or changes another's outcome. If the transaction itself fails (busy, disk full),
 * nothing was committed and every job gets that error.
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
      if (batch.length === 1) await this.runAlone(batch[0]!);
      else await this.runTogether(batch);
    }
    this.scheduled = false;
  }

  private async runAlone(job: Job<unknown>): Promise<void> {
    try {
      job.resolve(await this.store.transact(job.work));
    } catch (error) {
      job.reject(error);
    }
  }

  private async runTogether(batch: Job<unknown>[]): Promise<void> {
    let outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[];
    try {
      outcomes = await this.store.transact(async (tx) => {
        const results: typeof outcomes = [];
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
      });
    } catch (error) {
      // One job failed after writing: rerun each alone. Anything else (the database busy or full at
      // BEGIN or COMMIT) failed the batch as a whole, and would fail each job again: report it to all.
      if (error instanceof PartialWrite) for (const job of batch) await this.runAlone(job);
      else for (const job of batch) job.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i]!.resolve(outcome.value) : batch[i]!.reject(outcome.error)));
  }
}

class PartialWrite extends Error {
  constructor(cause: unknown) {
    super('a job failed after writing', { cause });
  }
}
