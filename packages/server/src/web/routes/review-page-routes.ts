import { verifyInclusion } from '@duban/engine';
import { DAY_MS } from '@duban/reform-task';
import type { RouteModule } from '../../app/app-deps.ts';
import { heavyRead, pastAsOf } from '../../http/heavy-reads.ts';
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
import { checkTime, pageQuery, queryStatus, typedValue } from '../forms/query-fields.ts';
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
    res.type('html').send(auditPage(signedIn(res), await checkLog(engine, deps.auditKey, (file) => deps.files.check(file))).text);
  });

  router.get('/audit/proof', auditors, async (req, res) => {
    const { query, errors } = pageQuery(proofQuery, req.query);
    const viewer = signedIn(res);
    const logSize = await engine.auditSize();
    const typed = (name: 'seq' | 'size', value: number | undefined) => typedValue(req.query, name) ?? (value === undefined ? undefined : String(value));
    const [seqText, sizeText] = [typed('seq', query.seq), typed('size', query.size)];
    const values = { ...(seqText === undefined ? {} : { seq: seqText }), ...(sizeText === undefined ? {} : { size: sizeText }) };
    // The empty form first; then each number checked against the log, the error beside its field.
    if (query.seq === undefined && query.size === undefined && Object.keys(errors).length === 0) {
      res.type('html').send(proofPage({ viewer, logSize, values }).text);
      return;
    }
    const size = query.size ?? logSize;
    if (errors['size'] === undefined && (size < 1 || size > logSize)) errors['size'] = `日志规模须在 1 到 ${logSize} 之间`;
    // A number refused by its format keeps that message.
    if (query.seq === undefined) errors['seq'] ??= '请填写日志序号';
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
    // The one checkpoint of this size, if any (keyset by size: one row read, not every checkpoint).
    const checkpoint = (await engine.checkpointsAfter(proof.size - 1, 1)).find((c) => c.size === proof.size);
    res.type('html').send(proofPage({ viewer, logSize, values, proof: { proof, entry, verified, ...(checkpoint === undefined ? {} : { checkpoint }) } }).text);
  });

  router.get('/history', auditors, past, async (req, res) => {
    const { query, errors } = pageQuery(historyQuery, req.query);
    const viewer = signedIn(res);
    const now = clock.now();
    const today = shanghaiDate(now.getTime());
    const dayEnd = checkTime(errors, () => asOf(query.asOf ?? today, now), () => asOf(today, now));
    const asOfDay = errors['asOf'] === undefined ? (query.asOf ?? today) : today;
    const time = errors['asOf'] === undefined ? query.time : undefined;
    const instant = time === undefined ? dayEnd : checkTime(errors, () => asOfMoment(asOfDay, time, now), () => dayEnd);
    const shownTime = errors['time'] === undefined ? time : undefined;
    const tasks = filterTasks(await plans.tasks(instant), {}, actorOf(viewer.principal));
    res.status(queryStatus(errors)).type('html').send(historyPage({ viewer, asOfDay, time: shownTime, today, tasks, at: instant.at.getTime(), errors }).text);
  });

  router.get('/history/diff', auditors, always, async (req, res) => {
    const { query, errors } = pageQuery(diffQuery, req.query);
    const viewer = signedIn(res);
    const now = clock.now();
    const today = shanghaiDate(now.getTime());
    const to = query.to ?? today;
    // By default the week before `to`.
    const atTo = checkTime(errors, () => asOf(to, now, 'to'), () => undefined);
    const from = query.from ?? shanghaiDate((atTo?.at.getTime() ?? now.getTime()) - 7 * DAY_MS);
    const atFrom = checkTime(errors, () => asOf(from, now, 'from'), () => undefined);
    if (errors['from'] === undefined && errors['to'] === undefined && from > to) errors['from'] = '较早日期不能晚于较晚日期';
    // A refused pair of days: the form again, as typed, with the message beside the day it is about.
    const typed = { from: typedValue(req.query, 'from') ?? from, to: typedValue(req.query, 'to') ?? to };
    if (atTo === undefined || atFrom === undefined || Object.keys(errors).length > 0) {
      res.status(422).type('html').send(diffPage({ viewer, ...typed, today, errors }).text);
      return;
    }
    const both = planChanges(await plans.tasks({ at: atFrom.at, now: false }), await plans.tasks({ at: atTo.at, now: false }));
    const changes = both.filter((change) => change.grew);
    res.type('html').send(diffPage({ viewer, from, to, today, result: { changes, unchanged: both.length - changes.length } }).text);
  });
};
