import type { RouteModule } from '../../../app/app-deps.ts';
import { replayDiffQuery } from '../../schemas.ts';
import { replayDiff } from '../../../audit/replay-diff.ts';
import { invalidField } from '../../../http/problems.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { readers } from '../../../auth/readers.ts';
import { heavyRead } from '../../../http/heavy-reads.ts';

/** `GET /replay/diff?from=&to=`: the tasks whose state, light or deadline changed between two instants, replayed from the log. */
export const replayDiffRoutes: RouteModule = ({ plans, heavyReads }) => (router) => {
  router.get('/replay/diff', requireRole(readers.audit, 'replay the audit log'), heavyRead(heavyReads), async (req, res) => {
    const query = validateInput(replayDiffQuery, req.query, 'query');
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (from.getTime() > to.getTime()) throw invalidField('query.to', 'must not be before `from`');
    res.json({ items: await replayDiff(plans, from, to) });
  });
};
