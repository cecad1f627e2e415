import { verifyConsistency } from '@duban/engine';
import { readCheckpointFile } from '../../../audit/checkpoints/checkpoint-file.ts';
import { pickCheckpoint } from '../../../audit/checkpoints/pick-checkpoint.ts';
import { consistencyProofFile, readProofFile } from '../../../audit/proof-files.ts';
import { readPublicKey } from '../../../audit/keys/read-public-key.ts';
import { parseCommandArgs, required } from '../../cli-args.ts';
import type { CliIo } from '../../cli-io.ts';

/**
 * `audit consistency --proof FILE.json --old CHECKPOINT --new CHECKPOINT --pubkey FILE`: checks a
 * consistency proof, as `GET /api/audit/consistency` returns it, between two signed checkpoints —
 * that the newer log only added entries to the older one. Needs no database. Exit 0 valid, 1 invalid.
 */
export async function auditConsistencyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { proof: { type: 'string' }, old: { type: 'string' }, new: { type: 'string' }, pubkey: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const proofFile = required(values.proof, '--proof');
  const oldFile = required(values.old, '--old');
  const newFile = required(values.new, '--new');
  const publicKey = await readPublicKey(required(values.pubkey, '--pubkey'));
  const proof = await readProofFile(proofFile, consistencyProofFile, 'a consistency proof');
  const invalid = (reason: string) => {
    io.out(`INVALID: ${reason}`);
    return 1;
  };
  const older = pickCheckpoint(await readCheckpointFile(oldFile), proof.from, publicKey, oldFile);
  if (!older.ok) return invalid(older.reason);
  const newer = pickCheckpoint(await readCheckpointFile(newFile), proof.to, publicKey, newFile);
  if (!newer.ok) return invalid(newer.reason);
  const [a, b] = [older.checkpoint, newer.checkpoint];
  if (a.origin !== b.origin) return invalid(`the checkpoints are of two logs: ${a.origin} and ${b.origin}`);
  if (a.size !== proof.from || b.size !== proof.to) return invalid(`the proof is from size ${proof.from} to ${proof.to}, the checkpoints are of sizes ${a.size} and ${b.size}`);
  if (!verifyConsistency(a.size, b.size, a.rootHash, b.rootHash, proof.proof)) {
    return invalid(`the log signed at size ${b.size} (${b.time}) does not extend the one signed at size ${a.size} (${a.time}): entries were changed, not only added`);
  }
  io.out(`VALID: log ${a.origin} signed at size ${b.size} (${b.time}) extends the one signed at size ${a.size} (${a.time}) by appending only`);
  return 0;
}
