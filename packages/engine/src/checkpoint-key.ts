import type { KeyObject } from 'node:crypto';
import { keyName, openCheckpoint, signatureKeyName } from './checkpoint.ts';
import { CheckpointKeyMismatch } from './errors.ts';
import type { CheckpointKey, StoreTransaction } from './store/store.ts';

/**
 * Within `tx`: makes `publicKey` the key of the log's checkpoints, or refuses it. The first signer's
 * key is recorded in the database (insert-if-absent, so of two racing signers the first wins) and every
 * later signer must hold the same key: one log, one key, whatever the number of servers. A log that has
 * checkpoints but no recorded key (signed before keys were recorded) takes the key only if it opens the
 * latest checkpoint. Throws CheckpointKeyMismatch, having written nothing, for any other key.
 */
export async function claimCheckpointKey(tx: StoreTransaction, publicKey: KeyObject): Promise<CheckpointKey> {
  const offered: CheckpointKey = { keyName: keyName(publicKey), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  const recorded = (await tx.checkpointKey()) ?? (await recordFirstKey(tx, offered, publicKey));
  if (recorded.publicKey !== offered.publicKey) throw new CheckpointKeyMismatch(offered.keyName, recorded.keyName);
  return recorded;
}

/** Records `offered` as the log's key, unless the log's latest checkpoint shows another key signed it. */
async function recordFirstKey(tx: StoreTransaction, offered: CheckpointKey, publicKey: KeyObject): Promise<CheckpointKey> {
  const latest = await tx.latestCheckpoint();
  if (latest !== undefined) {
    const opened = openCheckpoint(latest.text, publicKey);
    if (!opened.ok) throw new CheckpointKeyMismatch(offered.keyName, signatureKeyName(latest.text) ?? 'unknown', { size: latest.size, reason: opened.reason });
  }
  return tx.recordCheckpointKey(offered);
}
