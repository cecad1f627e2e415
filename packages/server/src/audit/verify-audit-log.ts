import type { KeyObject } from 'node:crypto';
import type { AuditEntry } from '@duban/engine';
import { openCheckpoint, verifyChain, verifyLog } from '@duban/engine';

/** Checkpoint texts and where they came from (for messages: "the database", a file name). */
export interface CheckpointSource {
  readonly label: string;
  readonly texts: readonly string[];
}

export interface AuditLogReport {
  readonly ok: boolean;
  /** Entries found good before the first problem (all of them when ok). */
  readonly entries: number;
  /** Distinct signed checkpoints verified (or verified before the problem). */
  readonly checkpoints: number;
  /** The first entry that is wrong or missing; absent when a checkpoint itself is bad. */
  readonly firstBadSeq?: number;
  readonly reason?: string;
  /** Checkpoints present but not checked for want of a public key. */
  readonly unchecked: number;
}

/**
 * Verifies a log as a reviewer would: each checkpoint's signature and log name first (naming the
 * source and position of a bad one), then the hash chain entry by entry and every checkpoint's root
 * against it (engine `verifyLog`). Without a public key only the hash chain can be checked. Streams
 * the entries; never throws for a bad log (a malformed entry source may throw). Pure over what it reads.
 */
export async function verifyAuditLog(
  entries: AsyncIterable<AuditEntry>,
  sources: readonly CheckpointSource[],
  publicKey: KeyObject | undefined,
  origin?: string,
): Promise<AuditLogReport> {
  const unique = [...new Set(sources.flatMap((s) => s.texts))];
  if (publicKey === undefined) {
    const chain = await verifyChain(entries);
    return { ...withoutHead(chain), checkpoints: 0, unchecked: unique.length };
  }
  let expectedOrigin = origin;
  for (const source of sources) {
    for (const [i, text] of source.texts.entries()) {
      const opened = openCheckpoint(text, publicKey);
      const where = `checkpoint ${i + 1} in ${source.label}`;
      if (!opened.ok) return { ok: false, entries: 0, checkpoints: 0, reason: `${where}: ${opened.reason}`, unchecked: unique.length };
      expectedOrigin ??= opened.checkpoint.origin;
      if (opened.checkpoint.origin !== expectedOrigin) {
        return { ok: false, entries: 0, checkpoints: 0, reason: `${where} is for log ${opened.checkpoint.origin}, not ${expectedOrigin}`, unchecked: unique.length };
      }
    }
  }
  const report = await verifyLog(entries, unique, publicKey, expectedOrigin);
  return { ...report, unchecked: 0 };
}

function withoutHead<T extends { headHash: string }>(report: T): Omit<T, 'headHash'> {
  const { headHash: _head, ...rest } = report;
  return rest;
}
