import type { Transaction } from 'kysely';
import type { AuditDraft, AuditEntry } from '../audit-entry.ts';
import { GENESIS_HASH, sealEntry } from '../audit-entry.ts';
import type { HotQueries } from './hot-queries.ts';
import { InstanceCache } from './instance-cache.ts';
import { KyselyTransaction } from './kysely-transaction.ts';
import { fromEntry, toInstance } from './row-mapping.ts';
import type { AuditLogTable, Database } from './schema.ts';
import type { InstanceRecord } from './store.ts';

/** Past this many entries written by others since this process last looked, it forgets every cached instance. */
const SINCE_LIMIT = 512;
/** Audit rows sent in one INSERT (PostgreSQL takes at most 65,535 parameters a statement; a row has 11). */
const AUDIT_ROWS_A_STATEMENT = 1000;

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
  constructor(readonly instanceId: string) {
    super(`instance ${instanceId} changed since this process cached it`);
  }
}

/**
 * A transaction on PostgreSQL that spends fewer round trips on a transition. Every PostgreSQL write
 * transaction holds the chain's advisory lock from its start, so:
 * - the chain's head is read once, with the instance ids of the entries other processes appended since
 *   this process last knew the head; their cached records are forgotten, every other cached record is
 *   still the stored one, and no one can change it before COMMIT. So an instance is read from the
 *   database only on a miss (the UPDATE's version check still guards every write).
 * - the audit rows are sealed in memory and inserted together at the end (`finish`), one statement
 *   for the whole transaction (a group commit's batch): nothing reads the log inside a transaction.
 */
export class PostgresTransaction extends KyselyTransaction {
  /** Instances this transaction wrote, newest: a later job of the same batch reads them from here. */
  private readonly written = new Map<string, InstanceRecord>();
  /** Instances handed out from the cache: a failed version check on one means the cache was wrong. */
  private readonly cached = new Set<string>();
  private readonly pending: AuditLogTable[] = [];
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
    if (cached !== undefined) {
      this.cached.add(id);
      return cached;
    }
    const [row] = (await this.hotQueries.lockInstance.run(this.tx, { id })).rows;
    return row && toInstance(row);
  }

  override async insertInstance(record: InstanceRecord): Promise<void> {
    await super.insertInstance(record);
    this.wrote(record);
  }

  override async updateInstance(record: InstanceRecord, expectedVersion: number): Promise<boolean> {
    if (!(await super.updateInstance(record, expectedVersion))) {
      if (this.cached.has(record.id)) {
        this.memory.forgetAll();
        throw new StaleInstance(record.id);
      }
      return false;
    }
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

  /** Writes what was kept for the end (the audit rows); KyselyStore runs it before COMMIT. */
  async finish(): Promise<void> {
    for (let i = 0; i < this.pending.length; i += AUDIT_ROWS_A_STATEMENT) {
      await this.tx.insertInto('audit_log').values(this.pending.slice(i, i + AUDIT_ROWS_A_STATEMENT)).execute();
    }
    const head = this.head;
    if (this.pending.length > 0 && head !== undefined) this.afterCommit(() => this.memory.knowHead(head));
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
