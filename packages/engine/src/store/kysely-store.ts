import type { Kysely, Selectable, Transaction } from 'kysely';
import { CompiledQuery, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Actor } from '../actor.ts';
import type { AuditDraft, AuditEntry } from '../audit-entry.ts';
import type { SignedCheckpoint } from '../checkpoint.ts';
import { GENESIS_HASH, sealEntry } from '../audit-entry.ts';
import { StoreUnavailable } from '../errors.ts';
import type { JsonObject } from '../json.ts';
import type { TimerSpec } from '../workflow-definition.ts';
import { migrationsFor } from './migrations.ts';
import type { AuditLogTable, CheckpointTable, Database, TimerTable, WorkflowInstanceTable } from './schema.ts';
import { isSqliteUnavailable } from './sqlite.ts';
import { isPostgresUnavailable } from './postgres-unavailable.ts';
import { DuplicateKey } from './duplicate-key.ts';
import { isUniqueViolation } from './unique-violation.ts';
import { PrecompiledQuery } from './precompiled-query.ts';
import type {
  AuditQuery,
  CheckpointKey,
  Dialect,
  IdempotencyRecord,
  InstanceQuery,
  InstanceRecord,
  LeanEntry,
  Store,
  StoreTransaction,
  StoredTimer,
} from './store.ts';

/**
 * Arbitrary constant that names the audit chain's lock on PostgreSQL; the second key is the schema's, so
 * two installations in two schemas of one database do not wait for each other.
 */
const AUDIT_CHAIN_LOCK = 0x64756261;

/** `checkpoint_key` holds one row, with this id. */
const CHECKPOINT_KEY_ROW = 1;

const INSTANCE_COLUMNS = ['workflow_id', 'workflow_version', 'state', 'snapshot', 'version', 'created_at', 'updated_at'] as const;
const AUDIT_COLUMNS = ['seq', 'instance_id', 'version', 'type', 'actor', 'payload', 'from_state', 'to_state', 'at', 'prev_hash', 'hash'] as const;
const BEGIN = { sqlite: CompiledQuery.raw('BEGIN IMMEDIATE'), postgres: CompiledQuery.raw('BEGIN') };
const COMMIT = CompiledQuery.raw('COMMIT');
const ROLLBACK = CompiledQuery.raw('ROLLBACK');

/** The statements every transition runs, compiled once per store. */
function hotQueries(db: Kysely<Database>, dialect: Dialect) {
  const byId = (id: unknown) => db.selectFrom('workflow_instance').selectAll().where('id', '=', id as string);
  return {
    getInstance: new PrecompiledQuery((arg) => byId(arg('id'))),
    // Held against other writers until the transaction ends: SQLite has one writer; PostgreSQL locks the row.
    lockInstance: new PrecompiledQuery((arg) => (dialect === 'postgres' ? byId(arg('id')).forUpdate() : byId(arg('id')))),
    updateInstance: new PrecompiledQuery((arg) =>
      db
        .updateTable('workflow_instance')
        .set(Object.fromEntries(INSTANCE_COLUMNS.map((column) => [column, arg(column)])))
        .where('id', '=', arg('id'))
        .where('version', '=', arg('expected_version')),
    ),
    chainHead: new PrecompiledQuery(() => db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1)),
    appendAudit: new PrecompiledQuery((arg) => db.insertInto('audit_log').values(Object.fromEntries(AUDIT_COLUMNS.map((column) => [column, arg(column)])) as unknown as AuditLogTable)),
  };
}

type HotQueries = ReturnType<typeof hotQueries>;

/** The store over kysely: SQLite (one serialized connection) or PostgreSQL (a pool). */
export class KyselyStore implements Store {
  private readonly hot: HotQueries;

  private constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {
    this.hot = hotQueries(db, dialect);
  }

  get kysely(): Kysely<any> {
    return this.db;
  }

  /** Opens the store and brings its schema up to date. */
  static async open(db: Kysely<Database>, dialect: Dialect): Promise<KyselyStore> {
    if (dialect === 'postgres') await checkDurability(db);
    // Without a schema kysely's migrator takes a migration table in ANY schema of the database for ours.
    const schema = dialect === 'postgres' ? await currentSchema(db) : undefined;
    const migrator = new Migrator({
      db,
      provider: migrationsFor(dialect),
      migrationTableName: 'schema_migration',
      migrationLockTableName: 'schema_migration_lock',
      ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    });
    const { error } = await migrator.migrateToLatest();
    if (error !== undefined) throw new Error('database migration failed', { cause: error });
    return new KyselyStore(db, dialect);
  }

  async transact<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    try {
      return await this.db.connection().execute(async (connection) => {
        // IMMEDIATE takes SQLite's write lock up front, so a transaction never fails half-way on upgrade.
        await connection.executeQuery(BEGIN[this.dialect]);
        try {
          // Every write appends to the one chain, so servers sharing the database take its lock FIRST: a
          // transaction never holds a row lock while it waits for the chain, and so never deadlocks.
          if (this.dialect === 'postgres') await lockChain(connection);
          const result = await work(new KyselyTransaction(connection as Transaction<Database>, this.dialect, this.hot));
          // PostgreSQL answers COMMIT after a failed statement with a silent ROLLBACK; a probe that fails
          // instead turns such a transaction into an error rather than a write reported but not kept.
          if (this.dialect === 'postgres') await sql`SELECT 1`.execute(connection);
          await connection.executeQuery(COMMIT);
          return result;
        } catch (error) {
          await connection.executeQuery(ROLLBACK).catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      throw this.translate(error);
    }
  }

  /**
   * better-sqlite3 answers synchronously, so a loop of awaited reads (a replay, a verification, the
   * report read model's catch-up) would run to its end in microtasks, never letting a request in.
   * Each page of a bulk read lets the event loop take a turn first. PostgreSQL reads are truly async.
   */
  private async yieldAfterBulkRead(): Promise<void> {
    if (this.dialect === 'sqlite') await new Promise<void>((resolve) => setImmediate(resolve));
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    const [row] = (await this.hot.getInstance.run(this.db, { id })).rows;
    return row && toInstance(row);
  }

  async getInstances(ids: readonly string[]): Promise<InstanceRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('workflow_instance').selectAll().where('id', 'in', [...ids]).execute();
    await this.yieldAfterBulkRead();
    return rows.map(toInstance);
  }

  async listInstances(query: InstanceQuery): Promise<InstanceRecord[]> {
    let select = this.db.selectFrom('workflow_instance').selectAll('workflow_instance');
    for (const tag of query.allTags ?? []) {
      select = select.where((eb) =>
        eb.exists(eb.selectFrom('instance_tag').select('tag').where('instance_tag.tag', '=', tag).whereRef('instance_tag.instance_id', '=', 'workflow_instance.id')),
      );
    }
    if (query.anyTags !== undefined) {
      const anyTags = [...query.anyTags];
      if (anyTags.length === 0) return [];
      select = select.where((eb) =>
        eb.exists(eb.selectFrom('instance_tag').select('tag').where('instance_tag.tag', 'in', anyTags).whereRef('instance_tag.instance_id', '=', 'workflow_instance.id')),
      );
    }
    if (query.afterId !== undefined) select = select.where('workflow_instance.id', '>', query.afterId);
    const rows = await select.orderBy('workflow_instance.id').limit(query.limit).execute();
    await this.yieldAfterBulkRead();
    return rows.map(toInstance);
  }

  async readAudit(query: AuditQuery): Promise<AuditEntry[]> {
    let select = this.db.selectFrom('audit_log').selectAll();
    if (query.afterSeq !== undefined) select = select.where('seq', '>', query.afterSeq);
    if (query.instanceId !== undefined) select = select.where('instance_id', '=', query.instanceId);
    const rows = await select.orderBy('seq').limit(query.limit).execute();
    await this.yieldAfterBulkRead();
    return rows.map(toEntry);
  }

  async readLean(afterSeq: number, limit: number, payloadTypes: readonly string[]): Promise<LeanEntry[]> {
    const payload =
      payloadTypes.length === 0 ? sql<string | null>`NULL` : sql<string | null>`CASE WHEN type IN (${sql.join(payloadTypes)}) THEN payload END`;
    const rows = await this.db
      .selectFrom('audit_log')
      .select(['seq', 'instance_id', 'type', 'at', payload.as('payload')])
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    await this.yieldAfterBulkRead();
    return rows.map((row) => ({ seq: Number(row.seq), instanceId: row.instance_id, type: row.type, at: row.at, payload: row.payload === null ? null : (JSON.parse(row.payload) as JsonObject) }));
  }

  async readHashes(afterSeq: number, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('audit_log').select('hash').where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
    await this.yieldAfterBulkRead();
    return rows.map((r) => r.hash);
  }

  async auditSize(): Promise<number> {
    const row = await this.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row === undefined ? 0 : Number(row.seq);
  }

  async checkpoints(): Promise<SignedCheckpoint[]> {
    const rows = await this.db.selectFrom('checkpoint').selectAll().orderBy('id').execute();
    return rows.map(toCheckpoint);
  }

  async checkpointsAfter(size: number, limit: number): Promise<SignedCheckpoint[]> {
    // Sizes grow with ids (one writer issues at a time, each larger than the last): ordered as `checkpoints()`.
    const rows = await this.db.selectFrom('checkpoint').selectAll().where('size', '>', size).orderBy('size').orderBy('id').limit(limit).execute();
    return rows.map(toCheckpoint);
  }

  async latestFrontier(): Promise<{ checkpoint: SignedCheckpoint; nodes: string[] } | undefined> {
    const row = await this.db.selectFrom('checkpoint').selectAll().where('frontier', 'is not', null).orderBy('size', 'desc').limit(1).executeTakeFirst();
    return row === undefined ? undefined : { checkpoint: toCheckpoint(row), nodes: JSON.parse(row.frontier!) as string[] };
  }

  async dueTimers(now: number, limit: number): Promise<StoredTimer[]> {
    const rows = await this.db.selectFrom('timer').selectAll().where('due_at', '<=', now).orderBy('due_at').orderBy('instance_id').limit(limit).execute();
    return rows.map(toTimer);
  }

  async listTimers(instanceId: string): Promise<StoredTimer[]> {
    const rows = await this.db.selectFrom('timer').selectAll().where('instance_id', '=', instanceId).orderBy('due_at').execute();
    return rows.map(toTimer);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  private translate(error: unknown): unknown {
    if (isSqliteUnavailable(error) || isPostgresUnavailable(error)) return new StoreUnavailable(`database unavailable: ${(error as Error).message}`, { cause: error });
    return error;
  }
}

class KyselyTransaction implements StoreTransaction {
  /** The chain's head as this transaction last wrote it: later appends in a batch need no query. */
  private head: { seq: number; hash: string } | undefined;
  writes = 0;

  constructor(
    private readonly db: Transaction<Database>,
    private readonly dialect: Dialect,
    private readonly hot: HotQueries,
  ) {}

  get kysely(): Kysely<any> {
    return this.db;
  }

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
    const wanted = new Map(after.map((t) => [t.key, t]));
    const had = new Map(before.map((t) => [t.key, t]));
    const gone = before.filter((t) => !sameTimer(t, wanted.get(t.key))).map((t) => t.key);
    const added = after.filter((t) => !sameTimer(t, had.get(t.key)));
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

/**
 * Refuses a PostgreSQL server that may lose acknowledged commits: fsync off, or synchronous_commit off for
 * this connection (the URL's options or the role's settings apply to every connection of the pool alike).
 */
async function checkDurability(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ fsync: string; commit: string }>`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS commit`.execute(db);
  const settings = rows[0];
  if (settings?.fsync !== 'on') throw new Error(`PostgreSQL runs with fsync=${settings?.fsync}: an acknowledged commit could be lost on power loss; turn fsync on`);
  if (settings.commit === 'off') throw new Error('PostgreSQL synchronous_commit is off for this connection: an acknowledged commit could be lost on a crash; leave it on');
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema === null || schema === undefined) throw new Error('the search_path names no schema that exists: create it first, or fix options=-c search_path=… in the URL');
  return schema;
}

async function lockChain(connection: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}, hashtext(current_schema()))`.execute(connection);
}

function sameTimer(a: TimerSpec, b: TimerSpec | undefined): boolean {
  return b !== undefined && a.dueAt === b.dueAt && JSON.stringify(a.event) === JSON.stringify(b.event);
}

function toInstance(row: WorkflowInstanceTable): InstanceRecord {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    workflowVersion: Number(row.workflow_version),
    snapshot: JSON.parse(row.snapshot),
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function fromInstance(record: InstanceRecord): WorkflowInstanceTable {
  return {
    id: record.id,
    workflow_id: record.workflowId,
    workflow_version: record.workflowVersion,
    state: record.snapshot.value,
    snapshot: JSON.stringify(record.snapshot),
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

function toEntry(row: AuditLogTable): AuditEntry {
  return {
    seq: Number(row.seq),
    instanceId: row.instance_id,
    version: Number(row.version),
    type: row.type,
    actor: JSON.parse(row.actor) as Actor,
    payload: JSON.parse(row.payload),
    from: row.from_state,
    to: row.to_state,
    at: row.at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function fromEntry(entry: AuditEntry): AuditLogTable {
  return {
    seq: entry.seq,
    instance_id: entry.instanceId,
    version: entry.version,
    type: entry.type,
    actor: JSON.stringify(entry.actor),
    payload: JSON.stringify(entry.payload),
    from_state: entry.from,
    to_state: entry.to,
    at: entry.at,
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}

function toCheckpoint(row: Selectable<CheckpointTable>): SignedCheckpoint {
  return { origin: row.text.split('\n')[0] ?? '', size: Number(row.size), rootHash: row.root_hash, time: row.time, text: row.text };
}

function toTimer(row: TimerTable): StoredTimer {
  return { instanceId: row.instance_id, key: row.key, dueAt: Number(row.due_at), event: JSON.parse(row.event) };
}
