import type { KeyObject } from 'node:crypto';
import type { Actor } from './actor.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import type { AuditEntry } from './audit-entry.ts';
import type { ConsistencyProof, InclusionProof, ReplayOptions, ReplayReport } from './audit-log.ts';
import { AuditLog } from './audit-log.ts';
import { canonicalJson } from './canonical-json.ts';
import type { ChainReport } from './chain-verification.ts';
import type { SignedCheckpoint } from './checkpoint.ts';
import type { CheckpointSigner } from './checkpoint-log.ts';
import { CheckpointLog } from './checkpoint-log.ts';
import { GroupCommit } from './group-commit.ts';
import { IdempotencyKeyReused, InstanceConflict, InstanceNotFound, VersionConflict } from './errors.ts';
import type { JsonObject } from './json.ts';
import type { LogVerification } from './log-verification.ts';
import type { ReplayedInstance } from './replay.ts';
import type { Step, StepResult } from './step.ts';
import { allowedEvents, start, step, tagsOf, timersOf } from './step.ts';
import { DuplicateKey } from './store/duplicate-key.ts';
import type { CheckpointKey, InstanceQuery, InstanceRecord, LeanEntry, Store, StoreTransaction, StoredTimer } from './store/store.ts';
import type { AnyWorkflowDefinition, TimerSpec } from './workflow-definition.ts';
import { WorkflowRegistry } from './workflow-registry.ts';

export type { CheckpointSigner } from './checkpoint-log.ts';
export type { ConsistencyProof, InclusionProof, ReplayOptions, ReplayReport } from './audit-log.ts';

export interface CreateRequest {
  readonly id: string;
  readonly workflow: string;
  readonly input: JsonObject;
}

export interface SendOptions {
  /** Refuse with VersionConflict unless the instance is at this version. */
  readonly expectedVersion?: number;
  /** With `fingerprint`: a retry with the same key and fingerprint returns the first result. */
  readonly idempotencyKey?: string;
  readonly fingerprint?: string;
  /** Answer InstanceNotFound, before anything else, when the instance is not visible to the actor. */
  readonly onlyIfVisible?: boolean;
  /**
   * The caller's own writes, run in the entry's transaction after the commit hook, so that the change
   * an entry records and the entry commit together or not at all; throwing rolls both back. Not run
   * for an idempotent replay. May run twice (a grouped transaction rolled back and run alone): it
   * must write through `tx` only.
   */
  readonly inTransaction?: (tx: StoreTransaction, committed: { instance: InstanceRecord; entry: AuditEntry }) => Promise<void>;
}

/** One event of a batch (`Engine.sendAll`): to which instance, and at which version it must be. */
export interface BatchEvent {
  readonly instanceId: string;
  readonly event: { readonly type: string; readonly payload?: unknown };
  /** Refuse the whole batch with VersionConflict unless the instance is at this version. */
  readonly expectedVersion?: number;
}

/** What a batch wrote: the instances it created and the entries, in the order asked (creations first). */
export interface BatchResult {
  readonly created: string[];
  readonly entries: AuditEntry[];
  readonly replayed: boolean;
}

export interface SendResult {
  readonly instance: InstanceRecord;
  readonly entry: AuditEntry;
  /** True when this is the stored answer to an earlier request with the same idempotency key. */
  readonly replayed: boolean;
}


/** Called inside the transaction of every committed entry (creation, event, timer); throwing rolls it all back. */
export type CommitHook = (tx: StoreTransaction, committed: { instance: InstanceRecord; entry: AuditEntry }) => Promise<void>;

export interface EngineOptions {
  readonly onCommit?: CommitHook;
  /** Gather concurrent sends into one transaction (one fsync). Default true. */
  readonly groupCommit?: boolean;
  /**
   * A module whose `workflows` export lists the same definitions as `workflows` (its `import.meta.url`):
   * replay threads load them from it, definitions holding functions that cannot cross threads.
   * Without it, replay runs on the calling thread only.
   */
  readonly workflowsModule?: URL;
}

const TIMER_BATCH = 200;

/**
 * The durable runtime: runs workflow instances through the pure core and commits every accepted event
 * (state, audit entry, timers, tags, idempotency record) in one transaction. Time is always passed in.
 */
export class Engine {
  readonly registry: WorkflowRegistry;
  /** The audit log's reads: entries, verification, replay, proofs. */
  readonly log: AuditLog;
  /** The signed checkpoints and the one key that signs them. */
  readonly checkpointLog: CheckpointLog;
  private readonly commits: GroupCommit | undefined;

  constructor(
    readonly store: Store,
    workflows: readonly AnyWorkflowDefinition[],
    private readonly options: EngineOptions = {},
  ) {
    this.registry = new WorkflowRegistry(workflows);
    this.log = new AuditLog(store, this.registry, options.workflowsModule);
    this.checkpointLog = new CheckpointLog(store);
    this.commits = options.groupCommit === false ? undefined : new GroupCommit(store);
  }

  /**
   * Creates instances that do not exist yet; those that exist with the same workflow and input are left
   * alone. If any exists with other content, nothing is created and InstanceConflict is thrown.
   */
  async create(requests: readonly CreateRequest[], actor: Actor, at: Date): Promise<{ created: string[]; existing: string[] }> {
    try {
      return await this.createOnce(requests, actor, at);
    } catch (error) {
      // Another server imported some of them at the same moment: look again, they now exist.
      if (DuplicateKey.in(error, 'workflow_instance')) return this.createOnce(requests, actor, at);
      throw error;
    }
  }

  private async createOnce(requests: readonly CreateRequest[], actor: Actor, at: Date): Promise<{ created: string[]; existing: string[] }> {
    const existing: string[] = [];
    const conflicts: string[] = [];
    const fresh: { request: CreateRequest; definition: AnyWorkflowDefinition }[] = [];
    for (const request of requests) {
      const definition = this.registry.latest(request.workflow);
      const stored = await this.store.getInstance(request.id);
      if (stored === undefined) fresh.push({ request, definition });
      else if (await this.sameCreation(stored, request)) existing.push(request.id);
      else conflicts.push(request.id);
    }
    if (conflicts.length > 0) throw new InstanceConflict(conflicts);

    const steps = fresh.map(({ request, definition }) => ({ request, definition, result: start(definition, request.id, request.input, actor, at.getTime()) }));
    for (const { result } of steps) if (!result.ok) throw result.error;
    await this.store.transact(async (tx) => {
      for (const { request, definition, result } of steps) await this.insertCreated(tx, definition, request.id, (result as Extract<StepResult, { ok: true }>).step);
    });
    return { created: fresh.map(({ request }) => request.id), existing };
  }

  /**
   * Sends one event to an instance as `actor` at `at`. Resolves with the committed result, or rejects
   * with an EngineError (InstanceNotFound, UnknownEvent, Forbidden, InvalidPayload, TransitionNotAllowed,
   * VersionConflict, IdempotencyKeyReused, StoreUnavailable) having written nothing.
   */
  async send(instanceId: string, event: { type: string; payload?: unknown }, actor: Actor, at: Date, options: SendOptions = {}): Promise<SendResult> {
    try {
      return await this.sendOnce(instanceId, event, actor, at, options);
    } catch (error) {
      // Another server stored this key between our check and our insert: run again, which finds its answer.
      if (DuplicateKey.in(error, 'idempotency')) {
        return this.sendOnce(instanceId, event, actor, at, options);
      }
      throw error;
    }
  }

  private sendOnce(instanceId: string, event: { type: string; payload?: unknown }, actor: Actor, at: Date, options: SendOptions): Promise<SendResult> {
    const transact = this.commits === undefined ? this.store.transact.bind(this.store) : this.commits.run.bind(this.commits);
    return transact(async (tx): Promise<SendResult> => {
      const { idempotencyKey, fingerprint = '' } = options;
      const instance = await tx.lockInstance(instanceId);
      if (instance === undefined) throw new InstanceNotFound(instanceId);
      const definition = this.definitionOf(instance);
      if (options.onlyIfVisible === true && !definition.visibleTo(actor, instance.snapshot)) throw new InstanceNotFound(instanceId);
      if (idempotencyKey !== undefined) {
        const earlier = await tx.getIdempotency(idempotencyKey);
        if (earlier !== undefined) {
          if (earlier.fingerprint !== fingerprint) throw new IdempotencyKeyReused(idempotencyKey);
          return { ...(JSON.parse(earlier.outcome) as Omit<SendResult, 'replayed'>), replayed: true };
        }
      }
      if (options.expectedVersion !== undefined && options.expectedVersion !== instance.version) {
        throw new VersionConflict(instanceId, options.expectedVersion, instance.version);
      }
      const result = step(definition, { instanceId, version: instance.version, snapshot: instance.snapshot }, event.type, event.payload, actor, at.getTime());
      if (!result.ok) throw result.error;
      const outcome = await this.commit(tx, definition, instance, result.step);
      await options.inTransaction?.(tx, outcome);
      if (idempotencyKey !== undefined) {
        await tx.putIdempotency({ key: idempotencyKey, fingerprint, outcome: JSON.stringify(outcome) }, outcome.entry.at);
      }
      return { ...outcome, replayed: false };
    });
  }

  /**
   * Creates `create` and sends `send`, in that order, in ONE transaction: every entry is written or
   * none (the first refusal rejects the whole batch with its EngineError, or InstanceConflict for an
   * id that exists). With `idempotencyKey` and `fingerprint`, a retry gets the first result, another
   * batch under the key IdempotencyKeyReused. Not grouped with other commits.
   */
  async sendAll(
    batch: { readonly create: readonly CreateRequest[]; readonly send: readonly BatchEvent[] },
    actor: Actor,
    at: Date,
    options: Pick<SendOptions, 'idempotencyKey' | 'fingerprint'> = {},
  ): Promise<BatchResult> {
    const { idempotencyKey, fingerprint = '' } = options;
    return this.store.transact(async (tx): Promise<BatchResult> => {
      if (idempotencyKey !== undefined) {
        const earlier = await tx.getIdempotency(idempotencyKey);
        if (earlier !== undefined) {
          if (earlier.fingerprint !== fingerprint) throw new IdempotencyKeyReused(idempotencyKey);
          return { ...(JSON.parse(earlier.outcome) as Omit<BatchResult, 'replayed'>), replayed: true };
        }
      }
      const entries: AuditEntry[] = [];
      for (const request of batch.create) {
        if ((await tx.lockInstance(request.id)) !== undefined) throw new InstanceConflict([request.id]);
        const definition = this.registry.latest(request.workflow);
        const result = start(definition, request.id, request.input, actor, at.getTime());
        if (!result.ok) throw result.error;
        entries.push(await this.insertCreated(tx, definition, request.id, result.step));
      }
      for (const { instanceId, event, expectedVersion } of batch.send) {
        const instance = await tx.lockInstance(instanceId);
        if (instance === undefined) throw new InstanceNotFound(instanceId);
        if (expectedVersion !== undefined && expectedVersion !== instance.version) throw new VersionConflict(instanceId, expectedVersion, instance.version);
        const definition = this.definitionOf(instance);
        const result = step(definition, { instanceId, version: instance.version, snapshot: instance.snapshot }, event.type, event.payload, actor, at.getTime());
        if (!result.ok) throw result.error;
        entries.push((await this.commit(tx, definition, instance, result.step)).entry);
      }
      const outcome = { created: batch.create.map((request) => request.id), entries };
      if (idempotencyKey !== undefined && entries[0] !== undefined) {
        await tx.putIdempotency({ key: idempotencyKey, fingerprint, outcome: JSON.stringify(outcome) }, entries[0].at);
      }
      return { ...outcome, replayed: false };
    });
  }

  /** A created instance written in `tx`: its record, its CREATE entry, its timers and tags, and the commit hook. */
  private async insertCreated(tx: StoreTransaction, definition: AnyWorkflowDefinition, id: string, created: Extract<StepResult, { ok: true }>['step']): Promise<AuditEntry> {
    const { snapshot, draft, timers, tags } = created;
    const record: InstanceRecord = { id, workflowId: definition.id, workflowVersion: definition.version, snapshot, version: 1, createdAt: draft.at, updatedAt: draft.at };
    await tx.insertInstance(record);
    const entry = await tx.appendAudit(draft);
    await tx.replaceTimers(id, [], timers);
    await tx.replaceTags(id, [], tags);
    await this.options.onCommit?.(tx, { instance: record, entry });
    return entry;
  }

  /**
   * Fires every timer due by `now`, each exactly once, as a system event through the same path as `send`.
   * A timer whose condition no longer holds is dropped. Returns the entries written and the timers dropped
   * by this call; a timer another engine on the same database fired or dropped first is in neither.
   */
  async fireDue(now: Date): Promise<{ fired: AuditEntry[]; dropped: StoredTimer[] }> {
    const fired: AuditEntry[] = [];
    const dropped: StoredTimer[] = [];
    for (;;) {
      const due = await this.store.dueTimers(now.getTime(), TIMER_BATCH);
      let claimed = 0;
      for (const timer of due) {
        const outcome = await this.store.transact(async (tx) => ((await tx.claimTimer(timer)) ? { entry: await this.fire(tx, timer, now) } : undefined));
        if (outcome === undefined) continue;
        claimed += 1;
        if (outcome.entry === undefined) dropped.push(timer);
        else fired.push(outcome.entry);
      }
      // Nothing left, or everything due is being fired elsewhere (it is not ours to wait for).
      if (claimed === 0) break;
    }
    return { fired, dropped };
  }

  getInstance(id: string): Promise<InstanceRecord | undefined> {
    return this.store.getInstance(id);
  }

  /** The instances of `ids` that exist, in no particular order (at most a few hundred ids a call). */
  getInstances(ids: readonly string[]): Promise<InstanceRecord[]> {
    return this.store.getInstances(ids);
  }

  listInstances(query: InstanceQuery): Promise<InstanceRecord[]> {
    return this.store.listInstances(query);
  }

  timers(instanceId: string): Promise<StoredTimer[]> {
    return this.store.listTimers(instanceId);
  }

  /** The events `actor` may send to this instance at `at`. Pure. */
  allowedEvents(instance: InstanceRecord, actor: Actor, at: Date): string[] {
    return allowedEvents(this.definitionOf(instance), instance.snapshot, actor, at.getTime());
  }

  visibleTo(instance: InstanceRecord, actor: Actor): boolean {
    return this.definitionOf(instance).visibleTo(actor, instance.snapshot);
  }

  definitionOf(instance: Pick<InstanceRecord, 'workflowId' | 'workflowVersion'>): AnyWorkflowDefinition {
    return this.registry.get(instance.workflowId, instance.workflowVersion);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  // The audit log's reads (AuditLog) and the checkpoints (CheckpointLog), as the engine's own.
  history(instanceId: string): Promise<AuditEntry[]> {
    return this.log.history(instanceId);
  }
  readAudit(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    return this.log.read(afterSeq, limit);
  }
  readLean(afterSeq: number, limit: number, payloadTypes: readonly string[], actorTypes: readonly string[] = []): Promise<LeanEntry[]> {
    return this.log.readLean(afterSeq, limit, payloadTypes, actorTypes);
  }
  entries(filter: { instanceId?: string } = {}): AsyncGenerator<AuditEntry> {
    return this.log.entries(filter);
  }
  auditSize(): Promise<number> {
    return this.log.size();
  }
  verify(): Promise<ChainReport> {
    return this.log.verify();
  }
  verifyWithCheckpoints(publicKey: KeyObject, extraCheckpoints: readonly string[] = [], origin?: string): Promise<LogVerification> {
    return this.log.verifyWithCheckpoints(publicKey, extraCheckpoints, origin);
  }
  replay(asOf?: Date, options?: ReplayOptions): Promise<ReplayReport> {
    return this.log.replay(asOf, options);
  }
  snapshotsAt(asOf: Date, options?: ReplayOptions): Promise<Map<string, ReplayedInstance>> {
    return this.log.snapshotsAt(asOf, options);
  }
  inclusionProof(seq: number, size?: number): Promise<InclusionProof> {
    return this.log.inclusionProof(seq, size);
  }
  consistencyProof(from: number, to?: number): Promise<ConsistencyProof> {
    return this.log.consistencyProof(from, to);
  }
  claimCheckpointKey(publicKey: KeyObject): Promise<CheckpointKey> {
    return this.checkpointLog.claimKey(publicKey);
  }
  issueCheckpoint(signer: CheckpointSigner, at: Date): Promise<SignedCheckpoint | undefined> {
    return this.checkpointLog.issue(signer, at);
  }
  checkpoints(): Promise<SignedCheckpoint[]> {
    return this.checkpointLog.list();
  }
  checkpointsAfter(size: number, limit: number): Promise<SignedCheckpoint[]> {
    return this.checkpointLog.after(size, limit);
  }
  /** The latest checkpoint, read alone. */
  latestCheckpoint(): Promise<SignedCheckpoint | undefined> {
    return this.checkpointLog.latest();
  }

  private async fire(tx: StoreTransaction, timer: StoredTimer, now: Date): Promise<AuditEntry | undefined> {
    const instance = await tx.lockInstance(timer.instanceId);
    if (instance === undefined) return undefined;
    const definition = this.definitionOf(instance);
    const armed = timersOf(definition, instance.snapshot);
    const wanted = armed.find((t) => t.key === timer.key && t.dueAt === timer.dueAt);
    const result = wanted === undefined
      ? undefined
      : step(definition, { instanceId: instance.id, version: instance.version, snapshot: instance.snapshot }, timer.event.type, timer.event.payload ?? {}, SYSTEM_ACTOR, now.getTime());
    if (result === undefined || !result.ok) {
      // Its condition no longer holds: drop it, never fire it.
      await tx.replaceTimers(instance.id, [timer], []);
      return undefined;
    }
    // The fired timer is spent even if the definition would arm it again unchanged.
    const next = { ...result.step, timers: result.step.timers.filter((t) => !(t.key === timer.key && t.dueAt === timer.dueAt)) };
    const outcome = await this.commit(tx, definition, instance, next, [...armed, timer]);
    return outcome.entry;
  }

  private async commit(tx: StoreTransaction, definition: AnyWorkflowDefinition, instance: InstanceRecord, next: Step, armedBefore?: readonly TimerSpec[]) {
    const entry = await tx.appendAudit(next.draft);
    const record: InstanceRecord = { ...instance, snapshot: next.snapshot, version: next.draft.version, updatedAt: next.draft.at };
    if (!(await tx.updateInstance(record, instance.version))) throw new VersionConflict(instance.id, instance.version, -1);
    await tx.replaceTimers(instance.id, armedBefore ?? timersOf(definition, instance.snapshot), next.timers);
    await tx.replaceTags(instance.id, tagsOf(definition, instance.snapshot), next.tags);
    await this.options.onCommit?.(tx, { instance: record, entry });
    return { instance: record, entry };
  }

  private async sameCreation(stored: InstanceRecord, request: CreateRequest): Promise<boolean> {
    if (stored.workflowId !== request.workflow) return false;
    const [creation] = await this.store.readAudit({ instanceId: stored.id, limit: 1 });
    const input = (creation?.payload as { input?: JsonObject } | undefined)?.input;
    if (input === undefined) return false;
    const parsed = this.definitionOf(stored).input.safeParse(request.input);
    return parsed.success && canonicalJson(parsed.data) === canonicalJson(input);
  }
}
