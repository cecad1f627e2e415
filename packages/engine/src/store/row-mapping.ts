import type { Selectable } from 'kysely';
import type { Actor } from '../actor.ts';
import type { AuditEntry } from '../audit-entry.ts';
import type { SignedCheckpoint } from '../checkpoint.ts';
import type { AuditLogTable, CheckpointTable, TimerTable, WorkflowInstanceTable } from './schema.ts';
import type { InstanceRecord, StoredTimer } from './store.ts';

/**
 * Rows ⇄ engine records, one pair a table: JSON columns are TEXT, numbers may come back as strings
 * (PostgreSQL's bigint) and are read with Number. Pure.
 */

/** A `workflow_instance` row as the engine sees it. */
export function toInstance(row: WorkflowInstanceTable): InstanceRecord {
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

/** The `workflow_instance` row of an instance. */
export function fromInstance(record: InstanceRecord): WorkflowInstanceTable {
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

/** An `audit_log` row as the audit entry it holds. */
export function toEntry(row: AuditLogTable): AuditEntry {
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

/** The `audit_log` row of an audit entry: what the store appends, and what a test that tampers with the file writes. */
export function fromEntry(entry: AuditEntry): AuditLogTable {
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

/** A `checkpoint` row as the signed checkpoint it holds. */
export function toCheckpoint(row: Selectable<CheckpointTable>): SignedCheckpoint {
  return { origin: row.text.split('\n')[0] ?? '', size: Number(row.size), rootHash: row.root_hash, time: row.time, text: row.text };
}

/** A `timer` row as the armed timer it holds. */
export function toTimer(row: TimerTable): StoredTimer {
  return { instanceId: row.instance_id, key: row.key, dueAt: Number(row.due_at), event: JSON.parse(row.event) };
}
