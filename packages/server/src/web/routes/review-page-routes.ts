import { verifyInclusion } from '@duban/engine';
import { DAY_MS } from '@duban/reform-task';
import type { RouteModule } from '../../app/app-deps.ts';
import { heavyRead, pastAsOf } from '../../http/heavy-reads.ts';
import { problem } from '../../http/problems.ts';
import { actorOf } from '../../auth/principal.ts';
import { validateInput } from '../../http/validate-input.ts';
import { shanghaiDate } from '../../time/calendar.ts';
import { checkLog } from '../../audit/check-log.ts';
import { readers } from '../../auth/readers.ts';
import { auditPage } from '../pages/audit-page.ts';
import { diffPage } from '../pages/diff-page.ts';
import { historyPage } from '../pages/history-page.ts';
import { proofPage } from '../pages/proof-page.ts';
import { planChanges } from '../../reports/plan-changes.ts';
import { filterTasks } from '../../tasks/task-filter.ts';
import { asOf, asOfMoment } from '../../time/as-of.ts';
import { pageTime } from '../page-time.ts';
import { diffQuery, emptyQuery, historyQuery, proofQuery } from '../web-queries.ts';
import { requireViewer, signedIn } from '../session/web-viewer.ts';

/**
 * The reviewer's pages: `GET /audit` (hash chain and checkpoints verified, the checkpoints),
 * `/audit/proof?seq=&size=` (an entry's inclusion proof, checked), `/history?asOf=&time=` (the plan
 * as replayed at the end of a day, or at a moment of it) and `/history/diff?from=&to=` (what changed between two days).
 */
export const reviewPageRoutes: RouteModule = (deps) => (router) => {
  const { engine, plans, clock } = deps;
  const auditors = requireViewer(readers.audit);
  // The log verified, or the plan replayed to a past day or moment: one turn of the heavy reads each.
  const always = heavyRead(deps.heavyReads);
  const past = heavyRead(deps.heavyReads, (req) => req.query['time'] !== undefined || pastAsOf(clock)(req));

  router.get('/audit', auditors, always, async (req, res) => {
    validateInput(emptyQuery, req.query, 'query');
    res.type('html').send(auditPage(signedIn(res), await checkLog(engine, deps.auditKey)).text);
  });

  router.get('/audit/proof', auditors, async (req, res) => {
    const query = validateInput(proofQuery, req.query, 'query');
    const viewer = signedIn(res);
    const logSize = await engine.auditSize();
    const values = { ...(query.seq === undefined ? {} : { seq: String(query.seq) }), ...(query.size === undefined ? {} : { size: String(query.size) }) };
    // The empty form first; then each number checked against the log, the error beside its field.
    if (query.seq === undefined && query.size === undefined) {
      res.type('html').send(proofPage({ viewer, logSize, values }).text);
      return;
    }
    const size = query.size ?? logSize;
    const errors: Record<string, string> = {};
    if (size < 1 || size > logSize) errors['size'] = `日志规模须在 1 到 ${logSize} 之间`;
    if (query.seq === undefined) errors['seq'] = '请填写日志序号';
    else if (query.seq < 1 || query.seq > Math.min(size, logSize)) errors['seq'] = `日志序号须在 1 到 ${Math.min(size, logSize)} 之间`;
    if (query.seq === undefined || Object.keys(errors).length > 0) {
      res.status(422).type('html').send(proofPage({ viewer, logSize, values, errors }).text);
      return;
    }
    const proof = await engine.inclusionProof(query.seq, size);
    const [entry] = await engine.readAudit(query.seq - 1, 1);
    if (entry === undefined) throw new Error(`audit entry ${query.seq} vanished while proving it`);
    // Checked here as a reviewer's own tool would: the entry's hash is the leaf, and the path leads to the root.
    const verified = entry.hash === proof.leafHash && verifyInclusion(proof.leafHash, proof.seq - 1, proof.size, proof.proof, proof.rootHash);
    const checkpoint = (await engine.checkpoints()).find((c) => c.size === proof.size);
    res.type('html').send(proofPage({ viewer, logSize, values, proof: { proof, entry, verified, ...(checkpoint === undefined ? {} : { checkpoint }) } }).text);
  });

  router.get('/history', auditors, past, async (req, res) => {
    const query = validateInput(historyQuery, req.query, 'query');
    const viewer = signedIn(res);
    const now = clock.now();
    const today = shanghaiDate(now.getTime());
    const asOfDay = query.asOf ?? today;
    const dayEnd = pageTime(() => asOf(asOfDay, now));
    const instant = query.time === undefined ? dayEnd : pageTime(() => asOfMoment(asOfDay, query.time!, now));
    const tasks = filterTasks(await plans.tasks(instant), {}, actorOf(viewer.principal));
    res.type('html').send(historyPage({ viewer, asOfDay, time: query.time, today, tasks, at: instant.at.getTime() }).text);
  });

  router.get('/history/diff', auditors, always, async (req, res) => {
    const query = validateInput(diffQuery, req.query, 'query');
    const now = clock.now();
    const today = shanghaiDate(now.getTime());
    const to = query.to ?? today;
    // By default the week before `to`.
    const atTo = pageTime(() => asOf(to, now, 'to'));
    const from = query.from ?? shanghaiDate(atTo.at.getTime() - 7 * DAY_MS);
    const atFrom = pageTime(() => asOf(from, now, 'from'));
    if (from > to) {
      throw problem('invalidDateRange', `query.from ${from} is after query.to ${to}`, { extensions: { errors: [{ path: 'query.from', message: '较早日期不能晚于较晚日期' }] } });
    }
    const both = planChanges(await plans.tasks({ at: atFrom.at, now: false }), await plans.tasks({ at: atTo.at, now: false }));
    const changes = both.filter((change) => change.grew);
    res.type('html').send(diffPage({ viewer: signedIn(res), from, to, today, changes, unchanged: both.length - changes.length }).text);
  });
};
