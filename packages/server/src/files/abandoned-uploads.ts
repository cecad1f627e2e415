import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { ServerDatabase } from '../db/server-tables.ts';

/** How a sweep is bounded. */
export interface SweepLimits {
  /**
   * How old an upload must be before it counts as abandoned (default 1 hour). Every server on the
   * database cuts a request off after 30 s (run-server.ts), so an upload older than this is no
   * longer being written by any of them, even with their clocks some minutes apart.
   */
  readonly safeAgeMs: number;
  /** Uploads claimed in one round (default 20). */
  readonly uploadsPerRound: number;
  /** Chunks one delete statement removes (default 32, 16 MiB). */
  readonly chunksPerBatch: number;
  /** Chunks one round removes at most (default 1,000); an upload left half removed is finished next round. */
  readonly chunksPerRound: number;
}

export const defaultSweepLimits: SweepLimits = { safeAgeMs: 60 * 60 * 1000, uploadsPerRound: 20, chunksPerBatch: 32, chunksPerRound: 1_000 };

/** One abandoned upload whose chunks a sweep removed. */
export interface RemovedUpload {
  readonly key: string;
  readonly startedAt: string;
  readonly chunks: number;
  readonly bytes: number;
}

/** What one sweep did. */
export interface SweepReport {
  /** Uploads whose chunks are all gone now. */
  readonly removed: RemovedUpload[];
  /** Chunks removed in all, those of uploads not yet finished included. */
  readonly chunks: number;
  readonly bytes: number;
  /** Listed uploads whose chunks a kept file names (the chunks stay; only the listing goes). */
  readonly kept: string[];
}

/**
 * Removes the chunks of uploads that a server, killed mid-upload, left behind: listed in
 * `file_incoming` and older than the safe age. An upload is first claimed (marked abandoned, so its
 * `finish` can no longer keep it, on any server), then its chunks go in batches, each delete checking
 * that no kept file names them; a round is bounded, and what it leaves is taken up by the next. Several
 * servers may sweep at once: they remove the same rows, no more. Logs what it removed. Does IO.
 */
export class AbandonedUploads {
  private readonly limits: SweepLimits;

  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly logger: Logger,
    limits: Partial<SweepLimits> = {},
  ) {
    this.limits = { ...defaultSweepLimits, ...limits };
  }

  /** One round at `now`. */
  async sweep(now: Date): Promise<SweepReport> {
    const at = now.toISOString();
    const cutoff = new Date(now.getTime() - this.limits.safeAgeMs).toISOString();
    // Chunks found by migration 0017 start their safe age when first seen.
    await this.db.updateTable('file_incoming').set({ started_at: at }).where('started_at', 'is', null).execute();
    await this.db
      .updateTable('file_incoming')
      .set({ abandoned_at: at })
      .where('abandoned_at', 'is', null)
      .where('started_at', '<', cutoff)
      .where('chunks_key', 'in', (db) => db.selectFrom('file_incoming').select('chunks_key').where('abandoned_at', 'is', null).where('started_at', '<', cutoff).orderBy('started_at').limit(this.limits.uploadsPerRound))
      .execute();
    const claimed = await this.db.selectFrom('file_incoming').select(['chunks_key', 'started_at']).where('abandoned_at', 'is not', null).orderBy('abandoned_at').limit(this.limits.uploadsPerRound).execute();

    const removed: RemovedUpload[] = [];
    const kept: string[] = [];
    let chunks = 0;
    let bytes = 0;
    for (const { chunks_key: key, started_at: startedAt } of claimed) {
      if (chunks >= this.limits.chunksPerRound) break;
      if ((await this.db.selectFrom('file_content').select('sha256').where('chunks_key', '=', key).executeTakeFirst()) !== undefined) {
        kept.push(key);
        this.logger.warn({ key }, 'abandoned uploads: a kept file names the chunks of a listed upload; the chunks stay');
        await this.db.deleteFrom('file_incoming').where('chunks_key', '=', key).execute();
        continue;
      }
      let upload = { chunks: 0, bytes: 0 };
      let done = false;
      while (chunks < this.limits.chunksPerRound) {
        const batch = Math.min(this.limits.chunksPerBatch, this.limits.chunksPerRound - chunks);
        const deleted = await this.db
          .deleteFrom('file_chunk')
          .where('content_key', '=', key)
          .where('n', 'in', (db) => db.selectFrom('file_chunk').select('n').where('content_key', '=', key).orderBy('n').limit(batch))
          .where((e) => e.not(e.exists(e.selectFrom('file_content').select('sha256').where('chunks_key', '=', key))))
          .returning(sql<number>`length(data)`.as('bytes'))
          .execute();
        const size = deleted.reduce((sum, row) => sum + Number(row.bytes), 0);
        upload = { chunks: upload.chunks + deleted.length, bytes: upload.bytes + size };
        chunks += deleted.length;
        bytes += size;
        // None left, or (never, by the claim) a kept file names them now: the next round looks again.
        if (deleted.length < batch) {
          done = deleted.length > 0 || (await this.db.selectFrom('file_chunk').select('n').where('content_key', '=', key).executeTakeFirst()) === undefined;
          break;
        }
      }
      if (!done) {
        if (upload.chunks > 0) this.logger.info({ key, startedAt, chunks: upload.chunks, bytes: upload.bytes }, 'abandoned uploads: removed some chunks of an upload; the rest go next round');
        continue;
      }
      await this.db.deleteFrom('file_incoming').where('chunks_key', '=', key).execute();
      removed.push({ key, startedAt: startedAt ?? at, ...upload });
      this.logger.info({ key, startedAt, chunks: upload.chunks, bytes: upload.bytes }, 'abandoned uploads: removed the chunks of an upload a server left unfinished');
    }
    return { removed, chunks, bytes, kept };
  }
}
