import type { InstanceRecord } from './store.ts';

/**
 * The instances this process last committed, by id, the least recently used dropped beyond `limit`.
 * A record here is only a guess at the database: it is used only once the stored version has been
 * read under the write lock and found equal (SqliteTransaction.lockInstance), since another process
 * on the same file may have written since. It is filled only after a COMMIT, so a rolled-back
 * transaction leaves nothing here.
 */
export class InstanceCache {
  private readonly records = new Map<string, InstanceRecord>();

  constructor(private readonly limit = 4096) {}

  get(id: string): InstanceRecord | undefined {
    const record = this.records.get(id);
    if (record !== undefined) {
      // Map keeps insertion order: moved to the end, it is the most recently used.
      this.records.delete(id);
      this.records.set(id, record);
    }
    return record;
  }

  set(record: InstanceRecord): void {
    this.records.delete(record.id);
    this.records.set(record.id, record);
    if (this.records.size > this.limit) this.records.delete(this.records.keys().next().value!);
  }

  /** Forgets `id` (another process wrote it). */
  delete(id: string): void {
    this.records.delete(id);
  }
}
