import type { KeyObject } from 'node:crypto';
import type { AuditEntry } from './audit-entry.ts';
import type { ChainReport } from './chain-verification.ts';
import { verifyChain } from './chain-verification.ts';
import type { LogVerification } from './log-verification.ts';
import { verifyLog } from './log-verification.ts';
import { replayInParallel } from './parallel-replay.ts';
import type { ReplayDifference, ReplayedInstance, ReplayResult } from './replay.ts';
import { replayLog, sameState } from './replay.ts';
import { streamedConsistencyProof, streamedInclusionProof } from './streamed-merkle-proofs.ts';
import type { LeanEntry, Store } from './store/store.ts';
import type { WorkflowRegistry } from './workflow-registry.ts';

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

/** How a replay runs: its progress, and on how many threads. */
export interface ReplayOptions {
  /** Hears how many entries were read so far, a page at a time; throwing from it stops the replay. */
  readonly progress?: (entries: number) => void;
  /** Worker threads replaying tasks side by side (default 1: on the calling thread). More needs the engine's `workflowsModule`. */
  readonly workers?: number;
}

export interface ReplayReport {
  readonly entries: number;
  readonly instances: { instanceId: string; state: string; version: number }[];
  readonly differences: ReplayDifference[];
}

const AUDIT_PAGE = 2000;
/** Leaf hashes per read while computing a proof: 64-character strings, so about 2 MB a page. */
const PROOF_PAGE = 20_000;

/**
 * The audit log's reads: entries page by page, verification of the hash chain and of signed
 * checkpoints, replay (now, or as of an instant) and Merkle proofs. Reads only; every write to the log
 * is the engine's, in the transaction of the transition it records.
 */
export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly registry: WorkflowRegistry,
    /** The module replay threads load the workflows from (EngineOptions.workflowsModule). */
    private readonly workflowsModule?: URL,
  ) {}

  /** One instance's entries, in seq order. */
  async history(instanceId: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    for await (const entry of this.entries({ instanceId })) entries.push(entry);
    return entries;
  }

  /** Up to `limit` entries after `afterSeq`. */
  read(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    return this.store.readAudit({ afterSeq, limit });
  }

  /** Entries after `afterSeq`, without hashes, with payloads of `payloadTypes` and actors of `actorTypes` only (see LeanEntry). */
  readLean(afterSeq: number, limit: number, payloadTypes: readonly string[], actorTypes: readonly string[] = []): Promise<LeanEntry[]> {
    return this.store.readLean(afterSeq, limit, payloadTypes, actorTypes);
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

  size(): Promise<number> {
    return this.store.auditSize();
  }

  /** Checks the log's hash chain from the first entry; names the first bad seq. */
  verify(): Promise<ChainReport> {
    return verifyChain(this.entries());
  }

  /** Verifies the stored log against its own chain and every stored checkpoint, trusting only `publicKey`. */
  async verifyWithCheckpoints(publicKey: KeyObject, extraCheckpoints: readonly string[] = [], origin?: string): Promise<LogVerification> {
    const stored = (await this.store.checkpoints()).map((c) => c.text);
    return verifyLog(this.entries(), [...stored, ...extraCheckpoints], publicKey, origin);
  }

  /**
   * Rebuilds every instance from the log. Without `asOf`, compares each with its stored snapshot and
   * version and reports every difference; with `asOf`, returns the states as they stood then.
   * With `workers` above 1 the tasks are replayed on that many threads; the report is the same.
   */
  async replay(asOf?: Date, options: ReplayOptions = {}): Promise<ReplayReport> {
    const result = await this.replayed(asOf?.getTime(), options);
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
  async snapshotsAt(asOf: Date, options: ReplayOptions = {}): Promise<Map<string, ReplayedInstance>> {
    return (await this.replayed(asOf.getTime(), options)).instances;
  }

  /** Replays the whole log, serially or on worker threads. */
  private replayed(asOf: number | undefined, { progress, workers = 1 }: ReplayOptions): Promise<ReplayResult> {
    return this.rebuild(progress === undefined ? this.entries() : counted(this.entries(), progress), asOf, workers);
  }

  /**
   * Replays `entries` (the log, or a pass over it that also reads them for something else) on the
   * calling thread (`workers` 1) or on that many worker threads: the same result either way.
   */
  rebuild(entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>, asOf?: number, workers = 1): Promise<ReplayResult> {
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a whole number from 1, not ${workers}`);
    if (workers === 1) return replayLog(this.registry, entries, asOf);
    if (this.workflowsModule === undefined) throw new Error('replay on worker threads needs EngineOptions.workflowsModule (a module exporting `workflows`)');
    return replayInParallel({ count: workers, workflows: this.workflowsModule }, entries, asOf);
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

  /** `size`, or the whole log's size when it is undefined; a RangeError unless it is 1..the log's size. */
  private async provableSize(size?: number): Promise<number> {
    const total = await this.store.auditSize();
    const wanted = size ?? total;
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > total) throw new RangeError(`size ${wanted} is outside 1..${total}`);
    return wanted;
  }
}

/** `entries` as they pass, their count told to `progress` at every page's end. */
async function* counted(entries: AsyncIterable<AuditEntry>, progress: (entries: number) => void): AsyncGenerator<AuditEntry> {
  let count = 0;
  for await (const entry of entries) {
    yield entry;
    if (++count % AUDIT_PAGE === 0) progress(count);
  }
  progress(count);
}
