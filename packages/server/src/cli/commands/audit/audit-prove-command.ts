import { hashEntry, verifyInclusion } from '@duban/engine';
import { readCheckpointFile } from '../../../audit/checkpoints/checkpoint-file.ts';
import { pickCheckpoint } from '../../../audit/checkpoints/pick-checkpoint.ts';
import { hashedEntry, inclusionProofFile, readProofFile } from '../../../audit/proof-files.ts';
import { readPublicKey } from '../../../audit/keys/read-public-key.ts';
import { parseCommandArgs, required } from '../../cli-args.ts';
import type { CliIo } from '../../cli-io.ts';

/**
 * `audit prove --entry FILE.json --checkpoint FILE --pubkey FILE`: checks an inclusion proof, as
 * `GET /api/audit/entries/:seq/proof` returns it, against a signed checkpoint. Needs no database.
 * Exit 0 when the entry is in the signed log; 1 with the reason otherwise.
 */
export async function auditProveCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { entry: { type: 'string' }, checkpoint: { type: 'string' }, pubkey: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const proofFile = required(values.entry, '--entry');
  const checkpointFile = required(values.checkpoint, '--checkpoint');
  const publicKey = await readPublicKey(required(values.pubkey, '--pubkey'));
  const proof = await readProofFile(proofFile, inclusionProofFile, 'an inclusion proof');
  const invalid = (reason: string) => {
    io.out(`INVALID: ${reason}`);
    return 1;
  };
  const picked = pickCheckpoint(await readCheckpointFile(checkpointFile), proof.size, publicKey, checkpointFile);
  if (!picked.ok) return invalid(picked.reason);
  const { checkpoint } = picked;
  if (checkpoint.size !== proof.size) return invalid(`the proof is for a log of ${proof.size} entries, the checkpoint covers ${checkpoint.size}; ask for ?size=${checkpoint.size}`);
  const entry = hashedEntry(proof.entry);
  if (entry.seq !== proof.seq) return invalid(`the proof is for seq ${proof.seq} but its entry has seq ${entry.seq}`);
  if (hashEntry(entry) !== entry.hash) return invalid(`entry ${entry.seq}'s hash does not match its content (the entry was altered)`);
  if (entry.hash !== proof.leafHash) return invalid(`entry ${entry.seq}'s hash is not the proof's leafHash`);
  if (!verifyInclusion(proof.leafHash, proof.seq - 1, checkpoint.size, proof.proof, checkpoint.rootHash)) {
    return invalid(`entry ${proof.seq} is not in the log signed at size ${checkpoint.size} (${checkpoint.time}): the proof does not lead to the signed root`);
  }
  io.out(`VALID: entry ${entry.seq} (${entry.instanceId} ${entry.type} at ${entry.at}) is in log ${checkpoint.origin} as signed at size ${checkpoint.size} (${checkpoint.time})`);
  return 0;
}
