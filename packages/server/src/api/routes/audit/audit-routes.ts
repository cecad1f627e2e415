import type { RouteModule } from '../../../app/app-deps.ts';
import { auditQuery, noQuery } from '../../schemas.ts';
import { toAuditEntryView } from '../../audit-entry-view.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { heavyRead } from '../../../http/heavy-reads.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { brokenFileLine, verifyFiles } from '../../../audit/verify-files.ts';

const DEFAULT_LIMIT = 100;


/**
 * `GET /audit` (the log page by page) and `GET /audit/verify` (its hash chain checked, every
 * stored checkpoint against it with the server's public key, and every evidence file the entries
 * recorded read back and hashed).
 */
export const auditRoutes: RouteModule = ({ engine, auditKey, heavyReads, files }) => (router) => {
  router.get('/audit', requireRole(readers.audit, 'read the audit log'), async (req, res) => {
    const query = validateInput(auditQuery, req.query, 'query');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const entries = await engine.readAudit(query.after ?? 0, limit);
    const last = entries[entries.length - 1];
    res.json({ items: entries.map(toAuditEntryView), next: entries.length === limit && last !== undefined ? last.seq : null });
  });

  router.get('/audit/verify', requireRole(readers.audit, 'verify the audit log'), heavyRead(heavyReads), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const report = await engine.verifyWithCheckpoints(auditKey.publicKey, [], auditKey.origin);
    const fileReport = await verifyFiles(engine.entries(), (file) => files.check(file));
    // The chain's first bad entry first; with the chain intact, the first entry whose file is broken.
    const firstBroken = fileReport.broken[0];
    const firstBadSeq = report.firstBadSeq ?? firstBroken?.seq;
    const reason = report.reason ?? (firstBroken === undefined ? undefined : brokenFileLine(firstBroken));
    res.json({
      ok: report.ok && fileReport.ok,
      entries: report.entries,
      ...(firstBadSeq === undefined ? {} : { firstBadSeq }),
      ...(reason === undefined ? {} : { reason }),
      checkpoints: report.checkpoints,
      files: { checked: fileReport.files, broken: fileReport.broken },
    });
  });
};
