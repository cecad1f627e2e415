import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import type { AuditDraft, AuditEntry } from '../audit-entry.ts';
import { GENESIS_HASH, sealEntry } from '../audit-entry.ts';
import type { HotQueries } from './hot-queries.ts';
import { InstanceCache } from './instance-cache.ts';
import { KyselyTransaction } from './kysely-transaction.ts';
import { fromEntry, fromInstance, toInstance } from './row-mapping.ts';
import type { AuditLogTable, Database } from './schema.ts';
import type { InstanceRecord } from './store.ts';

/** Past this many entries written by others since this process last looked, it forgets every cached instance. */
const SINCE_LIMIT = 512;
/** Rows sent in one statement (PostgreSQL takes at most 65,535 parameters a statement; an audit row has 11, an instance 9). */
const ROWS_A_STATEMENT = 1000;

/**
 * What a store on PostgreSQL remembers between transactions: the instances this process last
 * committed, and the chain's head as it last knew it (every cached record was true then).
 */
export class PostgresMemory {
  cache = new InstanceCache();
  head: { seq: number; hash: string } | undefined;

  /** Learns a committed head; an older one (a commit whose answer arrived late) teaches nothing. */
  knowHead(head: { seq: number; hash: string }): void {
    if (this.head === undefined || head.seq > this.head.seq) this.head = head;
  }

  /** Keeps a committed record unless a newer version of it is kept already. */
  keep(record: InstanceRecord): void {
    const kept = this.cache.get(record.id);
    if (kept === undefined || kept.version <= record.version) this.cache.set(record);
  }

  forgetAll(): void {
    this.cache = new InstanceCache();
  }
}

/** A cached instance another writer had changed after all, found by the update's version check: the transaction must run again. */
export class StaleInstance extends Error {
  constructor(readonly instanceIds: readonly string[]) {
    super(`an instance among ${instanceIds.join(', ')} changed since this process cached it`);
  }
}

/**
 * A transaction on PostgreSQL that spends fewer round trips on a transition. Every PostgreSQL write
 * transaction holds the chain's advisory lock from its start, so:
 * - the chain's head is read once, with the instance ids of the entries other processes appended since
 *   this process last knew the head; their cached records are forgotten, every other cached record is
 *   still the stored one, and no one can change it before COMMIT. So an instance is read from the
 *   database only on a miss (the UPDATE's version check still guards every write).
 * - the audit rows are sealed in memory, and the instances' new versions kept, and both are written
 *   at the end (`settle`, which KyselyStore runs before COMMIT): one INSERT and one UPDATE for a whole
 *   group commit's batch instead of two statements a transition. The UPDATE checks every version it
 *   expects; one found changed can only be a cached record that was stale, and the transaction runs again.
 */
export class PostgresTransaction extends KyselyTransaction {
  /** Instances this transaction wrote, newest: a later job of the same batch reads them from here. */
  private readonly written = new Map<string, InstanceRecord>();
  private readonly pending: AuditLogTable[] = [];
  /** Instances to write at the end: each one's newest record, and the version stored before this transaction. */
  private readonly updates = new Map<string, { record: InstanceRecord; expectedVersion: number }>();
  private readonly tx: Transaction<Database>;

  constructor(
    db: Transaction<Database>,
    private readonly hotQueries: HotQueries,
    private readonly memory: PostgresMemory,
  ) {
    super(db, 'postgres', hotQueries);
    this.tx = db;
  }

  override async lockInstance(id: string): Promise<InstanceRecord | undefined> {
    const written = this.written.get(id);
    if (written !== undefined) return written;
    await this.readHead();
    const cached = this.memory.cache.get(id);
    if (cached !== undefined) return cached;
    const [row] = (await this.hotQueries.lockInstance.run(this.tx, { id })).rows;
    return row && toInstance(row);
  }

  override async insertInstance(record: InstanceRecord): Promise<void> {
    await super.insertInstance(record);
    this.wrote(record);
  }

  override async updateInstance(record: InstanceRecord, expectedVersion: number): Promise<boolean> {
    // The instance came from this transaction's writes, from a cache checked under the lock, or from the
    // database under the lock: no one else can have changed it, and the version check runs in `settle`.
    this.writes += 1;
    this.updates.set(record.id, { record, expectedVersion: this.updates.get(record.id)?.expectedVersion ?? expectedVersion });
    this.wrote(record);
    return true;
  }

  override async appendAudit(draft: AuditDraft): Promise<AuditEntry> {
    const head = await this.readHead();
    const entry = sealEntry(draft, head.seq + 1, head.hash);
    this.writes += 1;
    this.pending.push(fromEntry(entry));
    this.head = { seq: entry.seq, hash: entry.hash };
    return entry;
  }

  /** Writes what was kept for the end: the instances' new versions (checked), then the audit rows. */
  override async settle(): Promise<void> {
    const updates = [...this.updates.values()];
    this.updates.clear();
    for (let i = 0; i < updates.length; i += ROWS_A_STATEMENT) {
      const rows = updates.slice(i, i + ROWS_A_STATEMENT);
      const updated = await this.updateAll(rows);
      if (updated !== rows.length) {
        // Under the chain's lock only a stale cached record can expect a version the database no longer holds.
        this.memory.forgetAll();
        throw new StaleInstance(rows.map((row) => row.record.id));
      }
    }
    const pending = this.pending.splice(0);
    for (let i = 0; i < pending.length; i += ROWS_A_STATEMENT) {
      await this.tx.insertInto('audit_log').values(pending.slice(i, i + ROWS_A_STATEMENT)).execute();
    }
    const head = this.head;
    if (pending.length > 0 && head !== undefined) this.afterCommit(() => this.memory.knowHead(head));
  }

  /** Writes `rows`, each only where its instance is still at the version expected; how many were written. */
  private async updateAll(rows: readonly { record: InstanceRecord; expectedVersion: number }[]): Promise<number> {
    if (rows.length === 1) {
      const [{ record, expectedVersion }] = rows as [{ record: InstanceRecord; expectedVersion: number }];
      const result = await this.hotQueries.updateInstance.run(this.tx, { ...fromInstance(record), expected_version: expectedVersion });
      return Number(result.numAffectedRows ?? 0);
    }
    const values = rows.map(({ record, expectedVersion }) => {
      const row = fromInstance(record);
      return sql`(${row.id}, ${row.workflow_id}, ${row.workflow_version}::integer, ${row.state}, ${row.snapshot}, ${row.version}::integer, ${row.created_at}, ${row.updated_at}, ${expectedVersion}::integer)`;
    });
    const result = await sql`UPDATE workflow_instance AS w
      SET workflow_id = v.workflow_id, workflow_version = v.workflow_version, state = v.state, snapshot = v.snapshot, version = v.version, created_at = v.created_at, updated_at = v.updated_at
      FROM (VALUES ${sql.join(values)}) AS v (id, workflow_id, workflow_version, state, snapshot, version, created_at, updated_at, expected_version)
      WHERE w.id = v.id AND w.version = v.expected_version`.execute(this.tx);
    return Number(result.numAffectedRows ?? 0);
  }

  /**
   * The chain's head, read once under the lock, with the instances others wrote since this process
   * last knew it (their cached records forgotten; all of them when there are too many to tell).
   */
  private async readHead(): Promise<{ seq: number; hash: string }> {
    if (this.head !== undefined) return this.head;
    const known = this.memory.head;
    const { rows } = await this.hotQueries.entriesSince.run(this.tx, { after: known?.seq ?? -1, limit: SINCE_LIMIT });
    if (known === undefined || rows.length === SINCE_LIMIT) this.memory.forgetAll();
    else for (const row of rows) this.memory.cache.delete(row.instance_id);
    const [last] = rows;
    const head = last === undefined ? (known ?? { seq: 0, hash: GENESIS_HASH }) : { seq: Number(last.seq), hash: last.hash };
    this.memory.knowHead(head);
    this.head = head;
    return head;
  }

  /** The cache learns a write only once it has committed: a rolled-back one leaves it as it was. */
  private wrote(record: InstanceRecord): void {
    this.written.set(record.id, record);
    this.afterCommit(() => this.memory.keep(record));
  }
}
