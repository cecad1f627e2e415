import { createHash } from 'node:crypto';
import type { Response, Router } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { HttpProblem } from '../../http/http-problem.ts';
import { ReportInstantError, reportPeriod } from '../../time/report-instant.ts';
import type { Period } from '../../reports/index.ts';
import {
  assessUnits,
  circular,
  circularHtml,
  defaultAssessmentRules,
  periodEnd,
  planAt,
  reportInputAt,
  reportTasks,
} from '../../reports/index.ts';
import type { LedgerFormat } from '../../reports/ledger/ledger-download.ts';
import { ledgerDownload } from '../../reports/ledger/ledger-download.ts';
import { sendPieces } from '../../http/send-pieces.ts';
import { validateInput } from '../../http/validate-input.ts';
import { shanghaiDay } from '../view/format.ts';
import { PLAN_READERS, QUEUE_READERS } from '../../auth/page-readers.ts';
import { assessmentPage } from '../pages/assessment-page.ts';
import { circularPage } from '../pages/circular-page.ts';
import { ledgerPage } from '../pages/ledger-page.ts';
import { queuePage } from '../pages/queue-page.ts';
import { allInstances, asOfInstant } from '../../tasks/plan-tasks.ts';
import { asOfQuery, emptyQuery, periodQuery } from '../web-queries.ts';
import { requireViewer, signedIn } from '../session/web-viewer.ts';

/** A period `reportPeriod` refused, as a 422 naming the query field, in Chinese. */
function periodProblem(error: ReportInstantError): HttpProblem {
  const message = error.field === 'to' ? '截止日期须为有效日期，且不能晚于今天' : error.field === 'from' ? '起始日期须为有效日期，且不能晚于截止日期' : error.message;
  return new HttpProblem(422, 'invalid-request', '通报期间不符合要求', `query.${error.field}: ${error.message}`, { errors: [{ path: `query.${error.field}`, message }] });
}

/** The period a circular page is for: as asked, by default from the 1st of this month to today. */
function chosenPeriod(query: { from?: string | undefined; to?: string | undefined }, now: Date): { from: string; to: string; today: string; period: Period } {
  const today = shanghaiDay(now.getTime());
  const from = query.from ?? `${today.slice(0, 8)}01`;
  const to = query.to ?? today;
  try {
    return { from, to, today, period: reportPeriod(from, to, now) };
  } catch (error) {
    if (error instanceof ReportInstantError) throw periodProblem(error);
    throw error;
  }
}

/** The CSP of the printable circular: nothing but its own inline stylesheet, allowed by its hash. Pure. */
function circularCsp(document: string): string {
  const style = /<style>([\s\S]*?)<\/style>/.exec(document)?.[1] ?? '';
  const hash = createHash('sha256').update(style, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/**
 * The office's pages: `GET /queue` (reported tasks, oldest report first), `/assessment?asOf=`
 * (assessUnits with every reason), `/circular?from=&to=` and `/circular/view` (the printable
 * circularHtml), `/ledger?asOf=` with `/ledger.csv` and `/ledger.xlsx`.
 */
export const officePageRoutes = (deps: AppDeps) => (router: Router) => {
  const { engine, clock } = deps;

  router.get('/queue', requireViewer(QUEUE_READERS), async (req, res) => {
    validateInput(emptyQuery, req.query, 'query');
    const reported = reportTasks(await allInstances(engine, { allTags: ['state:reported'] })).sort(
      (a, b) => (a.task.reportedAt ?? 0) - (b.task.reportedAt ?? 0) || a.task.number - b.task.number,
    );
    res.type('html').send(queuePage(signedIn(res), reported).text);
  });

  router.get('/assessment', requireViewer(PLAN_READERS), async (req, res) => {
    const query = validateInput(asOfQuery, req.query, 'query');
    const now = clock.now();
    const today = shanghaiDay(now.getTime());
    const at = query.asOf === undefined ? now : asOfInstant(query.asOf, now);
    const { tasks, events } = await planAt(engine, deps.currentPlan, at, query.asOf === undefined);
    const assessment = assessUnits(defaultAssessmentRules, tasks, events, at);
    const taskIds = new Map(tasks.map((t) => [t.task.number, t.id]));
    res.type('html').send(assessmentPage({ viewer: signedIn(res), assessment, asOfDay: query.asOf ?? today, today, taskIds }).text);
  });

  const circularOf = async (period: Period) => {
    const input = await reportInputAt(engine, periodEnd(period));
    return circular(period, input.tasks, input.events);
  };

  router.get('/circular', requireViewer(PLAN_READERS), async (req, res) => {
    const query = validateInput(periodQuery, req.query, 'query');
    const chosen = chosenPeriod(query, clock.now());
    const asked = query.from !== undefined || query.to !== undefined;
    const report = asked ? await circularOf(chosen.period) : undefined;
    res.type('html').send(circularPage({ viewer: signedIn(res), from: chosen.from, to: chosen.to, today: chosen.today, ...(report === undefined ? {} : { circular: report }) }).text);
  });

  router.get('/circular/view', requireViewer(PLAN_READERS), async (req, res) => {
    const query = validateInput(periodQuery, req.query, 'query');
    const document = circularHtml(await circularOf(chosenPeriod(query, clock.now()).period));
    res.setHeader('Content-Security-Policy', circularCsp(document));
    res.type('html').send(document);
  });

  router.get('/ledger', requireViewer(PLAN_READERS), (req, res) => {
    const query = validateInput(asOfQuery, req.query, 'query');
    const now = clock.now();
    // A day to come is refused here already, not only by the download.
    if (query.asOf !== undefined) asOfInstant(query.asOf, now);
    const today = shanghaiDay(now.getTime());
    res.type('html').send(ledgerPage({ viewer: signedIn(res), asOfDay: query.asOf ?? today, today }).text);
  });

  const sendLedger = async (query: unknown, format: LedgerFormat, res: Response) => {
    const { asOf } = validateInput(asOfQuery, query, 'query');
    const now = clock.now();
    const { headers, body } = await ledgerDownload(engine, deps.currentPlan, asOf === undefined ? now : asOfInstant(asOf, now), asOf === undefined, format);
    await sendPieces(res, body, headers);
  };

  router.get('/ledger.csv', requireViewer(PLAN_READERS), async (req, res) => sendLedger(req.query, 'csv', res));
  router.get('/ledger.xlsx', requireViewer(PLAN_READERS), async (req, res) => sendLedger(req.query, 'xlsx', res));
};
