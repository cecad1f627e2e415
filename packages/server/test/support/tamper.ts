import type { AuditEntry, AuditLogRow } from '@duban/engine';
import { GENESIS_HASH, auditEntryFromRow, auditRowFromEntry, hashEntry } from '@duban/engine';
import BetterSqlite3 from 'better-sqlite3';

/**
 * Test-only: the one place where tests do what an intruder with write access to the SQLite file
 * can do to the audit log, its checkpoints and the stored tasks, the append-only triggers dropped
 * first. Each call opens and closes the file.
 */

function withDatabase<T>(file: string, work: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(file);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    return db.transaction(() => work(db))();
  } finally {
    db.close();
  }
}

const COLUMNS = 'seq, instance_id, version, type, actor, payload, from_state, to_state, at, prev_hash, hash';
const readAll = (db: BetterSqlite3.Database) => (db.prepare(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq`).all() as AuditLogRow[]).map(auditEntryFromRow);

/** Replaces the whole log with `edit(entries)`, row for row. */
export function rewriteLog(file: string, edit: (entries: AuditEntry[]) => AuditEntry[]): void {
  withDatabase(file, (db) => {
    const entries = edit(readAll(db));
    db.prepare('DELETE FROM audit_log').run();
    const insert = db.prepare(`INSERT INTO audit_log (${COLUMNS}) VALUES (@seq, @instance_id, @version, @type, @actor, @payload, @from_state, @to_state, @at, @prev_hash, @hash)`);
    for (const entry of entries) insert.run(auditRowFromEntry(entry));
  });
}

/** Recomputes every hash and prevHash from `fromIndex` on, as someone without the signing key would. */
export function rehashFrom(entries: AuditEntry[], fromIndex: number): AuditEntry[] {
  let prev = fromIndex === 0 ? GENESIS_HASH : entries[fromIndex - 1]!.hash;
  return entries.map((e, i) => {
    if (i < fromIndex) return e;
    const unsealed = { ...e, seq: i + 1, prevHash: prev };
    const sealed = { ...unsealed, hash: hashEntry(unsealed) };
    prev = sealed.hash;
    return sealed;
  });
}

/** Runs SQL against the checkpoint table (or anything else) with the triggers gone. */
export function runSql(file: string, sql: string, ...params: unknown[]): void {
  withDatabase(file, (db) => db.prepare(sql).run(...params));
}

/** The stored checkpoint texts, oldest first. */
export function storedCheckpoints(file: string): { id: number; size: number; text: string }[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare('SELECT id, size, text FROM checkpoint ORDER BY id').all() as { id: number; size: number; text: string }[];
  } finally {
    db.close();
  }
}

/** Edits one stored entry's payload in place, leaving its hash as it was. */
export function tamperAuditPayload(file: string, seq: number, payload: Record<string, unknown>): void {
  withDatabase(file, (db) => {
    const changed = db.prepare('UPDATE audit_log SET payload = ? WHERE seq = ?').run(JSON.stringify(payload), seq);
    if (changed.changes !== 1) throw new Error(`no audit entry ${seq}`);
  });
}

/** Overwrites a stored task's state behind the engine's back. */
export function tamperInstanceState(file: string, id: string, state: string): void {
  withDatabase(file, (db) => {
    const row = db.prepare('SELECT snapshot FROM workflow_instance WHERE id = ?').get(id) as { snapshot: string } | undefined;
    if (row === undefined) throw new Error(`no instance ${id}`);
    const snapshot = { ...JSON.parse(row.snapshot), value: state };
    db.prepare('UPDATE workflow_instance SET state = ?, snapshot = ? WHERE id = ?').run(state, JSON.stringify(snapshot), id);
  });
}

/** The audit entries' seq and type, straight from the file. */
export function auditTypes(file: string): { seq: number; type: string; instance_id: string }[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare('SELECT seq, type, instance_id FROM audit_log ORDER BY seq').all() as { seq: number; type: string; instance_id: string }[];
  } finally {
    db.close();
  }
}

/**
 * Does to a stored evidence file what an intruder can: `replace` flips the bytes of its first chunk
 * (same length), `truncate` cuts its last chunk in half, `delete` removes its chunks and its row.
 */
export function tamperFile(file: string, sha256: string, how: 'replace' | 'truncate' | 'delete'): void {
  withDatabase(file, (db) => {
    const key = (db.prepare('SELECT chunks_key FROM file_content WHERE sha256 = ?').get(sha256) as { chunks_key: string } | undefined)?.chunks_key;
    const chunks = db.prepare('SELECT n, data FROM file_chunk WHERE content_key = ? ORDER BY n').all(key) as { n: number; data: Buffer }[];
    if (chunks.length === 0) throw new Error(`no stored file ${sha256}`);
    if (how === 'delete') {
      db.prepare('DELETE FROM file_chunk WHERE content_key = ?').run(key);
      db.prepare('DELETE FROM file_content WHERE sha256 = ?').run(sha256);
      return;
    }
    const chunk = how === 'replace' ? chunks[0]! : chunks.at(-1)!;
    const data = how === 'replace' ? Buffer.from(chunk.data.map((byte) => byte ^ 0xff)) : chunk.data.subarray(0, Math.floor(chunk.data.length / 2));
    db.prepare('UPDATE file_chunk SET data = ? WHERE content_key = ? AND n = ?').run(data, key, chunk.n);
  });
}
