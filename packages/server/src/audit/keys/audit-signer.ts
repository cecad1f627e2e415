import type { KeyObject } from 'node:crypto';
import type { CheckpointSigner, Engine } from '@duban/engine';
import { CheckpointKeyMismatch } from '@duban/engine';
import { UserError } from '../../user-error.ts';
import type { AuditFiles } from './audit-files.ts';
import { auditFiles, KEY_FILE_NAME } from './audit-files.ts';
import type { AuditSigningKey } from './audit-signing-key.ts';
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
 * made on first use when `create` is set — and its log name. The key is claimed for the database
 * (recorded there if it is the first; see Engine.claimCheckpointKey): a key other than the recorded
 * one, or than the one that signed the latest checkpoint of a database from before keys were recorded,
 * is refused with a UserError, having written nothing, so that a second, lost or swapped key is noticed
 * at once rather than when a reviewer checks. Undefined when there is no key and `create` is false. Does IO.
 */
export async function openAuditSigner(engine: Engine, location: string, options: { keyDir?: string | undefined; create: true }): Promise<AuditSigner>;
export async function openAuditSigner(engine: Engine, location: string, options: { keyDir?: string | undefined; create: boolean }): Promise<AuditSigner | undefined>;
export async function openAuditSigner(engine: Engine, location: string, options: { keyDir?: string | undefined; create: boolean }): Promise<AuditSigner | undefined> {
  const files = auditFiles(location, options.keyDir);
  const key = loadSigningKey(files, { create: options.create });
  if (key === undefined) return undefined;
  try {
    await engine.claimCheckpointKey(key.publicKey);
  } catch (error) {
    if (error instanceof CheckpointKeyMismatch) throw keyRefused(error, key);
    throw error;
  }
  return { origin: await logOrigin(engine, location), privateKey: key.privateKey, publicKey: key.publicKey, keyName: key.keyName, files };
}

/** Why a server will not sign with `key`, and what the operator does about it. Pure. */
function keyRefused(mismatch: CheckpointKeyMismatch, key: AuditSigningKey): UserError {
  const where = key.file ?? '(in memory)';
  const latest = mismatch.latestCheckpoint;
  if (latest === undefined) {
    return new UserError(
      `审计签名密钥与本数据库登记的不同，拒绝启动 / the audit signing key ${where} (${mismatch.keyName}) is not this database's checkpoint key ${mismatch.logKeyName}, which the first server started on it recorded there: every server on one database signs with that one key. Copy ${KEY_FILE_NAME} from the key directory of a server that runs with ${mismatch.logKeyName} (the first one started on this database) over ${where}, and start again. Nothing was written to the database.`,
    );
  }
  return new UserError(
    `审计签名密钥不是本数据库最新检查点的签名密钥，拒绝启动 / the audit signing key ${where} (${mismatch.keyName}) is not the key that signed this database's checkpoints: its latest checkpoint (size ${latest.size}) names ${mismatch.logKeyName} (${latest.reason}). Restore the key directory that belongs to this database (copy ${KEY_FILE_NAME} from the server that signed with ${mismatch.logKeyName}) and start again; \`duban audit verify\` shows whether the log itself is intact. Nothing was written to the database.`,
  );
}
