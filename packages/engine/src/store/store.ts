import type { Kysely } from 'kysely';
import type { Actor } from '../actor.ts';
import type { AuditDraft, AuditEntry } from '../audit-entry.ts';
import type { SignedCheckpoint } from '../checkpoint.ts';
import type { JsonObject } from '../json.ts';
import type { StoredSnapshot, TimerSpec } from '../workflow-definition.ts';

export type Dialect = 'sqlite' | 'postgres';

/** A workflow instance as stored. */
export interface InstanceRecord {
  readonly id: string;
  readonly workflowId: string;
  readonly workflowVersion: number;
  readonly snapshot: StoredSnapshot;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** An armed timer. */
export interface StoredTimer extends TimerSpec {
  readonly instanceId: string;
}

/** What a committed request answered, kept so that a retry with the same key gets the same answer. */
export interface IdempotencyRecord {
  readonly key: string;
  readonly fingerprint: string;
  readonly outcome: string;
}

export interface InstanceQuery {
  /** Every one of these tags. */
  readonly allTags?: readonly string[];
  /** At least one of these tags (a visibility scope). */
  readonly anyTags?: readonly string[];
  /** Ids strictly greater than this (keyset paging). */
  readonly afterId?: string;
  readonly limit: number;
}

/**
 * An audit entry without its actor and hashes, with its payload only when its type is one asked for
 * (null otherwise): what a read model folding the whole log needs, at a fraction of the reading.
 */
export type LeanEntry = Pick<AuditEntry, 'seq' | 'instanceId' | 'version' | 'type' | 'from' | 'to' | 'at'> & {
  readonly payload: JsonObject | null;
  /** The actor only when its type is one of the `actorTypes` asked for (null otherwise). */
  readonly actor: Actor | null;
};

/** The public key that signs a log's checkpoints, as recorded in its database. */
export interface CheckpointKey {
  /** `ed25519:<16 hex>`, as checkpoint signature lines name it. */
  readonly keyName: string;
  /** SPKI PEM. */
  readonly publicKey: string;
}

export interface AuditQuery {
  readonly afterSeq?: number;
  readonly instanceId?: string;
  readonly limit: number;
}

/**
 * The engine's port to a database. Reads outside a transaction see committed data only.
 * Implementations: `KyselyStore` over SQLite (better-sqlite3) or PostgreSQL.
 */
export interface Store {
  readonly dialect: Dialect;
  /** The database, for an application's own tables (with its own migrations). */
  readonly kysely: Kysely<any>;
  /**
   * Runs `work` in one database transaction, serialized with every other writer; rolls back if it throws.
   * Resolves once the commit is durable; with `syncLater`, once it is committed (seen by every reader,
   * and kept if the process is killed), and `synced()` then makes it durable against a power loss.
   */
  transact<T>(work: (tx: StoreTransaction) => Promise<T>, options?: { readonly syncLater?: boolean }): Promise<T>;
  /** Resolves once every transaction committed before the call is durable (at once where every commit already is, as on PostgreSQL). */
  synced(): Promise<void>;
  getInstance(id: string): Promise<InstanceRecord | undefined>;
  /** The instances of `ids` that exist, in no particular order (at most a few hundred ids a call). */
  getInstances(ids: readonly string[]): Promise<InstanceRecord[]>;
  listInstances(query: InstanceQuery): Promise<InstanceRecord[]>;
  readAudit(query: AuditQuery): Promise<AuditEntry[]>;
  /** Entry hashes (Merkle leaves) in seq order, after `afterSeq`. */
  readHashes(afterSeq: number, limit: number): Promise<string[]>;
  /** Entries after `afterSeq` in seq order, lean: see LeanEntry. */
  readLean(afterSeq: number, limit: number, payloadTypes: readonly string[], actorTypes?: readonly string[]): Promise<LeanEntry[]>;
  auditSize(): Promise<number>;
  checkpoints(): Promise<SignedCheckpoint[]>;
  /** Up to `limit` checkpoints of logs larger than `size`, smallest first (keyset paging by size). */
  checkpointsAfter(size: number, limit: number): Promise<SignedCheckpoint[]>;
  /** The checkpoint of the largest log (the latest signed), read alone. */
  latestCheckpoint(): Promise<SignedCheckpoint | undefined>;
  /** The latest checkpoint stored with its Merkle frontier, and that frontier's nodes. */
  latestFrontier(): Promise<{ readonly checkpoint: SignedCheckpoint; readonly nodes: string[] } | undefined>;
  dueTimers(now: number, limit: number): Promise<StoredTimer[]>;
  listTimers(instanceId: string): Promise<StoredTimer[]>;
  close(): Promise<void>;
}

export interface StoreTransaction {
  /** This transaction's connection, for writes to an application's own tables in the same commit. */
  readonly kysely: Kysely<any>;
  /** How many writes this transaction has made so far (group commit tells a refusal from a partial write). */
  readonly writes: number;
  /** Reads an instance and holds it against concurrent writers until the transaction ends. */
  lockInstance(id: string): Promise<InstanceRecord | undefined>;
  /** Inserts a new instance; DuplicateKey when another transaction inserted one with its id first. */
  insertInstance(record: InstanceRecord): Promise<void>;
  /** Writes the instance only if it is still at `expectedVersion`; false (and nothing written) otherwise. */
  updateInstance(record: InstanceRecord, expectedVersion: number): Promise<boolean>;
  /** Seals the draft after the current head of the chain and appends it. */
  appendAudit(draft: AuditDraft): Promise<AuditEntry>;
  replaceTimers(instanceId: string, before: readonly TimerSpec[], after: readonly TimerSpec[]): Promise<void>;
  replaceTags(instanceId: string, before: readonly string[], after: readonly string[]): Promise<void>;
  getIdempotency(key: string): Promise<IdempotencyRecord | undefined>;
  /** Stores the record; DuplicateKey when another transaction stored one with its key first. */
  putIdempotency(record: IdempotencyRecord, at: string): Promise<void>;
  /**
   * Claims a due timer for firing in this transaction: true while it is still stored exactly as read (and,
   * on PostgreSQL, not being fired by another server); false when another transaction fired, dropped or
   * re-armed it since.
   */
  claimTimer(timer: StoredTimer): Promise<boolean>;
  /** The latest checkpoint, read under the transaction's lock so only one writer issues the next. */
  latestCheckpoint(): Promise<SignedCheckpoint | undefined>;
  /** Stores a checkpoint, with the Merkle frontier it was computed from (so the next process resumes there). */
  insertCheckpoint(checkpoint: SignedCheckpoint, frontier?: readonly string[]): Promise<void>;
  /** Keeps `frontier` with the checkpoints of `size` that have none. */
  keepFrontier(size: number, frontier: readonly string[]): Promise<void>;
  /** The key recorded as the one that signs the log's checkpoints, if any. */
  checkpointKey(): Promise<CheckpointKey | undefined>;
  /** Records `key` as the log's checkpoint key unless one is recorded already; returns the recorded one either way. */
  recordCheckpointKey(key: CheckpointKey): Promise<CheckpointKey>;
  /**
   * Runs `callback` once this transaction has committed, after COMMIT returned (never if it rolls
   * back): for work that must see the commit and must not hold the transaction, e.g. signing a
   * checkpoint. A throw from it is ignored; it should not throw.
   */
  afterCommit(callback: () => void): void;
  /**
   * Writes what the store keeps for the transaction's end. On PostgreSQL the instances' new versions
   * and the audit entries reach the database only at COMMIT (one statement each for a whole batch):
   * a query through `kysely` that reads `workflow_instance` or `audit_log` must call this first.
   */
  settle(): Promise<void>;
}
