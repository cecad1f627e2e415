import type { RouteModule } from '../app-deps.ts';
import { circularQuery, reportQuery, unitsReportQuery } from '../api-schemas.ts';
import { attachmentDisposition } from '../content-disposition.ts';
import { HttpProblem } from '../http-problem.ts';
import { ReportInstantError, reportAsOf, reportPeriod } from '../report-instant.ts';
import {
  assessUnits,
  circular,
  circularHtml,
  circularMarkdown,
  defaultAssessmentRules,
  ledgerCsv,
  ledgerCsvPieces,
  ledgerRowPieces,
  ledgerRows,
  ledgerXlsx,
  periodEnd,
  planAt,
  planTasks,
  reportInputAt,
  shanghaiDate,
  storedTasksInPieces,
  summarize,
} from '../reports/index.ts';
import { requireRole } from '../require-role.ts';
import { sendPieces } from '../send-pieces.ts';
import { validateInput } from '../validate-input.ts';

/** Who may read plan-wide reports: they name every task and unit, so not a unit. */
export const REPORT_READERS = ['office', 'reviewer', 'admin'] as const;

/** The title over the .xlsx ledger. */
export const LEDGER_TITLE = '“放管服”改革任务督办台账';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

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

  /** The ledger's rows and instant: as stored now, or replayed to `asOf`. */
  const ledgerAt = async (query: unknown) => {
    const { asOf } = validateInput(reportQuery, query, 'query');
    const at = checked(() => reportAsOf(asOf, clock.now()));
    const tasks = asOf === undefined ? await planTasks(engine) : (await reportInputAt(engine, at)).tasks;
    return { rows: ledgerRows(tasks, at), asOf: at.getTime() };
  };

  router.get('/reports/ledger.csv', readers, async (req, res) => {
    const { asOf } = validateInput(reportQuery, req.query, 'query');
    const at = checked(() => reportAsOf(asOf, clock.now()));
    const date = shanghaiDate(at.getTime());
    const headers = {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachmentDisposition(`台账-${date}.csv`, `ledger-${date}.csv`),
      'Cache-Control': 'private, no-store',
    };
    // As of now, written as the stored tasks are read, a few hundred at a time; as of a past instant, from one replay.
    if (asOf === undefined) await sendPieces(res, ledgerCsvPieces(ledgerRowPieces(storedTasksInPieces(engine, currentPlan, at), at)), headers);
    else res.set(headers).send(ledgerCsv(ledgerRows((await reportInputAt(engine, at)).tasks, at)));
  });

  router.get('/reports/ledger.xlsx', readers, async (req, res) => {
    const ledger = await ledgerAt(req.query);
    const date = shanghaiDate(ledger.asOf);
    const file = await ledgerXlsx(ledger.rows, { title: LEDGER_TITLE, asOf: ledger.asOf });
    res.setHeader('Content-Disposition', attachmentDisposition(`台账-${date}.xlsx`, `ledger-${date}.xlsx`));
    res.setHeader('Cache-Control', 'private, no-store');
    res.type(XLSX_TYPE).send(file);
  });

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
