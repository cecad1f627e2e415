import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import type { Actor } from './actor.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import type { AuditEntry } from './audit-entry.ts';
import { canonicalJson } from './canonical-json.ts';
import type { SignedCheckpoint } from './checkpoint.ts';
import { openCheckpoint, signCheckpoint } from './checkpoint.ts';
import { claimCheckpointKey } from './checkpoint-key.ts';
import type { ChainReport } from './chain-verification.ts';
import { verifyChain } from './chain-verification.ts';
import { GroupCommit } from './group-commit.ts';
import { IdempotencyKeyReused, InstanceConflict, InstanceNotFound, VersionConflict } from './errors.ts';
import type { JsonObject } from './json.ts';
import type { LogVerification } from './log-verification.ts';
import { verifyLog } from './log-verification.ts';
import { MerkleFrontier } from './merkle-tree.ts';
import type { ReplayDifference } from './replay.ts';
import { replayLog, sameState } from './replay.ts';
import type { Step, StepResult } from './step.ts';
import { allowedEvents, start, step } from './step.ts';
import { streamedConsistencyProof, streamedInclusionProof } from './streamed-merkle-proofs.ts';
import { DuplicateKey } from './store/duplicate-key.ts';
import type { CheckpointKey, InstanceQuery, InstanceRecord, LeanEntry, Store, StoreTransaction, StoredTimer } from './store/store.ts';
import type { AnyWorkflowDefinition, TimerSpec } from './workflow-definition.ts';
import { WorkflowRegistry } from './workflow-registry.ts';

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
}

export interface SendResult {
  readonly instance: InstanceRecord;
  readonly entry: AuditEntry;
  /** True when this is the stored answer to an earlier request with the same idempotency key. */
  readonly replayed: boolean;
}

/** Who signs checkpoints: the log's name and an Ed25519 private key. */
export interface CheckpointSigner {
  readonly origin: string;
  readonly privateKey: KeyObject;
}

export interface InclusionProof {
  readonly seq: number;
  readonly size: number;
  readonly leafHash: string;
  readonly rootHash: string;
  readonly proof: string[];
}

export interface ConsistencyProof {
  readonly from: number;
  readonly to: number;
  readonly fromRoot: string;
  readonly toRoot: string;
  readonly proof: string[];
}

export interface ReplayReport {
  readonly entries: number;
  readonly instances: { instanceId: string; state: string; version: number }[];
  readonly differences: ReplayDifference[];
}

/** Called inside the transaction of every committed entry (creation, event, timer); throwing rolls it all back. */
export type CommitHook = (tx: StoreTransaction, committed: { instance: InstanceRecord; entry: AuditEntry }) => Promise<void>;

export interface EngineOptions {
  readonly onCommit?: CommitHook;
  /** Gather concurrent sends into one transaction (one fsync). Default true. */
  readonly groupCommit?: boolean;
}

const AUDIT_PAGE = 2000;
/** Leaf hashes per read while computing a proof: 64-character strings, so about 2 MB a page. */
const PROOF_PAGE = 20_000;
const TIMER_BATCH = 200;

/**
 * The durable runtime: runs workflow instances through the pure core and commits every accepted event
 * (state, audit entry, timers, tags, idempotency record) in one transaction. Time is always passed in.
 */
export class Engine {
  readonly registry: WorkflowRegistry;
  /** Merkle frontier of the log as far as this process has read it, so each checkpoint reads only new hashes. */
  private frontier = new MerkleFrontier();
  private readonly commits: GroupCommit | undefined;

  constructor(
    readonly store: Store,
    workflows: readonly AnyWorkflowDefinition[],
    private readonly options: EngineOptions = {},
  ) {
    this.registry = new WorkflowRegistry(workflows);
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
      for (const { request, definition, result } of steps) {
        const { snapshot, draft, timers, tags } = (result as Extract<StepResult, { ok: true }>).step;
        const record: InstanceRecord = { id: request.id, workflowId: definition.id, workflowVersion: definition.version, snapshot, version: 1, createdAt: draft.at, updatedAt: draft.at };
        await tx.insertInstance(record);
        const entry = await tx.appendAudit(draft);
        await tx.replaceTimers(request.id, [], timers);
        await tx.replaceTags(request.id, [], tags);
        await this.options.onCommit?.(tx, { instance: record, entry });
      }
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
      if (idempotencyKey !== undefined) {
        await tx.putIdempotency({ key: idempotencyKey, fingerprint, outcome: JSON.stringify(outcome) }, outcome.entry.at);
      }
      return { ...outcome, replayed: false };
    });
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

  async history(instanceId: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    for await (const entry of this.entries({ instanceId })) entries.push(entry);
    return entries;
  }

  readAudit(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    return this.store.readAudit({ afterSeq, limit });
  }

  /** Entries after `afterSeq`, without actor and hashes, with payloads of `payloadTypes` only (see LeanEntry). */
  readLean(afterSeq: number, limit: number, payloadTypes: readonly string[]): Promise<LeanEntry[]> {
    return this.store.readLean(afterSeq, limit, payloadTypes);
  }

  /** The whole log (or one instance's part of it) in seq order, read page by page. */
  async *entries(filter: { instanceId?: string } = {}): AsyncGenerator<AuditEntry> {
    let afterSeq = 0;
    for (;;) {
      const page = await this.store.readAudit({ afterSeq, limit: AUDIT_PAGE, ...filter });
      yield* page;
      if (page.length < AUDIT_PAGE) return;
      afterSeq = page[page.length - 1]!.seq;
    }
  }

  /** Checks the log's hash chain from the first entry; names the first bad seq. */
  verify(): Promise<ChainReport> {
    return verifyChain(this.entries());
  }

  /**
   * Rebuilds every instance from the log. Without `asOf`, compares each with its stored snapshot and
   * version and reports every difference; with `asOf`, returns the states as they stood then.
   */
  async replay(asOf?: Date): Promise<ReplayReport> {
    const result = await replayLog(this.registry, this.entries(), asOf?.getTime());
    const differences = [...result.differences];
    if (asOf === undefined) {
      let afterId: string | undefined;
      const seen = new Set<string>();
      for (;;) {
        const page = await this.store.listInstances({ limit: AUDIT_PAGE, ...(afterId === undefined ? {} : { afterId }) });
        for (const stored of page) {
          seen.add(stored.id);
          const replayed = result.instances.get(stored.id);
          if (replayed === undefined) differences.push({ instanceId: stored.id, reason: 'stored instance has no entries in the log' });
          else if (!sameState(stored, replayed)) {
            differences.push({ instanceId: stored.id, reason: `stored ${stored.snapshot.value} v${stored.version} differs from replayed ${replayed.snapshot.value} v${replayed.version}` });
          }
        }
        if (page.length < AUDIT_PAGE) break;
        afterId = page[page.length - 1]!.id;
      }
      for (const id of result.instances.keys()) if (!seen.has(id)) differences.push({ instanceId: id, reason: 'logged instance is missing from the store' });
    }
    const instances = [...result.instances.values()]
      .map((i) => ({ instanceId: i.instanceId, state: i.snapshot.value, version: i.version }))
      .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
    return { entries: result.entries, instances, differences };
  }

  /** The instances as they stood at `asOf`, with their full snapshots. */
  async snapshotsAt(asOf: Date) {
    return (await replayLog(this.registry, this.entries(), asOf.getTime())).instances;
  }

  /**
   * Makes `publicKey` the key of this log's checkpoints, recording it when no key is (see
   * claimCheckpointKey), or throws CheckpointKeyMismatch having written nothing. A server calls it as
   * it starts, so that a second key is refused before it signs anything.
   */
  claimCheckpointKey(publicKey: KeyObject): Promise<CheckpointKey> {
    return this.store.transact((tx) => claimCheckpointKey(tx, publicKey));
  }

  /**
   * Signs and stores a checkpoint of the whole log, unless the latest checkpoint already covers it.
   * Returns the new checkpoint, or undefined when there was nothing new. Throws CheckpointKeyMismatch,
   * writing nothing, when the signer's key is not the log's (claimCheckpointKey).
   */
  async issueCheckpoint(signer: CheckpointSigner, at: Date): Promise<SignedCheckpoint | undefined> {
    if (this.frontier.size === 0) this.frontier = await this.resumedFrontier(signer);
    for (;;) {
      const hashes = await this.store.readHashes(this.frontier.size, AUDIT_PAGE);
      for (const hash of hashes) this.frontier.append(hash);
      if (hashes.length < AUDIT_PAGE) break;
    }
    const size = this.frontier.size;
    const rootHash = this.frontier.root();
    const nodes = this.frontier.nodes();
    return this.store.transact(async (tx) => {
      await claimCheckpointKey(tx, createPublicKey(signer.privateKey));
      const latest = await tx.latestCheckpoint();
      // Nothing new to sign; a checkpoint from before frontiers were kept gets this one, for the next start.
      if (latest !== undefined && latest.size === size) await tx.keepFrontier(size, nodes);
      if (size === 0 || (latest !== undefined && latest.size >= size)) return undefined;
      const checkpoint = signCheckpoint({ origin: signer.origin, size, rootHash, time: at.toISOString() }, signer.privateKey);
      await tx.insertCheckpoint(checkpoint, nodes);
      return checkpoint;
    });
  }

  /**
   * The frontier kept with the latest checkpoint, when that checkpoint bears the signer's signature and
   * its root is the frontier's: new checkpoints then extend what was signed, and the log's hashes are
   * read from there on rather than from the first. Otherwise an empty frontier (everything is read).
   */
  private async resumedFrontier(signer: CheckpointSigner): Promise<MerkleFrontier> {
    const kept = await this.store.latestFrontier();
    if (kept === undefined) return new MerkleFrontier();
    const opened = openCheckpoint(kept.checkpoint.text, createPublicKey(signer.privateKey));
    if (!opened.ok || opened.checkpoint.origin !== signer.origin) return new MerkleFrontier();
    try {
      const frontier = MerkleFrontier.restore(opened.checkpoint.size, kept.nodes);
      return frontier.root() === opened.checkpoint.rootHash ? frontier : new MerkleFrontier();
    } catch {
      return new MerkleFrontier();
    }
  }

  checkpoints(): Promise<SignedCheckpoint[]> {
    return this.store.checkpoints();
  }

  /** Up to `limit` checkpoints of logs larger than `size`, smallest first: a page of `checkpoints()`. */
  checkpointsAfter(size: number, limit: number): Promise<SignedCheckpoint[]> {
    return this.store.checkpointsAfter(size, limit);
  }

  /** Proof that entry `seq` is in the log's first `size` entries (default: all). Reads the log page by page, holding none of it. */
  async inclusionProof(seq: number, size?: number): Promise<InclusionProof> {
    const logSize = await this.provableSize(size);
    if (!Number.isInteger(seq) || seq < 1 || seq > logSize) throw new RangeError(`seq ${seq} is outside a log of size ${logSize}`);
    const { leafHash, rootHash, proof } = await streamedInclusionProof(seq - 1, logSize, (after, limit) => this.store.readHashes(after, limit), PROOF_PAGE);
    return { seq, size: logSize, leafHash, rootHash, proof };
  }

  /** Proof that the log's first `from` entries are a prefix of its first `to` entries. Reads the log page by page, holding none of it. */
  async consistencyProof(from: number, to?: number): Promise<ConsistencyProof> {
    const logSize = await this.provableSize(to);
    if (!Number.isInteger(from) || from < 1 || from > logSize) throw new RangeError(`size ${from} is outside 1..${logSize}`);
    const { fromRoot, toRoot, proof } = await streamedConsistencyProof(from, logSize, (after, limit) => this.store.readHashes(after, limit), PROOF_PAGE);
    return { from, to: logSize, fromRoot, toRoot, proof };
  }

  /** Verifies the stored log against its own chain and every stored checkpoint, trusting only `publicKey`. */
  async verifyWithCheckpoints(publicKey: KeyObject, extraCheckpoints: readonly string[] = [], origin?: string): Promise<LogVerification> {
    const stored = (await this.store.checkpoints()).map((c) => c.text);
    return verifyLog(this.entries(), [...stored, ...extraCheckpoints], publicKey, origin);
  }

  auditSize(): Promise<number> {
    return this.store.auditSize();
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /** `size`, or the whole log's size when it is undefined; a RangeError unless it is 1..the log's size. */
  private async provableSize(size?: number): Promise<number> {
    const total = await this.store.auditSize();
    const wanted = size ?? total;
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > total) throw new RangeError(`size ${wanted} is outside 1..${total}`);
    return wanted;
  }

  private async fire(tx: StoreTransaction, timer: StoredTimer, now: Date): Promise<AuditEntry | undefined> {
    const instance = await tx.lockInstance(timer.instanceId);
    if (instance === undefined) return undefined;
    const definition = this.definitionOf(instance);
    const armed = definition.timers(instance.snapshot);
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
    await tx.replaceTimers(instance.id, armedBefore ?? definition.timers(instance.snapshot), next.timers);
    await tx.replaceTags(instance.id, definition.tags(instance.snapshot), next.tags);
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
