import type { Engine, SignedCheckpoint } from '@duban/engine';
import { MerkleFrontier } from '@duban/engine';
import type { FileCheck } from '../files/file-store.ts';
import type { RecordedFile } from '../files/task-files.ts';
import type { AuditKey } from './keys/audit-key.ts';
import type { FilesReport } from './verify-files.ts';
import { verifyFiles } from './verify-files.ts';

/** One stored checkpoint and whether the log still matches it. */
export interface CheckpointRow {
  readonly checkpoint: SignedCheckpoint;
  /** The log's Merkle root over the checkpoint's size equals the signed root (false: altered, or the log is shorter). */
  readonly rootMatches: boolean;
}

/** What the reviewer's page reports about the log. */
export interface LogCheck {
  readonly size: number;
  /** The hash chain, entry by entry. */
  readonly chain: { readonly ok: boolean; readonly entries: number; readonly firstBadSeq?: number; readonly reason?: string };
  /** Signatures and roots of every stored checkpoint, checked with the server's public key. */
  readonly signed: { readonly ok: boolean; readonly checkpoints: number; readonly firstBadSeq?: number; readonly reason?: string; readonly keyOrigin: string };
  readonly checkpoints: readonly CheckpointRow[];
  /** The evidence files the entries recorded, read back and hashed. */
  readonly files: FilesReport;
}

/**
 * Checks the log as a reviewer would: the hash chain; every stored checkpoint's root against the
 * log's Merkle root at its size; and, with the server's audit public key, every signature
 * (`verifyWithCheckpoints`); every evidence file the entries recorded, through `checkFile`. Does IO
 * (reads the whole log and every file).
 */
export async function checkLog(engine: Engine, auditKey: AuditKey, checkFile: (file: RecordedFile) => Promise<FileCheck>): Promise<LogCheck> {
  const chain = await engine.verify();
  const checkpoints = await engine.checkpoints();
  const sizes = new Map<number, string>();
  const frontier = new MerkleFrontier();
  const wanted = new Set(checkpoints.map((c) => c.size));
  for await (const entry of engine.entries()) {
    frontier.append(entry.hash);
    if (wanted.has(frontier.size)) sizes.set(frontier.size, frontier.root());
  }
  const rows = checkpoints.map((checkpoint) => ({ checkpoint, rootMatches: sizes.get(checkpoint.size) === checkpoint.rootHash }));
  const signed = await engine.verifyWithCheckpoints(auditKey.publicKey, [], auditKey.origin);
  return {
    size: frontier.size,
    chain: { ok: chain.ok, entries: chain.entries, ...(chain.firstBadSeq === undefined ? {} : { firstBadSeq: chain.firstBadSeq }), ...(chain.reason === undefined ? {} : { reason: chain.reason }) },
    signed: {
      ok: signed.ok,
      checkpoints: signed.checkpoints,
      keyOrigin: auditKey.origin,
      ...(signed.firstBadSeq === undefined ? {} : { firstBadSeq: signed.firstBadSeq }),
      ...(signed.reason === undefined ? {} : { reason: signed.reason }),
    },
    checkpoints: rows,
    files: await verifyFiles(engine.entries(), checkFile),
  };
}
