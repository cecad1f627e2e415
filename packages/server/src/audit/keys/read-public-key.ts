import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UserError } from '../../user-error.ts';

/** The Ed25519 public key in a PEM file (text before the PEM block is ignored). Does IO. */
export async function readPublicKey(file: string): Promise<KeyObject> {
  const text = await readFile(file, 'utf8');
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch (error) {
    throw new UserError(`${file} is not a PEM public key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new UserError(`${file} holds a ${key.asymmetricKeyType ?? 'unknown'} key, not the Ed25519 key checkpoints are signed with`);
  return key;
}
