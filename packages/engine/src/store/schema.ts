import type { Generated } from 'kysely';

/** Table shapes as the database holds them. JSON columns are TEXT; times are ISO text or epoch ms. */
export interface Database {
  workflow_instance: WorkflowInstanceTable;
  instance_tag: InstanceTagTable;
  audit_log: AuditLogTable;
  timer: TimerTable;
  idempotency: IdempotencyTable;
  checkpoint: CheckpointTable;
  checkpoint_key: CheckpointKeyTable;
}

export interface CheckpointTable {
  id: Generated<number>;
  size: number;
  root_hash: string;
  time: string;
  text: string;
  /** JSON array of the Merkle frontier's nodes at `size`; null on checkpoints issued before it was kept. */
  frontier: string | null;
}

/** The one key that signs the log's checkpoints: a single row (id 1), written once by the first signer. */
export interface CheckpointKeyTable {
  id: number;
  /** `ed25519:<16 hex>`, as checkpoint signature lines name it. */
  key_name: string;
  /** The public key, SPKI PEM: what a reviewer keeps. */
  public_key: string;
}

export interface WorkflowInstanceTable {
  id: string;
  workflow_id: string;
  workflow_version: number;
  state: string;
  snapshot: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface InstanceTagTable {
  instance_id: string;
  tag: string;
}

export interface AuditLogTable {
  seq: number;
  instance_id: string;
  version: number;
  type: string;
  actor: string;
  payload: string;
  from_state: string | null;
  to_state: string;
  at: string;
  prev_hash: string;
  hash: string;
}

export interface TimerTable {
  instance_id: string;
  key: string;
  due_at: number;
  event: string;
}

export interface IdempotencyTable {
  key: string;
  fingerprint: string;
  outcome: string;
  created_at: string;
  id?: Generated<number>;
}
