import type { RouteModule } from '../app-deps.ts';
import { circularQuery, reportQuery } from '../api-schemas.ts';
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
  ledgerRows,
  ledgerXlsx,
  periodEnd,
  reportInputAt,
  shanghaiDate,
  summarize,
} from '../reports/index.ts';
import { requireRole } from '../require-role.ts';
import { validateInput } from '../validate-input.ts';

/** Who may read plan-wide reports: they name every task and unit, so not a unit. */
export const REPORT_READERS = ['office', 'reviewer', 'admin'] as const;

/** The title over the .xlsx ledger. */
export const LEDGER_TITLE = '“放管服”改革任务督办台账';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The office's reports, each from ONE read of the audit log (`reportInputAt`) as of `asOf` (default
 * now): `GET /reports/summary`, `/reports/units` (assessment with every reason), `/reports/ledger.csv`
 * and `/reports/ledger.xlsx` (downloads named 台账-<date>), and `/reports/circular?from=&to=&format=`.
 */
export const reportRoutes: RouteModule = ({ engine, clock }) => (router) => {
  const readers = requireRole(REPORT_READERS, 'read plan-wide reports');

  /** The validated `asOf` and the report input as of it. */
  const inputAt = async (query: unknown) => {
    const { asOf } = validateInput(reportQuery, query, 'query');
    return reportInputAt(engine, checked(() => reportAsOf(asOf, clock.now())));
  };

  router.get('/reports/summary', readers, async (req, res) => {
    const input = await inputAt(req.query);
    res.json(summarize(input.tasks, input.entries, input.asOf));
  });

  router.get('/reports/units', readers, async (req, res) => {
    const input = await inputAt(req.query);
    res.json(assessUnits(defaultAssessmentRules, input.tasks, input.entries, input.asOf));
  });

  router.get('/reports/ledger.csv', readers, async (req, res) => {
    const input = await inputAt(req.query);
    const date = shanghaiDate(input.asOf);
    res.setHeader('Content-Disposition', attachmentDisposition(`台账-${date}.csv`, `ledger-${date}.csv`));
    res.setHeader('Cache-Control', 'private, no-store');
    res.type('text/csv; charset=utf-8').send(ledgerCsv(ledgerRows(input.tasks, input.asOf)));
  });

  router.get('/reports/ledger.xlsx', readers, async (req, res) => {
    const input = await inputAt(req.query);
    const date = shanghaiDate(input.asOf);
    const file = await ledgerXlsx(ledgerRows(input.tasks, input.asOf), { title: LEDGER_TITLE, asOf: input.asOf });
    res.setHeader('Content-Disposition', attachmentDisposition(`台账-${date}.xlsx`, `ledger-${date}.xlsx`));
    res.setHeader('Cache-Control', 'private, no-store');
    res.type(XLSX_TYPE).send(file);
  });

  router.get('/reports/circular', readers, async (req, res) => {
    const query = validateInput(circularQuery, req.query, 'query');
    const period = checked(() => reportPeriod(query.from, query.to, clock.now()));
    const input = await reportInputAt(engine, periodEnd(period));
    const report = circular(period, input.tasks, input.entries);
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
