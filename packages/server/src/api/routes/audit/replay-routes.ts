import type { RouteModule } from '../../../app/app-deps.ts';
import { replayQuery } from '../../schemas.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { readers } from '../../../auth/readers.ts';
import { heavyRead } from '../../../http/heavy-reads.ts';

/**
 * `GET /replay?asOf=`: every task's state recomputed from the log, as it stood at `asOf` (or now,
 * compared with what is stored: `differences` lists every mismatch).
 */
export const replayRoutes: RouteModule = ({ engine, heavyReads }) => (router) => {
  router.get('/replay', requireRole(readers.audit, 'replay the audit log'), heavyRead(heavyReads), async (req, res) => {
    const query = validateInput(replayQuery, req.query, 'query');
    const report = await engine.replay(query.asOf === undefined ? undefined : new Date(query.asOf));
    res.json({
      items: report.instances.map((i) => ({ taskId: i.instanceId, state: i.state, version: i.version })),
      differences: report.differences.map((d) => ({ taskId: d.instanceId, ...(d.seq === undefined ? {} : { seq: d.seq }), reason: d.reason })),
    });
  });
};
