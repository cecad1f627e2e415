import type { KeyObject } from 'node:crypto';
import type { AuditEntry } from './audit-entry.ts';
import { GENESIS_HASH } from './audit-entry.ts';
import { checkLink } from './chain-verification.ts';
import type { Checkpoint } from './checkpoint.ts';
import { openCheckpoint } from './checkpoint.ts';
import { MerkleFrontier } from './merkle-tree.ts';

export interface LogVerification {
  readonly ok: boolean;
  /** Entries read and found good before the first problem. */
  readonly entries: number;
  readonly checkpoints: number;
  /** The first entry that is wrong or missing; absent when the problem is in a checkpoint itself. */
  readonly firstBadSeq?: number;
  readonly reason?: string;
}

/**
 * Verifies a log as a reviewer would, trusting only the public key: every checkpoint's signature,
 * no two checkpoints of one size with different roots, the hash chain entry by entry, each checkpoint's
 * Merkle root against the entries up to its size, and no checkpoint larger than the log (a cut tail or a
 * restored older backup). Pure over what it reads; O(log n) memory beyond the checkpoints.
 */
export async function verifyLog(
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
  checkpointTexts: readonly string[],
  publicKey: KeyObject,
  origin?: string,
): Promise<LogVerification> {
  const checkpoints: Checkpoint[] = [];
  for (const [i, text] of checkpointTexts.entries()) {
    const opened = openCheckpoint(text, publicKey);
    if (!opened.ok) return { ok: false, entries: 0, checkpoints: i, reason: `checkpoint ${i + 1}: ${opened.reason}` };
    if (origin !== undefined && opened.checkpoint.origin !== origin) {
      return { ok: false, entries: 0, checkpoints: i, reason: `checkpoint ${i + 1} is for log ${opened.checkpoint.origin}, not ${origin}` };
    }
    checkpoints.push(opened.checkpoint);
  }
  checkpoints.sort((a, b) => a.size - b.size);
  for (let i = 1; i < checkpoints.length; i++) {
    const [a, b] = [checkpoints[i - 1]!, checkpoints[i]!];
    if (a.size === b.size && a.rootHash !== b.rootHash) {
      return { ok: false, entries: 0, checkpoints: checkpoints.length, reason: `two signed checkpoints of size ${a.size} have different roots (${a.time} and ${b.time}): the log was forked` };
    }
  }

  const frontier = new MerkleFrontier();
  let prevHash = GENESIS_HASH;
  let next = 0;
  let lastGoodSize = 0;
  const fail = (firstBadSeq: number, reason: string): LogVerification => ({ ok: false, entries: firstBadSeq - 1, checkpoints: checkpoints.length, firstBadSeq, reason });
  const checkAt = (size: number): LogVerification | undefined => {
    while (next < checkpoints.length && checkpoints[next]!.size <= size) {
      const checkpoint = checkpoints[next]!;
      if (checkpoint.size === size && checkpoint.size > 0) {
        if (frontier.root() !== checkpoint.rootHash) {
          const range = lastGoodSize + 1 === size ? `entry ${size}` : `entries ${lastGoodSize + 1}..${size}`;
          return fail(lastGoodSize + 1, `${range} do not match the signed checkpoint of size ${size} (${checkpoint.time}): altered and re-hashed`);
        }
        lastGoodSize = size;
      }
      next += 1;
    }
    return undefined;
  };

  for await (const entry of entries) {
    const seq = frontier.size + 1;
    const broken = checkLink(entry, seq, prevHash);
    if (broken !== undefined) return fail(Math.max(broken.badSeq, lastGoodSize + 1), broken.reason);
    frontier.append(entry.hash);
    prevHash = entry.hash;
    const problem = checkAt(seq);
    if (problem !== undefined) return problem;
  }
  const size = frontier.size;
  const beyond = checkpoints.find((c) => c.size > size);
  if (beyond !== undefined) {
    return fail(size + 1, `the log has ${size} entries but a signed checkpoint of size ${beyond.size} (${beyond.time}) exists: its tail was cut or an older copy restored`);
  }
  return { ok: true, entries: size, checkpoints: checkpoints.length };
}
