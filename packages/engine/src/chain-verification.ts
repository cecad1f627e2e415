import type { AuditEntry } from './audit-entry.ts';
import { GENESIS_HASH, hashEntry } from './audit-entry.ts';

export interface ChainReport {
  readonly ok: boolean;
  readonly entries: number;
  readonly headHash: string;
  readonly firstBadSeq?: number;
  readonly reason?: string;
}

/**
 * Checks a log, in seq order, against its own hash chain: seqs run 1, 2, 3…, each prevHash is the
 * previous hash, each hash seals its entry. Stops at the first bad entry. Pure over the entries it reads.
 */
export async function verifyChain(entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>): Promise<ChainReport> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for await (const entry of entries) {
    const reason = checkEntry(entry, expectedSeq, prevHash);
    if (reason !== undefined) return { ok: false, entries: expectedSeq - 1, headHash: prevHash, firstBadSeq: expectedSeq, reason };
    prevHash = entry.hash;
    expectedSeq += 1;
  }
  return { ok: true, entries: expectedSeq - 1, headHash: prevHash };
}

function checkEntry(entry: AuditEntry, expectedSeq: number, prevHash: string): string | undefined {
  if (entry.seq !== expectedSeq) return `expected seq ${expectedSeq}, found ${entry.seq} (an entry is missing, inserted or moved)`;
  if (entry.prevHash !== prevHash) return `prevHash does not match the hash of entry ${expectedSeq - 1}`;
  if (hashEntry(entry) !== entry.hash) return 'hash does not match the entry\'s content (the entry was altered)';
  return undefined;
}
