import type { KeyObject } from 'node:crypto';
import { createHash, createPublicKey, sign, verify } from 'node:crypto';

/** A statement that the log named `origin` had `size` entries with Merkle root `rootHash` at `time`. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  readonly time: string;
}

/** A checkpoint with its Ed25519 signature, as text a reviewer can keep: the body, a blank line, the signature line. */
export interface SignedCheckpoint extends Checkpoint {
  readonly text: string;
}

const SIGNATURE_PREFIX = '— ';

/**
 * The signed body, in the spirit of C2SP tlog-checkpoint: origin, size, base64 root, then extension
 * lines. Pure.
 */
export function checkpointBody(checkpoint: Checkpoint): string {
  return `${checkpoint.origin}\n${checkpoint.size}\n${Buffer.from(checkpoint.rootHash, 'hex').toString('base64')}\ntime ${checkpoint.time}\n`;
}

/** Signs a checkpoint with an Ed25519 private key. */
export function signCheckpoint(checkpoint: Checkpoint, privateKey: KeyObject): SignedCheckpoint {
  const body = checkpointBody(checkpoint);
  const signature = sign(null, Buffer.from(body, 'utf8'), privateKey).toString('base64');
  return { ...checkpoint, text: `${body}\n${SIGNATURE_PREFIX}${keyName(createPublicKey(privateKey))} ${signature}\n` };
}

export type CheckpointCheck = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string };

/** Parses a signed checkpoint's text and checks its signature against `publicKey`. Never throws. */
export function openCheckpoint(text: string, publicKey: KeyObject): CheckpointCheck {
  const separator = text.indexOf('\n\n');
  if (separator < 0) return { ok: false, reason: 'not a signed checkpoint: no blank line before the signature' };
  const body = text.slice(0, separator + 1);
  const signatureLine = text.slice(separator + 2).split('\n')[0] ?? '';
  const match = /^— (\S+) ([A-Za-z0-9+/=]+)$/.exec(signatureLine);
  if (match === null) return { ok: false, reason: 'not a signed checkpoint: malformed signature line' };
  const [, name, signature] = match;
  if (name !== keyName(publicKey)) return { ok: false, reason: `signed by key ${name}, not by ${keyName(publicKey)}` };
  if (!verify(null, Buffer.from(body, 'utf8'), publicKey, Buffer.from(signature!, 'base64'))) {
    return { ok: false, reason: 'signature does not match the checkpoint text (altered, or signed by another key)' };
  }
  const lines = body.split('\n');
  const [origin, size, root, time] = lines;
  if (lines.length !== 5 || !origin || !/^\d+$/.test(size ?? '') || !root || !time?.startsWith('time ')) {
    return { ok: false, reason: 'checkpoint body is malformed' };
  }
  return { ok: true, checkpoint: { origin, size: Number(size), rootHash: Buffer.from(root, 'base64').toString('hex'), time: time.slice(5) } };
}

/** The key name a signed checkpoint's signature line gives (unchecked), or undefined when it has none. Pure. */
export function signatureKeyName(text: string): string | undefined {
  const separator = text.indexOf('\n\n');
  const signatureLine = separator < 0 ? '' : (text.slice(separator + 2).split('\n')[0] ?? '');
  return /^— (\S+) /.exec(signatureLine)?.[1];
}

/** A short, stable name of a public key: the first 8 bytes of the SHA-256 of its DER form, hex. */
export function keyName(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}
