import type { KeyObject } from 'node:crypto';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { keyName } from '@duban/engine';
import { UserError } from '../../user-error.ts';
import { syncDirectory } from '../sync-directory.ts';
import type { AuditFiles } from './audit-files.ts';

/** The key that signs a log's checkpoints, and where it is kept. */
export interface AuditSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** `ed25519:<16 hex>`, as checkpoint signature lines name it. */
  readonly keyName: string;
  /** The PEM file; undefined for an in-memory key. */
  readonly file: string | undefined;
}

/**
 * Reads the Ed25519 signing key from `files.keyFile`; with `create`, makes one first if there is
 * none (directory 0700, file 0600, fsynced). Without files (`:memory:`) the key lives in memory.
 * Returns undefined when there is no key and `create` is false. Does IO.
 */
export function loadSigningKey(files: AuditFiles | undefined, options: { create: boolean }): AuditSigningKey | undefined {
  if (files === undefined) {
    if (!options.create) return undefined;
    const { privateKey } = generateKeyPairSync('ed25519');
    return fromPrivateKey(privateKey, undefined);
  }
  if (!existsSync(files.keyFile)) {
    if (!options.create) return undefined;
    createKeyFile(files);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(files.keyFile));
  } catch (error) {
    throw new UserError(`cannot read the audit signing key ${files.keyFile}: ${(error as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new UserError(`${files.keyFile} holds a ${privateKey.asymmetricKeyType ?? 'symmetric'} key, not the Ed25519 key checkpoints are signed with`);
  }
  return fromPrivateKey(privateKey, files.keyFile);
}

/** The PEM (SPKI) text of a public key, for reviewers to keep. Pure. */
export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

function fromPrivateKey(privateKey: KeyObject, file: string | undefined): AuditSigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyName: keyName(publicKey), file };
}

function createKeyFile(files: AuditFiles): void {
  const created = mkdirSync(files.keyDir, { recursive: true, mode: 0o700 });
  // mkdir's mode is filtered by the umask; a directory we made is made private for certain.
  if (created !== undefined) chmodSync(files.keyDir, 0o700);
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  let fd: number;
  try {
    fd = openSync(files.keyFile, 'wx', 0o600);
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as { code?: string }).code === 'EEXIST') return;
    throw error;
  }
  try {
    writeSync(fd, pem);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDirectory(dirname(files.keyFile));
}
