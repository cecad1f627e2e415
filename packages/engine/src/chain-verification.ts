import type { AuditEntry } from './audit-entry.ts';
import { GENESIS_HASH, hashEntry } from './audit-entry.ts';

export interface ChainReport {
  readonly ok: boolean;
  readonly entries: number;
  readonly headHash: string;
  readonly firstBadSeq?: number;
  readonly reason?: string;
}

/** What is wrong with one link of the chain: the seq to blame and why. */
export interface ChainBreak {
  readonly badSeq: number;
  readonly reason: string;
}

/**
 * Checks the entry expected at `expectedSeq`, whose predecessor's hash is `prevHash`. Pure.
 * An entry that matches its own hash but not the previous hash means the PREVIOUS entry was altered
 * and re-hashed (this entry still records its original hash), so the blame goes there.
 */
export function checkLink(entry: AuditEntry, expectedSeq: number, prevHash: string): ChainBreak | undefined {
  if (entry.seq < expectedSeq) {
    if (entry.hash === prevHash) return { badSeq: expectedSeq, reason: `entry ${expectedSeq} is a copy of entry ${expectedSeq - 1} (inserted)` };
    // A forged entry linked in correctly before this one pushed it down a place: blame the forgery.
    return { badSeq: expectedSeq - 1, reason: `entry ${expectedSeq - 1} was inserted: the entry after it also claims seq ${entry.seq}` };
  }
  if (entry.seq !== expectedSeq) return { badSeq: expectedSeq, reason: `expected seq ${expectedSeq}, found ${entry.seq} (an entry is missing or moved)` };
  if (hashEntry(entry) !== entry.hash) return { badSeq: expectedSeq, reason: "hash does not match the entry's content (the entry was altered)" };
  if (entry.prevHash !== prevHash) {
    return { badSeq: expectedSeq - 1, reason: `entry ${expectedSeq - 1} was altered and re-hashed: entry ${expectedSeq} records another hash for it` };
  }
  return undefined;
}

/**
 * Checks a log, in seq order, against its own hash chain: seqs run 1, 2, 3…, each prevHash is the
 * previous hash, each hash seals its entry. Stops at the first bad entry. Pure over the entries it reads.
 */
export async function verifyChain(entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>): Promise<ChainReport> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for await (const entry of entries) {
    const broken = checkLink(entry, expectedSeq, prevHash);
    if (broken !== undefined) return { ok: false, entries: broken.badSeq - 1, headHash: prevHash, firstBadSeq: broken.badSeq, reason: broken.reason };
    prevHash = entry.hash;
    expectedSeq += 1;
  }
  return { ok: true, entries: expectedSeq - 1, headHash: prevHash };
}
