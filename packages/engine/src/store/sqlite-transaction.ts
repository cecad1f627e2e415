import type { Transaction } from 'kysely';
import type { AuditDraft, AuditEntry } from '../audit-entry.ts';
import { GENESIS_HASH, sealEntry } from '../audit-entry.ts';
import type { TimerSpec } from '../workflow-definition.ts';
import { DuplicateKey } from './duplicate-key.ts';
import type { HotQueries } from './hot-queries.ts';
import type { InstanceCache } from './instance-cache.ts';
import { KyselyTransaction, timerChanges } from './kysely-transaction.ts';
import { fromEntry, fromInstance, toInstance } from './row-mapping.ts';
import type { Database } from './schema.ts';
import type { SqliteStatements } from './sqlite-statements.ts';
import type { IdempotencyRecord, InstanceRecord } from './store.ts';
import { isUniqueViolation } from './unique-violation.ts';

/**
 * A transaction on SQLite whose transition writes run as synchronous prepared statements
 * (SqliteStatements) on the connection kysely holds for it; everything else — the commit hooks'
 * own tables, checkpoints — still goes through kysely, in the same transaction.
 *
 * Instances come from the store's InstanceCache when the database still holds the cached version:
 * the transaction holds SQLite's one write lock from BEGIN IMMEDIATE, so a version read now stays
 * true until COMMIT, and every write of an instance raises its version. So the snapshot is neither
 * read nor parsed again, and stays the very object the last step produced (whose XState snapshot,
 * tags and timers the pure core remembers).
 */
export class SqliteTransaction extends KyselyTransaction {
  /** Instances this transaction wrote, newest: a later job of the same batch reads them from here. */
  private readonly written = new Map<string, InstanceRecord>();

  constructor(
    db: Transaction<Database>,
    hot: HotQueries,
    private readonly statements: SqliteStatements,
    private readonly cache: InstanceCache,
  ) {
    super(db, 'sqlite', hot);
  }

  override async lockInstance(id: string): Promise<InstanceRecord | undefined> {
    const written = this.written.get(id);
    if (written !== undefined) return written;
    const cached = this.cache.get(id);
    if (cached !== undefined && this.statements.instanceVersion(id) === cached.version) return cached;
    const row = this.statements.instance(id);
    return row && toInstance(row);
  }

  override async insertInstance(record: InstanceRecord): Promise<void> {
    this.writes += 1;
    try {
      this.statements.insertInstance(fromInstance(record));
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateKey('workflow_instance', record.id, { cause: error });
      throw error;
    }
    this.wrote(record);
  }

  override async updateInstance(record: InstanceRecord, expectedVersion: number): Promise<boolean> {
    this.writes += 1;
    if (!this.statements.updateInstance(fromInstance(record), expectedVersion)) return false;
    this.wrote(record);
    return true;
  }

  override async appendAudit(draft: AuditDraft): Promise<AuditEntry> {
    // SQLite has one writer: the head read once stays the head for the whole transaction.
    this.head ??= this.statements.chainHead() ?? { seq: 0, hash: GENESIS_HASH };
    const entry = sealEntry(draft, this.head.seq + 1, this.head.hash);
    this.writes += 1;
    this.statements.appendEntry(fromEntry(entry));
    this.head = { seq: entry.seq, hash: entry.hash };
    return entry;
  }

  override async replaceTimers(instanceId: string, before: readonly TimerSpec[], after: readonly TimerSpec[]): Promise<void> {
    const { gone, added } = timerChanges(before, after);
    if (gone.length + added.length > 0) this.writes += 1;
    for (const key of gone) this.statements.removeTimer(instanceId, key);
    for (const timer of added) this.statements.putTimer(instanceId, timer.key, timer.dueAt, JSON.stringify(timer.event));
  }

  override async replaceTags(instanceId: string, before: readonly string[], after: readonly string[]): Promise<void> {
    const gone = before.filter((tag) => !after.includes(tag));
    const added = new Set(after.filter((tag) => !before.includes(tag)));
    if (gone.length + added.size > 0) this.writes += 1;
    for (const tag of gone) this.statements.removeTag(instanceId, tag);
    for (const tag of added) this.statements.addTag(instanceId, tag);
  }

  override async getIdempotency(key: string): Promise<IdempotencyRecord | undefined> {
    return this.statements.idempotency(key);
  }

  override async putIdempotency(record: IdempotencyRecord, at: string): Promise<void> {
    this.writes += 1;
    try {
      this.statements.putIdempotency({ key: record.key, fingerprint: record.fingerprint, outcome: record.outcome, created_at: at });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateKey('idempotency', record.key, { cause: error });
      throw error;
    }
  }

  /** The cache learns a write only once it has committed: a rolled-back one leaves it as it was. */
  private wrote(record: InstanceRecord): void {
    this.written.set(record.id, record);
    this.afterCommit(() => this.cache.set(record));
  }
}
