import type { Kysely, Transaction } from 'kysely';
import { CompiledQuery, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Actor } from '../actor.ts';
import type { AuditEntry } from '../audit-entry.ts';
import type { SignedCheckpoint } from '../checkpoint.ts';
import { StoreUnavailable } from '../errors.ts';
import type { JsonObject } from '../json.ts';
import type { HotQueries } from './hot-queries.ts';
import { hotQueries } from './hot-queries.ts';
import { InstanceCache } from './instance-cache.ts';
import { KyselyTransaction } from './kysely-transaction.ts';
import { migrationsFor } from './migrations.ts';
import { BEGIN_WITH_CHAIN_LOCK, checkDurability, currentSchema } from './postgres-session.ts';
import { PostgresMemory, PostgresTransaction, StaleInstance } from './postgres-transaction.ts';
import { isPostgresUnavailable } from './postgres-unavailable.ts';
import { toCheckpoint, toEntry, toInstance, toTimer } from './row-mapping.ts';
import type { Database } from './schema.ts';
import { isSqliteUnavailable } from './sqlite.ts';
import type { SqliteConnection } from './sqlite.ts';
import { SqliteStatements } from './sqlite-statements.ts';
import { SqliteTransaction } from './sqlite-transaction.ts';
import { WalSync } from './wal-sync.ts';
import type { AuditQuery, Dialect, InstanceQuery, InstanceRecord, LeanEntry, Store, StoreTransaction, StoredTimer } from './store.ts';

// IMMEDIATE takes SQLite's write lock up front, so a transaction never fails half-way on upgrade.
const BEGIN = { sqlite: CompiledQuery.raw('BEGIN IMMEDIATE'), postgres: BEGIN_WITH_CHAIN_LOCK };
const COMMIT = CompiledQuery.raw('COMMIT');
const ROLLBACK = CompiledQuery.raw('ROLLBACK');
const SYNCHRONOUS = { normal: CompiledQuery.raw('PRAGMA synchronous = NORMAL'), full: CompiledQuery.raw('PRAGMA synchronous = FULL') };

/** A transaction that met a stale cached instance runs again (with the cache emptied) at most this many times. */
const STALE_RETRIES = 2;

/** The store over kysely: SQLite (one serialized connection) or PostgreSQL (a pool). */
export class KyselyStore implements Store {
  private readonly hot: HotQueries;
  /**
   * On SQLite: a transition's statements, run synchronously; the instances last committed; and the
   * WAL's fsync for commits made durable later (none for `:memory:`).
   */
  private readonly sqlite: { readonly statements: SqliteStatements; readonly cache: InstanceCache; readonly wal: WalSync | undefined } | undefined;
  /** On PostgreSQL: the instances last committed, and the chain's head as this process last knew it. */
  private readonly postgres: PostgresMemory | undefined;

  private constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    sqlite: SqliteConnection | undefined,
  ) {
    this.hot = hotQueries(db, dialect);
    this.sqlite =
      sqlite === undefined
        ? undefined
        : { statements: new SqliteStatements(sqlite.sync), cache: new InstanceCache(), wal: sqlite.file === undefined ? undefined : new WalSync(sqlite.file) };
    this.postgres = dialect === 'postgres' ? new PostgresMemory() : undefined;
  }

  get kysely(): Kysely<any> {
    return this.db;
  }

  /**
   * Opens the store and brings its schema up to date. `sqlite`, on SQLite, is the same connection as
   * `db`'s, for the statements a transition runs without kysely, and its file.
   */
  static async open(db: Kysely<Database>, dialect: Dialect, sqlite?: SqliteConnection): Promise<KyselyStore> {
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
    return new KyselyStore(db, dialect, sqlite);
  }

  async transact<T>(work: (tx: StoreTransaction) => Promise<T>, options: { readonly syncLater?: boolean } = {}): Promise<T> {
    // Only a WAL file can be synced later; every other commit is durable when COMMIT returns.
    const syncLater = options.syncLater === true && this.sqlite?.wal !== undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.connection().execute(async (connection) => {
          // This commit writes the WAL without waiting for the disk; the caller waits for synced() instead.
          if (syncLater) await connection.executeQuery(SYNCHRONOUS.normal);
          try {
            return await this.inTransaction(connection, work);
          } finally {
            if (syncLater) await connection.executeQuery(SYNCHRONOUS.full);
          }
        });
      } catch (error) {
        // Rolled back having decided on a cached instance another server had changed: decide again on the stored one.
        if (error instanceof StaleInstance && attempt < STALE_RETRIES) continue;
        throw this.translate(error);
      }
    }
  }

  async synced(): Promise<void> {
    try {
      await this.sqlite?.wal?.sync();
    } catch (error) {
      throw new StoreUnavailable(`database unavailable: the log could not be synced to disk: ${(error as Error).message}`, { cause: error });
    }
  }

  /** BEGIN, `work`, COMMIT (or ROLLBACK if anything throws) on the connection `transact` holds. */
  private async inTransaction<T>(connection: Kysely<Database>, work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    // On PostgreSQL BEGIN takes the chain's lock too: every write appends to the one chain, so servers
    // sharing the database take it FIRST, and a transaction never holds a row lock while it waits for it.
    await connection.executeQuery(BEGIN[this.dialect]);
    try {
      const held = connection as Transaction<Database>;
      const tx =
        this.sqlite !== undefined
          ? new SqliteTransaction(held, this.hot, this.sqlite.statements, this.sqlite.cache)
          : this.postgres !== undefined
            ? new PostgresTransaction(held, this.hot, this.postgres)
            : new KyselyTransaction(held, this.dialect, this.hot);
      const result = await work(tx);
      await tx.settle();
      const { rows } = await connection.executeQuery(COMMIT);
      // PostgreSQL answers COMMIT after a failed statement with a silent ROLLBACK: an error, never a write reported but not kept.
      if ((rows[0] as { command?: string } | undefined)?.command === 'ROLLBACK') throw new Error('PostgreSQL rolled the transaction back at COMMIT: a statement in it had failed');
      runCommitted(tx.committed);
      return result;
    } catch (error) {
      await connection.executeQuery(ROLLBACK).catch(() => undefined);
      throw error;
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

  async readLean(afterSeq: number, limit: number, payloadTypes: readonly string[], actorTypes: readonly string[] = []): Promise<LeanEntry[]> {
    const payload =
      payloadTypes.length === 0 ? sql<string | null>`NULL` : sql<string | null>`CASE WHEN type IN (${sql.join(payloadTypes)}) THEN payload END`;
    const actor = actorTypes.length === 0 ? sql<string | null>`NULL` : sql<string | null>`CASE WHEN type IN (${sql.join(actorTypes)}) THEN actor END`;
    const rows = await this.db
      .selectFrom('audit_log')
      .select(['seq', 'instance_id', 'version', 'type', 'from_state', 'to_state', 'at', payload.as('payload'), actor.as('actor')])
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    await this.yieldAfterBulkRead();
    return rows.map((row) => ({
      seq: Number(row.seq),
      instanceId: row.instance_id,
      version: Number(row.version),
      type: row.type,
      from: row.from_state,
      to: row.to_state,
      at: row.at,
      payload: row.payload === null ? null : (JSON.parse(row.payload) as JsonObject),
      actor: row.actor === null ? null : (JSON.parse(row.actor) as Actor),
    }));
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

  async latestCheckpoint(): Promise<SignedCheckpoint | undefined> {
    const row = await this.db.selectFrom('checkpoint').selectAll().orderBy('size', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row === undefined ? undefined : toCheckpoint(row);
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

/** Runs what waited for a commit; one that throws neither stops the others nor fails the committed transaction. */
function runCommitted(callbacks: readonly (() => void)[]): void {
  for (const callback of callbacks) {
    try {
      callback();
    } catch {
      // A commit callback must not throw; the transaction has committed either way.
    }
  }
}
