import BetterSqlite3 from 'better-sqlite3';

/**
 * Test-only: edits a stored audit entry's payload the way an intruder with file access would,
 * dropping the append-only triggers first. Does IO on the SQLite file.
 */
export function tamperAuditPayload(file: string, seq: number, payload: Record<string, unknown>): void {
  const db = new BetterSqlite3(file);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    const changed = db.prepare('UPDATE audit_log SET payload = ? WHERE seq = ?').run(JSON.stringify(payload), seq);
    if (changed.changes !== 1) throw new Error(`no audit entry ${seq}`);
  } finally {
    db.close();
  }
}

/** Test-only: overwrites a stored task's state behind the engine's back. */
export function tamperInstanceState(file: string, id: string, state: string): void {
  const db = new BetterSqlite3(file);
  try {
    const row = db.prepare('SELECT snapshot FROM workflow_instance WHERE id = ?').get(id) as { snapshot: string } | undefined;
    if (row === undefined) throw new Error(`no instance ${id}`);
    const snapshot = { ...JSON.parse(row.snapshot), value: state };
    db.prepare('UPDATE workflow_instance SET state = ?, snapshot = ? WHERE id = ?').run(state, JSON.stringify(snapshot), id);
  } finally {
    db.close();
  }
}

/** Test-only: the audit entries' seq and type, straight from the file. */
export function auditTypes(file: string): { seq: number; type: string; instance_id: string }[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare('SELECT seq, type, instance_id FROM audit_log ORDER BY seq').all() as { seq: number; type: string; instance_id: string }[];
  } finally {
    db.close();
  }
}
