import type { RouteModule } from '../../../app/app-deps.ts';
import { checkpointListQuery, consistencyQuery, inclusionProofParams, inclusionProofQuery } from '../../schemas.ts';
import { toAuditEntryView } from '../../audit-entry-view.ts';
import { invalidField } from '../../../http/problems.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { readers } from '../../../auth/readers.ts';

const DEFAULT_LIMIT = 100;

/**
 * The signed checkpoints and the Merkle proofs a reviewer checks against them:
 * `GET /audit/checkpoints?after=&limit=`, `GET /audit/entries/:seq/proof?size=`, `GET /audit/consistency?from=&to=`.
 */
export const proofRoutes: RouteModule = ({ engine }) => (router) => {
  router.get('/audit/checkpoints', requireRole(readers.audit, 'read the signed checkpoints'), async (req, res) => {
    const query = validateInput(checkpointListQuery, req.query, 'query');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = query.after ?? 0;
    // Keyed by size, which grows with every checkpoint: the database reads one page.
    const page = await engine.checkpointsAfter(after, limit);
    const last = page[page.length - 1];
    const items = page.map((c) => ({ size: c.size, rootHash: c.rootHash, time: c.time, text: c.text }));
    res.json({ items, next: page.length === limit && last !== undefined ? last.size : null });
  });

  router.get('/audit/entries/:seq/proof', requireRole(readers.audit, 'read inclusion proofs'), async (req, res) => {
    const { seq } = validateInput(inclusionProofParams, req.params, 'path');
    const query = validateInput(inclusionProofQuery, req.query, 'query');
    const total = await engine.auditSize();
    if (seq > total) throw invalidField('path.seq', total === 0 ? 'the audit log is empty' : `must be a seq from 1 to ${total}`);
    let size = query.size;
    if (size === undefined) {
      // By default, against the latest signed checkpoint that holds the entry: a proof a reviewer can check.
      const latest = await engine.latestCheckpoint();
      size = latest !== undefined && latest.size >= seq ? latest.size : total;
    } else if (size < seq || size > total) {
      throw invalidField('query.size', `must be a log size from ${seq} (the entry's seq) to ${total}`);
    }
    const proof = await engine.inclusionProof(seq, size);
    const [entry] = await engine.readAudit(seq - 1, 1);
    if (entry === undefined || entry.seq !== seq) throw new Error(`audit entry ${seq} is missing from the log`);
    res.json({ ...proof, entry: toAuditEntryView(entry) });
  });

  router.get('/audit/consistency', requireRole(readers.audit, 'read consistency proofs'), async (req, res) => {
    const query = validateInput(consistencyQuery, req.query, 'query');
    const total = await engine.auditSize();
    const to = query.to ?? total;
    if (to > total) throw invalidField('query.to', total === 0 ? 'the audit log is empty' : `must be a log size from 1 to ${total}`);
    if (query.from > to) throw invalidField('query.from', `must be a log size from 1 to ${to} (not after \`to\`)`);
    res.json(await engine.consistencyProof(query.from, to));
  });
};
