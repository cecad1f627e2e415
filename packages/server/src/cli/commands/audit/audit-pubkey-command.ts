import { auditFiles } from '../../../audit/keys/audit-files.ts';
import { loadSigningKey, publicKeyPem } from '../../../audit/keys/audit-signing-key.ts';
import { logOrigin } from '../../../audit/keys/log-origin.ts';
import { openDuban } from '../../../app/open-duban.ts';
import { UserError } from '../../../user-error.ts';
import { parseCommandArgs } from '../../cli-args.ts';
import { databaseOption } from '../../database-option.ts';
import type { CliIo } from '../../cli-io.ts';
import { keyDirOption } from '../../key-dir-option.ts';

/**
 * `audit pubkey --db FILE [--key-dir DIR]`: the PEM public key that verifies this database's
 * checkpoints on stdout (for reviewers to keep), its key name and the log's name on stderr.
 */
export async function auditPubkeyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { db: { type: 'string' }, 'key-dir': { type: 'string' } }, { min: 0, max: 0, names: '' });
  const db = databaseOption(values.db);
  const files = auditFiles(db, keyDirOption(values['key-dir']));
  const duban = await openDuban(db, { create: false });
  try {
    const key = loadSigningKey(files, { create: false });
    if (key === undefined) throw new UserError(`no audit signing key at ${files?.keyFile ?? '(memory)'}: the server makes it when it first starts (duban serve --db ${db})`);
    io.out(publicKeyPem(key.publicKey).trimEnd());
    io.err(`duban: key ${key.keyName} of log ${await logOrigin(duban.engine, db)}; keep this public key apart from the server: reviewers verify checkpoints with it`);
    return 0;
  } finally {
    await duban.close();
  }
}
