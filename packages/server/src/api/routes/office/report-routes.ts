import type { Request, Response } from 'express';
import { principalOf } from '../../../auth/principal.ts';
import type { RouteModule } from '../../../app/app-deps.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { invalidFields, invalidTime, problem } from '../../../http/problems.ts';
import { heavyRead, pastAsOf } from '../../../http/heavy-reads.ts';
import { sendPieces } from '../../../http/send-pieces.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { assessmentDownload, assessmentJson, assessUnits, circular, circularHtml, circularMarkdown, defaultAssessmentRules, factsOfPlan, summarize } from '../../../reports/index.ts';
import type { LedgerFormat } from '../../../reports/ledger/ledger-download.ts';
import { ledgerDownload } from '../../../reports/ledger/ledger-download.ts';
import { asOf, AsOfError, assessmentPeriod, reportPeriod } from '../../../time/as-of.ts';
import { instantMs, periodEnd } from '../../../time/calendar.ts';
import { circularQuery, reportQuery, unitsReportQuery } from '../../schemas.ts';

/**
 * The office's reports as of `asOf` (default now): `GET /reports/summary`, `/reports/units` (the
 * assessment: scores by rule; `?unit=` one unit with every reason), `/reports/ledger.csv` and
 * `/reports/ledger.xlsx` (downloads named 台账-<date>), and `/reports/circular?from=&to=&format=`,
 * each read through the PlanReader (as of now from the read model, as of a past instant by one replay).
 */
export const reportRoutes: RouteModule = ({ plans, planRecords, clock, units, heavyReads, cycles }) => (router) => {
  /** The plan asked for, once known to exist (404 otherwise); undefined: every plan. */
  const planOf = async (id: string | undefined) => {
    if (id !== undefined && !(await planRecords.exists(id))) throw problem('planNotFound', `no plan ${JSON.stringify(id)} (GET /api/plans lists them)`);
    return id;
  };
  const planReaders = requireRole(readers.plan, 'read plan-wide reports');
  // As of a past day a report is rebuilt from the whole log; the circular always is.
  const past = heavyRead(heavyReads, pastAsOf(clock));
  const always = heavyRead(heavyReads);
  const instant = (text: string | undefined) => checked(() => asOf(text, clock.now()));

  const sendLedger = async (query: unknown, format: LedgerFormat, res: Response) => {
    const { asOf: text, plan: id } = validateInput(reportQuery, query, 'query');
    const plan = await planOf(id);
    const { headers, body } = ledgerDownload(plans, instant(text), format, { plan, spansPlans: (await planRecords.list()).length > 1 });
    await sendPieces(res, body, { ...headers, 'Cache-Control': 'private, no-store' });
  };

  router.get('/reports/summary', planReaders, past, async (req, res) => {
    const query = validateInput(reportQuery, req.query, 'query');
    const plan = factsOfPlan(await plans.facts(instant(query.asOf)), await planOf(query.plan));
    res.json(summarize(plan.tasks, plan.events, plan.asOf));
  });

  const assessmentReaders = requireRole(readers.assessment, 'read the assessment');
  // A period that ended is rebuilt from the whole log, as is a day before today.
  const pastPeriod = heavyRead(heavyReads, (req) => req.query['period'] !== undefined || pastAsOf(clock)(req));
  /** The assessment asked for: as of a day or over a period; a unit only its own row, with its reasons. */
  const assessment = async (req: Request, res: Response) => {
    const query = validateInput(unitsReportQuery, req.query, 'query');
    if (query.period !== undefined && query.asOf !== undefined) throw invalidFields('query', [{ path: 'query.period', message: 'give either period or asOf, not both' }]);
    const principal = principalOf(res);
    if (principal.role === 'unit' && query.unit !== undefined && units.canonical(query.unit) !== principal.unit) {
      throw problem('forbidden', `a unit reads only its own assessment (${principal.unit}), not that of ${query.unit}`);
    }
    const unit = principal.role === 'unit' ? (principal.unit ?? '') : query.unit === undefined ? undefined : units.canonical(query.unit);
    const period = query.period === undefined ? undefined : checked(() => assessmentPeriod(query.period!, clock.now()));
    const planId = await planOf(query.plan);
    const plan = factsOfPlan(await plans.facts(period?.asOf ?? instant(query.asOf)), planId);
    // The parts that missed a reporting cycle count beside the log's facts.
    const missed = await cycles.missedFacts(planId, instantMs(plan.asOf));
    const scored = assessUnits(defaultAssessmentRules, plan.tasks, missed.length === 0 ? plan.events : [...plan.events, ...missed], plan.asOf, {
      reasonsFor: (name) => name === unit,
      ...(period === undefined ? {} : { since: period.since, period: { name: period.name, ...period.period } }),
    });
    return unit === undefined ? scored : { ...scored, units: scored.units.filter((row) => row.unit === unit) };
  };

  router.get('/reports/units', assessmentReaders, pastPeriod, async (req, res) => {
    // Written a piece at a time: one unit's reasons are megabytes of JSON.
    await sendPieces(res, assessmentJson(await assessment(req, res)), { 'Content-Type': 'application/json; charset=utf-8' });
  });

  router.get('/reports/units.xlsx', assessmentReaders, pastPeriod, async (req, res) => {
    const scored = await assessment(req, res);
    const { headers, body } = await assessmentDownload(scored);
    res.set(headers).send(body);
  });

  router.get('/reports/ledger.csv', planReaders, past, async (req, res) => sendLedger(req.query, 'csv', res));
  router.get('/reports/ledger.xlsx', planReaders, past, async (req, res) => sendLedger(req.query, 'xlsx', res));

  router.get('/reports/circular', planReaders, always, async (req, res) => {
    const query = validateInput(circularQuery, req.query, 'query');
    const period = checked(() => reportPeriod(query.from, query.to, clock.now()));
    const plan = factsOfPlan(await plans.facts({ at: new Date(periodEnd(period)), now: false }), await planOf(query.plan));
    const report = circular(period, plan.tasks, plan.events);
    if (query.format === 'html') res.type('text/html; charset=utf-8').send(circularHtml(report));
    else res.type('text/markdown; charset=utf-8').send(circularMarkdown(report));
  });
};

/** Runs a time check, turning its refusal into a 422 naming the query field. */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof AsOfError) throw invalidTime(error, 'api');
    throw error;
  }
}
