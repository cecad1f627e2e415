import { existsSync } from 'node:fs';
import { knownAuditFiles } from '../../../audit/keys/audit-files.ts';
import type { AuditSigner } from '../../../audit/keys/audit-signer.ts';
import { loadSigningKey } from '../../../audit/keys/audit-signing-key.ts';
import { readCheckpointFile } from '../../../audit/checkpoints/checkpoint-file.ts';
import { exportAuditLog } from '../../../audit/export/export-audit-log.ts';
import { checkExportedFile } from '../../../audit/export/exported-files.ts';
import { brokenFileLine, verifyFiles } from '../../../audit/verify-files.ts';
import { logOrigin } from '../../../audit/keys/log-origin.ts';
import { recordCheckpoint } from '../../../audit/checkpoints/record-checkpoint.ts';
import { verifyAuditLog } from '../../../audit/verify-audit-log.ts';
import { systemClock } from '../../../time/clock.ts';
import { openDuban } from '../../../app/open-duban.ts';
import { parseCommandArgs, required } from '../../cli-args.ts';
import { databaseOption } from '../../database-option.ts';
import { progressOf } from '../../cli-io.ts';
import type { CliIo } from '../../cli-io.ts';
import { keyDirOption } from '../../key-dir-option.ts';
import { counted, Progress, untilInterrupted } from '../../../jobs/progress.ts';

/**
 * `audit export --db FILE --out DIR [--key-dir DIR]`: entries.jsonl, files/<sha256> (every evidence
 * file the entries recorded), checkpoints.txt, pubkey.pem and README.txt for a reviewer; exit 1 naming
 * each entry whose file is missing or altered. When the log verifies and has grown, first signs a checkpoint of all of
 * it, so the export's tail is covered too; when it does not verify, exports it as it is (evidence),
 * signs nothing and exits 1.
 */
export async function auditExportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { db: { type: 'string' }, out: { type: 'string' }, 'key-dir': { type: 'string' } }, { min: 0, max: 0, names: '' });
  const db = databaseOption(values.db);
  const out = required(values.out, '--out');
  const files = knownAuditFiles(db, keyDirOption(values['key-dir']));
  const duban = await openDuban(db, { create: false });
  try {
    const { engine } = duban;
    const key = loadSigningKey(files, { create: false });
    const origin = await logOrigin(engine, db);
    const fileTexts = files !== undefined && existsSync(files.checkpointFile) ? await readCheckpointFile(files.checkpointFile) : [];
    let problem: string | undefined;
    if (key === undefined) {
      io.err('duban: this database has no audit signing key yet (the server makes one when it first starts): the export holds no checkpoint and no pubkey.pem, so only its hash chain can be checked');
    } else {
      const stored = (await engine.checkpoints()).map((c) => c.text);
      const report = await untilInterrupted(async (stopped) => {
        const progress = new Progress('audit export: verifying', await engine.auditSize(), progressOf(io));
        try {
          return await verifyAuditLog(counted(engine.entries(), progress, stopped), [{ label: 'the database', texts: stored }, { label: files?.checkpointFile ?? 'the checkpoint file', texts: fileTexts }], key.publicKey, origin);
        } finally {
          progress.finish();
        }
      });
      if (report.ok) {
        const signer: AuditSigner = { origin, privateKey: key.privateKey, publicKey: key.publicKey, keyName: key.keyName, files };
        const signed = await recordCheckpoint(engine, signer, systemClock.now());
        if (signed !== undefined) io.err(`duban: signed a checkpoint of the whole log (size ${signed.size}) for the export`);
      } else {
        problem = report.firstBadSeq === undefined ? report.reason : `seq ${report.firstBadSeq}: ${report.reason}`;
        io.err(`duban: WARNING: the log does not verify (${problem}); exporting it as it is, without signing a new checkpoint`);
      }
    }
    const checkpoints = [...new Set([...(await engine.checkpoints()).map((c) => c.text), ...fileTexts])];
    const total = await engine.auditSize();
    const count = await untilInterrupted(async (stopped) => {
      const progress = new Progress('audit export', total, progressOf(io));
      try {
        return await exportAuditLog(out, counted(engine.entries(), progress, stopped), { origin, checkpoints, publicKey: key?.publicKey, exportedAt: systemClock.now().toISOString(), files: duban.files });
      } finally {
        progress.finish();
      }
    });
    io.out(`exported ${count.entries} entries and ${checkpoints.length} signed checkpoint(s) of log ${origin} to ${out}${key === undefined ? '' : ` (key ${key.keyName})`}, with ${count.files} evidence file(s)`);
    // The files as the export holds them: what a reviewer will find.
    const evidence = await verifyFiles(engine.entries(), (file) => checkExportedFile(out, file));
    if (problem !== undefined) io.out(`the exported log is BROKEN at ${problem}`);
    for (const file of evidence.broken) io.out(`the exported file is BROKEN at ${brokenFileLine(file)}`);
    return problem === undefined && evidence.ok ? 0 : 1;
  } finally {
    await duban.close();
  }
}
