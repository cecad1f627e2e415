import { join, resolve } from 'node:path';
import { isPostgresUrl } from '@duban/engine';
import { UserError } from '../../user-error.ts';

/** Where a database's audit signing key and its checkpoint file live, outside the database. */
export interface AuditFiles {
  /** Directory of the signing key (mode 0700). */
  readonly keyDir: string;
  /** The Ed25519 private key, PKCS#8 PEM (mode 0600). */
  readonly keyFile: string;
  /** Append-only copy of every checkpoint this machine issued (see checkpoint-file.ts). */
  readonly checkpointFile: string;
}

export const KEY_FILE_NAME = 'audit-signing.pem';

/**
 * The audit files of a database: for a SQLite file `<db>.keys/audit-signing.pem` and
 * `<db>.checkpoints` beside it (`keyDir` moves the key only); for a `postgres://` URL both in
 * `keyDir`, which is then required; none for `:memory:` (its key lives in memory). Pure.
 */
export function auditFiles(location: string, keyDir?: string): AuditFiles | undefined {
  if (location === ':memory:') return undefined;
  if (isPostgresUrl(location)) {
    if (keyDir === undefined || keyDir === '') {
      throw new UserError('a PostgreSQL database keeps its audit signing key outside the database: give --key-dir DIR (or set DUBAN_KEY_DIR)');
    }
    const dir = resolve(keyDir);
    return { keyDir: dir, keyFile: join(dir, KEY_FILE_NAME), checkpointFile: join(dir, 'checkpoints.txt') };
  }
  const file = resolve(location);
  const dir = keyDir === undefined || keyDir === '' ? `${file}.keys` : resolve(keyDir);
  return { keyDir: dir, keyFile: join(dir, KEY_FILE_NAME), checkpointFile: `${file}.checkpoints` };
}

/** `auditFiles`, or undefined where they cannot be known (PostgreSQL without a key directory). Pure. */
export function knownAuditFiles(location: string, keyDir?: string): AuditFiles | undefined {
  try {
    return auditFiles(location, keyDir);
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}
