import type { Response } from 'express';
import type { RouteModule } from '../../app/app-deps.ts';
import { circularQuery, reportQuery, unitsReportQuery } from '../schemas.ts';
import { HttpProblem } from '../../http/http-problem.ts';
import type { LedgerFormat } from '../../reports/ledger/ledger-download.ts';
import { ledgerDownload } from '../../reports/ledger/ledger-download.ts';
import { ReportInstantError, reportAsOf, reportPeriod } from '../../time/report-instant.ts';
import {
  assessUnits,
  circular,
  circularHtml,
  circularMarkdown,
  defaultAssessmentRules,
  periodEnd,
  planAt,
  reportInputAt,
  summarize,
} from '../../reports/index.ts';
import { requireRole } from '../../auth/require-role.ts';
import { sendPieces } from '../../http/send-pieces.ts';
import { validateInput } from '../../http/validate-input.ts';

/** Who may read plan-wide reports: they name every task and unit, so not a unit. */
export const REPORT_READERS = ['office', 'reviewer', 'admin'] as const;

/**
 * The office's reports as of `asOf` (default now): `GET /reports/summary`, `/reports/units` (the
 * assessment: scores by rule; `?unit=` one unit with every reason), `/reports/ledger.csv` and
 * `/reports/ledger.xlsx` (downloads named 台账-<date>), and `/reports/circular?from=&to=&format=`.
 * As of now, summary and units read the CurrentPlan read model and the ledger the stored tasks; as
 * of a past instant they, like the circular, rebuild the plan from ONE read of the log (`reportInputAt`).
 */
export const reportRoutes: RouteModule = ({ engine, clock, currentPlan, units }) => (router) => {
  if (currentPlan === undefined) throw new Error('reportRoutes: createApp provides the current plan');
  const readers = requireRole(REPORT_READERS, 'read plan-wide reports');

  const sendLedger = async (query: unknown, format: LedgerFormat, res: Response) => {
    const { asOf } = validateInput(reportQuery, query, 'query');
    const { headers, body } = await ledgerDownload(engine, currentPlan, checked(() => reportAsOf(asOf, clock.now())), asOf === undefined, format);
    await sendPieces(res, body, { ...headers, 'Cache-Control': 'private, no-store' });
  };

  const factsAt = (asOf: string | undefined) => planAt(engine, currentPlan, checked(() => reportAsOf(asOf, clock.now())), asOf === undefined);

  router.get('/reports/summary', readers, async (req, res) => {
    const { asOf } = validateInput(reportQuery, req.query, 'query');
    const plan = await factsAt(asOf);
    res.json(summarize(plan.tasks, plan.events, plan.asOf));
  });

  router.get('/reports/units', readers, async (req, res) => {
    const query = validateInput(unitsReportQuery, req.query, 'query');
    const plan = await factsAt(query.asOf);
    const unit = query.unit === undefined ? undefined : (units?.canonical(query.unit) ?? query.unit);
    const assessment = assessUnits(defaultAssessmentRules, plan.tasks, plan.events, plan.asOf, { reasonsFor: (name) => name === unit });
    res.json(unit === undefined ? assessment : { ...assessment, units: assessment.units.filter((scored) => scored.unit === unit) });
  });

  router.get('/reports/ledger.csv', readers, async (req, res) => sendLedger(req.query, 'csv', res));
  router.get('/reports/ledger.xlsx', readers, async (req, res) => sendLedger(req.query, 'xlsx', res));

  router.get('/reports/circular', readers, async (req, res) => {
    const query = validateInput(circularQuery, req.query, 'query');
    const period = checked(() => reportPeriod(query.from, query.to, clock.now()));
    const input = await reportInputAt(engine, periodEnd(period));
    const report = circular(period, input.tasks, input.events);
    if (query.format === 'html') res.type('text/html; charset=utf-8').send(circularHtml(report));
    else res.type('text/markdown; charset=utf-8').send(circularMarkdown(report));
  });
};

/** Runs a time check, turning its refusal into a 422 naming the query field. */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ReportInstantError)) throw error;
    throw new HttpProblem(422, 'invalid-request', '请求内容不符合要求', `the request's query is invalid: query.${error.field}: ${error.message}`, {
      errors: [{ path: `query.${error.field}`, message: error.message }],
    });
  }
}
