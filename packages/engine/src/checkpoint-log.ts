import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import type { SignedCheckpoint } from './checkpoint.ts';
import { openCheckpoint, signCheckpoint } from './checkpoint.ts';
import { claimCheckpointKey } from './checkpoint-key.ts';
import { MerkleFrontier } from './merkle-tree.ts';
import type { CheckpointKey, Store } from './store/store.ts';

/** Who signs checkpoints: the log's name and an Ed25519 private key. */
export interface CheckpointSigner {
  readonly origin: string;
  readonly privateKey: KeyObject;
}

const HASH_PAGE = 2000;

/**
 * The log's signed checkpoints: the one key that signs them, issuing the next one from the Merkle
 * frontier this process keeps (so each reads only the hashes added since), and reading them back.
 */
export class CheckpointLog {
  /** Merkle frontier of the log as far as this process has read it, so each checkpoint reads only new hashes. */
  private frontier = new MerkleFrontier();
  /** The issue in progress, if any: the next waits for it. */
  private issuing: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: Store) {}

  /**
   * Makes `publicKey` the key of this log's checkpoints, recording it when no key is (see
   * claimCheckpointKey), or throws CheckpointKeyMismatch having written nothing. A server calls it as
   * it starts, so that a second key is refused before it signs anything.
   */
  claimKey(publicKey: KeyObject): Promise<CheckpointKey> {
    return this.store.transact((tx) => claimCheckpointKey(tx, publicKey));
  }

  /**
   * Signs and stores a checkpoint of the whole log, unless the latest checkpoint already covers it.
   * Returns the new checkpoint, or undefined when there was nothing new. Throws CheckpointKeyMismatch,
   * writing nothing, when the signer's key is not the log's (claimCheckpointKey).
   */
  issue(signer: CheckpointSigner, at: Date): Promise<SignedCheckpoint | undefined> {
    // One at a time: two issues reading new hashes into the one frontier at once would append them twice.
    const issued = this.issuing.then(() => this.issueNext(signer, at));
    this.issuing = issued.catch(() => undefined);
    return issued;
  }

  private async issueNext(signer: CheckpointSigner, at: Date): Promise<SignedCheckpoint | undefined> {
    if (this.frontier.size === 0) this.frontier = await this.resumedFrontier(signer);
    for (;;) {
      const hashes = await this.store.readHashes(this.frontier.size, HASH_PAGE);
      for (const hash of hashes) this.frontier.append(hash);
      if (hashes.length < HASH_PAGE) break;
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

  /** Every stored checkpoint, smallest first. */
  list(): Promise<SignedCheckpoint[]> {
    return this.store.checkpoints();
  }

  /** The latest checkpoint (of the largest log), without reading the others. */
  latest(): Promise<SignedCheckpoint | undefined> {
    return this.store.latestCheckpoint();
  }

  /** Up to `limit` checkpoints of logs larger than `size`, smallest first: a page of `list()`. */
  after(size: number, limit: number): Promise<SignedCheckpoint[]> {
    return this.store.checkpointsAfter(size, limit);
  }
}
