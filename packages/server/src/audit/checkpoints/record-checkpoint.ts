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

/**
 * Appends to the checkpoint file every stored checkpoint it lacks (one signed just before a crash,
 * or all of them when the file was lost). Returns how many were appended. Does IO.
 */
export async function catchUpCheckpointFile(engine: Engine, file: string): Promise<number> {
  const held = new Set(existsSync(file) ? await readCheckpointFile(file) : []);
  const missing = (await engine.checkpoints()).map((c) => c.text).filter((text) => !held.has(text));
  await appendCheckpoints(file, missing);
  return missing.length;
}
