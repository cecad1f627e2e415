import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { keyName } from '@duban/engine';
import { knownAuditFiles } from '../../../audit/keys/audit-files.ts';
import { loadSigningKey } from '../../../audit/keys/audit-signing-key.ts';
import { readCheckpointFile } from '../../../audit/checkpoints/checkpoint-file.ts';
import { logDirectoryEntries, MalformedLogLine } from '../../../audit/export/log-directory-entries.ts';
import { checkExportedFile } from '../../../audit/export/exported-files.ts';
import { readPublicKey } from '../../../audit/keys/read-public-key.ts';
import type { FilesReport } from '../../../audit/verify-files.ts';
import { brokenFileLine, verifyFiles } from '../../../audit/verify-files.ts';
import type { AuditLogReport, CheckpointSource } from '../../../audit/verify-audit-log.ts';
import { verifyAuditLog } from '../../../audit/verify-audit-log.ts';
import { openDuban } from '../../../app/open-duban.ts';
import { UserError } from '../../../user-error.ts';
import { parseCommandArgs } from '../../cli-args.ts';
import { databaseOption } from '../../database-option.ts';
import { progressOf } from '../../cli-io.ts';
import type { CliIo } from '../../cli-io.ts';
import { keyDirOption } from '../../key-dir-option.ts';
import { counted, Progress, untilInterrupted } from '../../../jobs/progress.ts';
import { UsageError } from '../../usage-error.ts';

/**
 * `audit verify --db FILE [--checkpoint FILE]… [--pubkey FILE] [--key-dir DIR]` and
 * `audit verify --log DIR [--checkpoint FILE]… [--pubkey FILE]`: the hash chain and every signed
 * checkpoint (the database's, the checkpoint file's or the export's, and the reviewer's own), then
 * every evidence file the entries recorded, read back and hashed (the database's, or the export's
 * files/<sha256>). Exit 0 intact; 1 naming the first bad seq, or the bad checkpoint, and why, and
 * each entry whose file is missing, replaced or truncated (seq, name, sha256).
 */
export async function auditVerifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { db: { type: 'string' }, log: { type: 'string' }, checkpoint: { type: 'string', multiple: true }, pubkey: { type: 'string' }, 'key-dir': { type: 'string' } },
    { min: 0, max: 0, names: '' },
  );
  if (values.db !== undefined && values.log !== undefined) throw new UsageError('audit verify needs either --db FILE or --log DIR');
  // Without either, DATABASE_URL stands for --db.
  const db = values.log === undefined ? databaseOption(values.db) : undefined;
  if (values.log !== undefined && values['key-dir'] !== undefined) throw new UsageError('--key-dir goes with --db, not with --log');
  const held: CheckpointSource[] = [];
  for (const file of values.checkpoint ?? []) {
    const texts = await readCheckpointFile(file);
    if (texts.length === 0) throw new UserError(`${file} holds no checkpoint`);
    held.push({ label: file, texts });
  }
  const pubkey = values.pubkey === undefined ? undefined : await readPublicKey(values.pubkey);
  return db !== undefined
    ? verifyDatabase(db, keyDirOption(values['key-dir']), held, pubkey, io)
    : verifyDirectory(values.log!, held, pubkey, io);
}

async function verifyDatabase(db: string, keyDir: string | undefined, held: CheckpointSource[], pubkey: KeyObject | undefined, io: CliIo): Promise<number> {
  const files = knownAuditFiles(db, keyDir);
  const duban = await openDuban(db, { create: false });
  try {
    let key = pubkey;
    if (key === undefined) {
      const own = loadSigningKey(files, { create: false });
      if (own !== undefined) {
        key = own.publicKey;
        io.err(`duban: checking with the server's own key ${own.file} (${own.keyName}); a reviewer gives --pubkey with the public key they kept, trusting nothing on this machine`);
      } else if (held.length > 0) {
        throw new UsageError('--checkpoint needs --pubkey FILE (the public key you kept from `duban audit pubkey`)');
      }
    }
    const stored = await duban.engine.checkpoints();
    const sources: CheckpointSource[] = [{ label: 'the database', texts: stored.map((c) => c.text) }];
    if (files !== undefined && existsSync(files.checkpointFile)) sources.push({ label: files.checkpointFile, texts: await readCheckpointFile(files.checkpointFile) });
    const report = await untilInterrupted(async (stopped) => {
      const progress = new Progress('audit verify', await duban.engine.auditSize(), progressOf(io));
      try {
        return await verifyAuditLog(counted(duban.engine.entries(), progress, stopped), [...sources, ...held], key, stored[0]?.origin);
      } finally {
        progress.finish();
      }
    });
    const recorded = await duban.engine.store.transact((tx) => tx.checkpointKey());
    const signedOnce = recorded === undefined ? (pubkey === undefined ? undefined : `you hold its public key (${keyName(pubkey)})`) : `its database records the signing key ${recorded.keyName}`;
    const evidence = await verifyFiles(duban.engine.entries(), (file) => duban.files.check(file));
    return printReport(withoutCheckpointsRefused(report, key, signedOnce), evidence, key, io);
  } finally {
    await duban.close();
  }
}

async function verifyDirectory(dir: string, held: CheckpointSource[], pubkey: KeyObject | undefined, io: CliIo): Promise<number> {
  const exportedKeyFile = join(dir, 'pubkey.pem');
  const exportedKey = existsSync(exportedKeyFile) ? await readPublicKey(exportedKeyFile) : undefined;
  let key = pubkey;
  if (key === undefined && exportedKey !== undefined) {
    key = exportedKey;
    io.err(
      `duban: WARNING: checking with ${exportedKeyFile} from the export itself (${keyName(exportedKey)}). That proves nothing unless it is the public key you kept from \`duban audit pubkey\`: compare them, or give --pubkey YOUR-COPY.`,
    );
  } else if (key !== undefined && exportedKey !== undefined && !key.equals(exportedKey)) {
    io.err(`duban: note: the export's pubkey.pem (${keyName(exportedKey)}) is not your key (${keyName(key)})`);
  }
  if (key === undefined && held.length > 0) throw new UsageError('--checkpoint needs --pubkey FILE (the export has no pubkey.pem)');
  const sources: CheckpointSource[] = [{ label: join(dir, 'checkpoints.txt'), texts: await readCheckpointFile(join(dir, 'checkpoints.txt')) }, ...held];
  const entriesFile = join(dir, 'entries.jsonl');
  if (!existsSync(entriesFile)) throw new UserError(`${dir} is not an audit export: it has no entries.jsonl`);
  let report: AuditLogReport;
  let evidence: FilesReport;
  try {
    report = withoutCheckpointsRefused(
      await verifyAuditLog(logDirectoryEntries(entriesFile), sources, key),
      key,
      pubkey !== undefined ? `you hold its public key (${keyName(pubkey)})` : exportedKey !== undefined ? `the export holds its public key (${keyName(exportedKey)})` : undefined,
    );
    evidence = await verifyFiles(logDirectoryEntries(entriesFile), (file) => checkExportedFile(dir, file));
  } catch (error) {
    if (!(error instanceof MalformedLogLine)) throw error;
    io.out(`audit log BROKEN at line ${error.line} of entries.jsonl: ${error.message}`);
    return 1;
  }
  return printReport(report, evidence, key, io);
}

/**
 * A log that was signed once — its database records a checkpoint key, or the reviewer holds the
 * public key — and now has entries but no signed checkpoint at all has lost its checkpoints: a
 * server signs one as soon as it starts. Without them a rewritten, re-hashed log would pass the
 * chain check, so it is not intact. `signedOnce` says how we know (undefined: we do not). Pure.
 */
function withoutCheckpointsRefused(report: AuditLogReport, key: KeyObject | undefined, signedOnce: string | undefined): AuditLogReport {
  if (!report.ok || signedOnce === undefined || report.entries === 0) return report;
  const present = key === undefined ? report.unchecked : report.checkpoints;
  if (present > 0) return report;
  return {
    ...report,
    ok: false,
    reason: `this log was signed (${signedOnce}) but no signed checkpoint remains in the database, the checkpoint file or the files given: checkpoints were deleted, so a rewritten and re-hashed log would not show; check it against a checkpoint you kept (--checkpoint FILE)`,
  };
}

function printReport(report: AuditLogReport, files: FilesReport, key: KeyObject | undefined, io: CliIo): number {
  const chainOk = printChain(report, key, io);
  if (files.ok) {
    if (files.files > 0) io.out(`files intact: ${files.files} evidence file(s) the entries recorded, read back and hashed`);
    return chainOk ? 0 : 1;
  }
  for (const file of files.broken) io.out(`file BROKEN at ${brokenFileLine(file)}`);
  return 1;
}

function printChain(report: AuditLogReport, key: KeyObject | undefined, io: CliIo): boolean {
  if (report.ok) {
    if (key !== undefined && report.checkpoints > 0) {
      io.out(`audit log intact: ${report.entries} entries, ${report.checkpoints} signed checkpoint(s) verified with key ${keyName(key)}`);
    } else {
      const why = report.unchecked > 0 ? `${report.unchecked} checkpoint(s) left unchecked without a public key (give --pubkey)` : 'no signed checkpoint covers it';
      io.out(`audit log intact: ${report.entries} entries, hash chain only — ${why}; a cut tail or a re-hashed log would not show`);
    }
    return true;
  }
  if (report.firstBadSeq !== undefined) io.out(`audit log BROKEN at seq ${report.firstBadSeq}: ${report.reason} (the ${report.entries} entries before it are intact)`);
  else io.out(`audit log BROKEN: ${report.reason}`);
  return false;
}
