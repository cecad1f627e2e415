import type { AuditLogTable, IdempotencyTable, WorkflowInstanceTable } from './schema.ts';

/** The smallest part of a synchronous SQLite driver (better-sqlite3) these statements use. */
export interface SyncSqlite {
  prepare(sql: string): SyncStatement;
}

export interface SyncStatement {
  run(...parameters: unknown[]): { changes: number };
  get(...parameters: unknown[]): unknown;
}

/**
 * The statements of a transition on SQLite, prepared once and run synchronously on the store's one
 * connection: kysely builds, compiles and awaits every query, which costs more than these small
 * statements themselves. They run only inside a transaction the store holds (SqliteTransaction).
 */
export class SqliteStatements {
  private readonly versionOf: SyncStatement;
  private readonly selectInstance: SyncStatement;
  private readonly insertInstanceRow: SyncStatement;
  private readonly updateInstanceRow: SyncStatement;
  private readonly selectChainHead: SyncStatement;
  private readonly insertEntry: SyncStatement;
  private readonly deleteTimer: SyncStatement;
  private readonly upsertTimer: SyncStatement;
  private readonly deleteTag: SyncStatement;
  private readonly insertTag: SyncStatement;
  private readonly selectIdempotency: SyncStatement;
  private readonly insertIdempotency: SyncStatement;

  constructor(db: SyncSqlite) {
    this.versionOf = db.prepare('SELECT version FROM workflow_instance WHERE id = ?');
    this.selectInstance = db.prepare('SELECT * FROM workflow_instance WHERE id = ?');
    this.insertInstanceRow = db.prepare(
      'INSERT INTO workflow_instance (id, workflow_id, workflow_version, state, snapshot, version, created_at, updated_at) VALUES (@id, @workflow_id, @workflow_version, @state, @snapshot, @version, @created_at, @updated_at)',
    );
    // Positional parameters: better-sqlite3 binds them without looking names up in an object built for the call.
    this.updateInstanceRow = db.prepare('UPDATE workflow_instance SET workflow_id = ?, workflow_version = ?, state = ?, snapshot = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?');
    this.selectChainHead = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insertEntry = db.prepare('INSERT INTO audit_log (seq, instance_id, version, type, actor, payload, from_state, to_state, at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.deleteTimer = db.prepare('DELETE FROM timer WHERE instance_id = ? AND key = ?');
    this.upsertTimer = db.prepare('INSERT INTO timer (instance_id, key, due_at, event) VALUES (?, ?, ?, ?) ON CONFLICT (instance_id, key) DO UPDATE SET due_at = excluded.due_at, event = excluded.event');
    this.deleteTag = db.prepare('DELETE FROM instance_tag WHERE instance_id = ? AND tag = ?');
    this.insertTag = db.prepare('INSERT INTO instance_tag (instance_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING');
    this.selectIdempotency = db.prepare('SELECT key, fingerprint, outcome FROM idempotency WHERE key = ?');
    this.insertIdempotency = db.prepare('INSERT INTO idempotency (key, fingerprint, outcome, created_at) VALUES (@key, @fingerprint, @outcome, @created_at)');
  }

  /** The stored version of an instance: one integer from the primary key's index, no snapshot read. */
  instanceVersion(id: string): number | undefined {
    return (this.versionOf.get(id) as { version: number } | undefined)?.version;
  }

  instance(id: string): WorkflowInstanceTable | undefined {
    return this.selectInstance.get(id) as WorkflowInstanceTable | undefined;
  }

  insertInstance(row: WorkflowInstanceTable): void {
    this.insertInstanceRow.run(row);
  }

  /** Whether the row was at `expectedVersion` (and so is now written). */
  updateInstance(row: WorkflowInstanceTable, expectedVersion: number): boolean {
    return this.updateInstanceRow.run(row.workflow_id, row.workflow_version, row.state, row.snapshot, row.version, row.updated_at, row.id, expectedVersion).changes === 1;
  }

  chainHead(): { seq: number; hash: string } | undefined {
    return this.selectChainHead.get() as { seq: number; hash: string } | undefined;
  }

  appendEntry(row: AuditLogTable): void {
    this.insertEntry.run(row.seq, row.instance_id, row.version, row.type, row.actor, row.payload, row.from_state, row.to_state, row.at, row.prev_hash, row.hash);
  }

  removeTimer(instanceId: string, key: string): void {
    this.deleteTimer.run(instanceId, key);
  }

  putTimer(instanceId: string, key: string, dueAt: number, event: string): void {
    this.upsertTimer.run(instanceId, key, dueAt, event);
  }

  removeTag(instanceId: string, tag: string): void {
    this.deleteTag.run(instanceId, tag);
  }

  addTag(instanceId: string, tag: string): void {
    this.insertTag.run(instanceId, tag);
  }

  idempotency(key: string): Pick<IdempotencyTable, 'key' | 'fingerprint' | 'outcome'> | undefined {
    return this.selectIdempotency.get(key) as Pick<IdempotencyTable, 'key' | 'fingerprint' | 'outcome'> | undefined;
  }

  putIdempotency(row: Pick<IdempotencyTable, 'key' | 'fingerprint' | 'outcome' | 'created_at'>): void {
    this.insertIdempotency.run(row);
  }
}
