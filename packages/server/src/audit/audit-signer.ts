import type { KeyObject } from 'node:crypto';
import type { CheckpointSigner, Engine } from '@duban/engine';
import { openCheckpoint } from '@duban/engine';
import { UserError } from '../user-error.ts';
import type { AuditFiles } from './audit-files.ts';
import { auditFiles } from './audit-files.ts';
import { loadSigningKey } from './audit-signing-key.ts';
import { logOrigin } from './log-origin.ts';

/** Who signs this database's checkpoints: the log's name and key, and where the key and checkpoint file are. */
export interface AuditSigner extends CheckpointSigner {
  readonly publicKey: KeyObject;
  readonly keyName: string;
  /** Undefined for `:memory:`. */
  readonly files: AuditFiles | undefined;
}

/**
 * The signer of the database at `location` (opened as `engine`): its key from the key directory —
 * made on first use when `create` is set — and its log name. Refuses a key other than the one that
 * signed the latest stored checkpoint, so that a lost or swapped key is noticed at once rather than
 * when a reviewer checks. Undefined when there is no key and `create` is false. Does IO.
 */
export async function openAuditSigner(engine: Engine, location: string, options: { keyDir?: string | undefined; create: true }): Promise<AuditSigner>;
export async function openAuditSigner(engine: Engine, location: string, options: { keyDir?: string | undefined; create: boolean }): Promise<AuditSigner | undefined>;
export async function openAuditSigner(engine: Engine, location: string, options: { keyDir?: string | undefined; create: boolean }): Promise<AuditSigner | undefined> {
  const files = auditFiles(location, options.keyDir);
  const key = loadSigningKey(files, { create: options.create });
  if (key === undefined) return undefined;
  const checkpoints = await engine.checkpoints();
  const latest = checkpoints[checkpoints.length - 1];
  if (latest !== undefined) {
    const opened = openCheckpoint(latest.text, key.publicKey);
    if (!opened.ok && opened.reason.startsWith('signed by key')) {
      throw new UserError(
        `the audit signing key ${key.file ?? '(in memory)'} (${key.keyName}) is not the key that signed this database's checkpoints: checkpoint of size ${latest.size} is ${opened.reason}. Restore the key directory that belongs to this database; \`duban audit verify\` shows whether the log itself is intact.`,
      );
    }
  }
  return { origin: await logOrigin(engine, location), privateKey: key.privateKey, publicKey: key.publicKey, keyName: key.keyName, files };
}
