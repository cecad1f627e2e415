import { existsSync } from 'node:fs';
import type { Engine, SignedCheckpoint } from '@duban/engine';
import type { AuditSigner } from '../keys/audit-signer.ts';
import { appendCheckpoints, readCheckpointFile } from './checkpoint-file.ts';

/**
 * Signs a checkpoint of the whole log if it grew since the latest one, and appends it to the
 * checkpoint file outside the database (fsynced). Undefined when there was nothing new. Does IO.
 */
export async function recordCheckpoint(engine: Engine, signer: AuditSigner, at: Date): Promise<SignedCheckpoint | undefined> {
  const checkpoint = await engine.issueCheckpoint(signer, at);
  if (checkpoint !== undefined && signer.files !== undefined) await appendCheckpoints(signer.files.checkpointFile, [checkpoint.text]);
  return checkpoint;
}

const CHECKPOINT_PAGE = 1000;

/**
 * Appends to the checkpoint file every stored checkpoint after the largest it holds (one signed just
 * before a crash, or all of them when the file was lost). The file is appended to right after each
 * signing, so what it can lack is its tail: only the stored checkpoints after its largest are read, a
 * page at a time. Returns how many were appended. Does IO.
 */
export async function catchUpCheckpointFile(engine: Engine, file: string): Promise<number> {
  const held = existsSync(file) ? await readCheckpointFile(file) : [];
  const heldTexts = new Set(held);
  let after = Math.max(0, ...held.map(sizeOf));
  let appended = 0;
  for (;;) {
    const page = await engine.checkpointsAfter(after, CHECKPOINT_PAGE);
    const missing = page.map((c) => c.text).filter((text) => !heldTexts.has(text));
    await appendCheckpoints(file, missing);
    appended += missing.length;
    if (page.length < CHECKPOINT_PAGE) return appended;
    after = page[page.length - 1]!.size;
  }
}

/** The log size a checkpoint's text states (its second line), 0 when it states none. */
function sizeOf(text: string): number {
  const size = Number(text.split('\n')[1]);
  return Number.isSafeInteger(size) ? size : 0;
}
