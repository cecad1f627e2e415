import type { Kysely, Transaction } from 'kysely';
import type { AuditDraft, AuditEntry } from '../audit-entry.ts';
import { GENESIS_HASH, sealEntry } from '../audit-entry.ts';
import type { SignedCheckpoint } from '../checkpoint.ts';
import type { TimerSpec } from '../workflow-definition.ts';
import { DuplicateKey } from './duplicate-key.ts';
import type { HotQueries } from './hot-queries.ts';
import { fromEntry, fromInstance, toCheckpoint, toInstance } from './row-mapping.ts';
import type { Database } from './schema.ts';
import type { CheckpointKey, Dialect, IdempotencyRecord, InstanceRecord, StoreTransaction, StoredTimer } from './store.ts';
import { isUniqueViolation } from './unique-violation.ts';

/** `checkpoint_key` holds one row, with this id. */
const CHECKPOINT_KEY_ROW = 1;

/** One transaction of a KyselyStore: its writes, and the reads that must see them or hold locks. */
export class KyselyTransaction implements StoreTransaction {
  /** The chain's head as this transaction last wrote it: later appends in a batch need no query. */
  protected head: { seq: number; hash: string } | undefined;
  writes = 0;
  /** What runs once the transaction has committed (KyselyStore.transact runs them). */
  readonly committed: (() => void)[] = [];

  constructor(
    private readonly db: Transaction<Database>,
    private readonly dialect: Dialect,
    private readonly hot: HotQueries,
  ) {}

  get kysely(): Kysely<any> {
    return this.db;
  }

  afterCommit(callback: () => void): void {
    this.committed.push(callback);
  }

  /** Every write is made as it is asked for here: nothing is kept for the end. */
  async settle(): Promise<void> {}

  async lockInstance(id: string): Promise<InstanceRecord | undefined> {
    const [row] = (await this.hot.lockInstance.run(this.db, { id })).rows;
    return row && toInstance(row);
  }

  async insertInstance(record: InstanceRecord): Promise<void> {
    this.writes += 1;
    try {
      await this.db.insertInto('workflow_instance').values(fromInstance(record)).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateKey('workflow_instance', record.id, { cause: error });
      throw error;
    }
  }

  async updateInstance(record: InstanceRecord, expectedVersion: number): Promise<boolean> {
    this.writes += 1;
    const result = await this.hot.updateInstance.run(this.db, { ...fromInstance(record), expected_version: expectedVersion });
    return result.numAffectedRows === 1n;
  }

  async appendAudit(draft: AuditDraft): Promise<AuditEntry> {
    // The head is read under the chain lock (taken at BEGIN on PostgreSQL; SQLite has one writer), so the
    // chain stays one line however many servers append.
    if (this.head === undefined) {
      const [row] = (await this.hot.chainHead.run(this.db, {})).rows;
      this.head = row === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: Number(row.seq), hash: row.hash };
    }
    const entry = sealEntry(draft, this.head.seq + 1, this.head.hash);
    this.writes += 1;
    await this.hot.appendAudit.run(this.db, fromEntry(entry));
    this.head = { seq: entry.seq, hash: entry.hash };
    return entry;
  }

  async replaceTimers(instanceId: string, before: readonly TimerSpec[], after: readonly TimerSpec[]): Promise<void> {
    const { gone, added } = timerChanges(before, after);
    if (gone.length + added.length > 0) this.writes += 1;
    if (gone.length > 0) await this.db.deleteFrom('timer').where('instance_id', '=', instanceId).where('key', 'in', gone).execute();
    if (added.length > 0) {
      await this.db
        .insertInto('timer')
        .values(added.map((t) => ({ instance_id: instanceId, key: t.key, due_at: t.dueAt, event: JSON.stringify(t.event) })))
        .onConflict((oc) => oc.columns(['instance_id', 'key']).doUpdateSet((eb) => ({ due_at: eb.ref('excluded.due_at'), event: eb.ref('excluded.event') })))
        .execute();
    }
  }

  async replaceTags(instanceId: string, before: readonly string[], after: readonly string[]): Promise<void> {
    const gone = before.filter((t) => !after.includes(t));
    const added = [...new Set(after.filter((t) => !before.includes(t)))];
    if (gone.length + added.length > 0) this.writes += 1;
    if (gone.length > 0) await this.db.deleteFrom('instance_tag').where('instance_id', '=', instanceId).where('tag', 'in', gone).execute();
    if (added.length > 0) {
      await this.db
        .insertInto('instance_tag')
        .values(added.map((tag) => ({ instance_id: instanceId, tag })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  async getIdempotency(key: string): Promise<IdempotencyRecord | undefined> {
    return this.db.selectFrom('idempotency').select(['key', 'fingerprint', 'outcome']).where('key', '=', key).executeTakeFirst();
  }

  async putIdempotency(record: IdempotencyRecord, at: string): Promise<void> {
    this.writes += 1;
    try {
      await this.db.insertInto('idempotency').values({ ...record, created_at: at }).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateKey('idempotency', record.key, { cause: error });
      throw error;
    }
  }

  async claimTimer(timer: StoredTimer): Promise<boolean> {
    let select = this.db.selectFrom('timer').select('event').where('instance_id', '=', timer.instanceId).where('key', '=', timer.key).where('due_at', '=', timer.dueAt);
    // SQLite has one writer at a time; on PostgreSQL a row another server is firing is passed over.
    if (this.dialect === 'postgres') select = select.forUpdate().skipLocked();
    const row = await select.executeTakeFirst();
    return row !== undefined && JSON.stringify(JSON.parse(row.event)) === JSON.stringify(timer.event);
  }

  async latestCheckpoint(): Promise<SignedCheckpoint | undefined> {
    const row = await this.db.selectFrom('checkpoint').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row && toCheckpoint(row);
  }

  async keepFrontier(size: number, frontier: readonly string[]): Promise<void> {
    this.writes += 1;
    await this.db.updateTable('checkpoint').set({ frontier: JSON.stringify(frontier) }).where('size', '=', size).where('frontier', 'is', null).execute();
  }

  async checkpointKey(): Promise<CheckpointKey | undefined> {
    const row = await this.db.selectFrom('checkpoint_key').select(['key_name', 'public_key']).where('id', '=', CHECKPOINT_KEY_ROW).executeTakeFirst();
    return row && { keyName: row.key_name, publicKey: row.public_key };
  }

  async recordCheckpointKey(key: CheckpointKey): Promise<CheckpointKey> {
    this.writes += 1;
    // The primary key makes the first insert win, on either database; a later one does nothing.
    await this.db
      .insertInto('checkpoint_key')
      .values({ id: CHECKPOINT_KEY_ROW, key_name: key.keyName, public_key: key.publicKey })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const recorded = await this.checkpointKey();
    if (recorded === undefined) throw new Error('checkpoint_key: the recorded key is missing right after it was recorded');
    return recorded;
  }

  async insertCheckpoint(checkpoint: SignedCheckpoint, frontier?: readonly string[]): Promise<void> {
    this.writes += 1;
    await this.db
      .insertInto('checkpoint')
      .values({ size: checkpoint.size, root_hash: checkpoint.rootHash, time: checkpoint.time, text: checkpoint.text, frontier: frontier === undefined ? null : JSON.stringify(frontier) })
      .execute();
  }
}

/** The timers to delete (by key) and to write (new, or changed under their key) to go from `before` to `after`. Pure. */
export function timerChanges(before: readonly TimerSpec[], after: readonly TimerSpec[]): { gone: string[]; added: TimerSpec[] } {
  const wanted = new Map(after.map((t) => [t.key, t]));
  const had = new Map(before.map((t) => [t.key, t]));
  return { gone: before.filter((t) => !sameTimer(t, wanted.get(t.key))).map((t) => t.key), added: after.filter((t) => !sameTimer(t, had.get(t.key))) };
}

function sameTimer(a: TimerSpec, b: TimerSpec | undefined): boolean {
  return b !== undefined && a.dueAt === b.dueAt && JSON.stringify(a.event) === JSON.stringify(b.event);
}
