import { createHash, randomBytes } from 'node:crypto';
import type { Response } from 'express';
import type { RouteModule } from '../../../app/app-deps.ts';
import { readers } from '../../../auth/readers.ts';
import { heavyRead, pastAsOf } from '../../../http/heavy-reads.ts';
import { sendPieces } from '../../../http/send-pieces.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { assessmentDownload, assessUnits, circular, circularHtml, defaultAssessmentRules, factsOfPlan } from '../../../reports/index.ts';
import type { LedgerFormat } from '../../../reports/ledger/ledger-download.ts';
import { ledgerDownload } from '../../../reports/ledger/ledger-download.ts';
import { asOf, assessmentPeriod, reportPeriod } from '../../../time/as-of.ts';
import type { Period } from '../../../time/calendar.ts';
import { periodEnd, shanghaiDate } from '../../../time/calendar.ts';
import { pageTime } from '../../page-time.ts';
import { checkTime, pageQuery, queryStatus, typedValue } from '../../forms/query-fields.ts';
import { assessmentPage } from '../../pages/assessment-page.ts';
import { circularPage } from '../../pages/circular-page.ts';
import { ledgerPage } from '../../pages/ledger-page.ts';
import { queuePage } from '../../pages/queue-page.ts';
import type { OpenQuestionRow } from '../../pages/conversation/open-questions-page.ts';
import { openQuestionsPage } from '../../pages/conversation/open-questions-page.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';
import { assessmentQuery, emptyQuery, periodQuery, planAsOfQuery } from '../../web-queries.ts';
import { pagePlan, planView } from '../../plans/page-plan.ts';
import { PAGE_NOT_FOUND } from '../../../http/problems.ts';

/** The period a circular is for: as asked, by default from the 1st of this month to today. */
function chosenPeriod(query: { from?: string | undefined; to?: string | undefined }, now: Date): { from: string; to: string; today: string } {
  const today = shanghaiDate(now.getTime());
  return { from: query.from ?? `${today.slice(0, 8)}01`, to: query.to ?? today, today };
}

/** The CSP of the printable circular: nothing but its own inline stylesheet, allowed by its hash. Pure. */
export function circularCsp(document: string): string {
  const style = /<style>([\s\S]*?)<\/style>/.exec(document)?.[1] ?? '';
  const hash = createHash('sha256').update(style, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/**
 * The office's pages: `GET /queue` (reported tasks, oldest report first), `/questions` (待答复问题:
 * every conversation's questions a unit has not answered, oldest first), `/assessment?asOf=`
 * (assessUnits with every reason), `/circular?from=&to=` and `/circular/view` (the printable
 * circularHtml), `/ledger?asOf=` with `/ledger.csv` and `/ledger.xlsx`.
 */
export const officePageRoutes: RouteModule = (deps) => (router) => {
  const { plans, planRecords, clock, cycles } = deps;
  // As of a past day a page is rebuilt from the whole log; a circular always is.
  const past = heavyRead(deps.heavyReads, pastAsOf(clock));
  const always = heavyRead(deps.heavyReads);

  router.get('/queue', requireViewer(readers.queue), async (req, res) => {
    validateInput(emptyQuery, req.query, 'query');
    const reported = (await plans.tasks({ at: clock.now(), now: true }, { state: 'reported' })).sort(
      (a, b) => (a.task.reportedAt ?? 0) - (b.task.reportedAt ?? 0) || a.task.number - b.task.number,
    );
    res.type('html').send(queuePage(signedIn(res), reported).text);
  });

  router.get('/questions', requireViewer(readers.questions), async (req, res) => {
    validateInput(emptyQuery, req.query, 'query');
    const now = clock.now();
    const rows: OpenQuestionRow[] = [];
    for await (const piece of plans.pieces({ at: now, now: true })) {
      for (const { id, task } of piece) for (const question of task.openQuestions ?? []) rows.push({ taskId: id, number: task.number, taskText: task.text, question });
    }
    rows.sort((a, b) => a.question.askedAt - b.question.askedAt || a.number - b.number);
    res.type('html').send(openQuestionsPage(signedIn(res), rows, now.getTime()).text);
  });

  /** The assessment a page asks for: as of a day or over a period; refused fields fall back to now, with the message beside them. */
  const assessmentOf = async (query: { asOf?: string | undefined; period?: string | undefined; plan?: string | undefined }, errors: Record<string, string>) => {
    const now = clock.now();
    const today = shanghaiDate(now.getTime());
    const period = query.period === undefined ? undefined : checkTime(errors, () => assessmentPeriod(query.period!, now), () => undefined);
    const instant = period?.asOf ?? checkTime(errors, () => asOf(query.asOf, now), () => asOf(undefined, now));
    const chosen = await pagePlan(planRecords, query.plan, errors);
    const { tasks, events } = factsOfPlan(await plans.facts(instant), chosen.id);
    const missed = await cycles.missedFacts(chosen.id, instant.at.getTime());
    const assessment = assessUnits(defaultAssessmentRules, tasks, [...events, ...missed], instant.at, period === undefined ? {} : { since: period.since, period: { name: period.name, ...period.period } });
    return { assessment, tasks, today, chosen, asOfDay: errors['asOf'] === undefined ? (query.asOf ?? today) : today };
  };
  const pastPeriod = heavyRead(deps.heavyReads, (req) => req.query['period'] !== undefined || pastAsOf(clock)(req));

  router.get('/assessment', requireViewer(readers.assessment), pastPeriod, async (req, res) => {
    const { query, errors } = pageQuery(assessmentQuery, req.query);
    const { assessment, tasks, today, chosen, asOfDay } = await assessmentOf(query, errors);
    const taskIds = new Map(tasks.map((t) => [t.task.number, t.id]));
    const period = errors['period'] === undefined ? query.period : undefined;
    res.status(queryStatus(errors)).type('html').send(assessmentPage({ viewer: signedIn(res), assessment, asOfDay, today, taskIds, errors, plan: planView(chosen, errors), ...(period === undefined ? {} : { period }) }).text);
  });

  router.get('/assessment.xlsx', requireViewer(readers.assessment), pastPeriod, async (req, res) => {
    const query = validateInput(assessmentQuery, req.query, 'query');
    const viewer = signedIn(res);
    const { assessment } = await assessmentOf(query, {});
    // A unit takes only its own row, with every reason for it.
    const own = viewer.principal.role === 'unit' ? viewer.principal.unit : null;
    const scored = own === null ? assessment : { ...assessment, units: assessment.units.filter((u) => u.unit === own) };
    const { headers, body } = await assessmentDownload(scored);
    res.set(headers).send(body);
  });

  const circularOf = async (period: Period, planId: string | undefined) => {
    const plan = factsOfPlan(await plans.facts({ at: new Date(periodEnd(period)), now: false }), planId);
    return circular(period, plan.tasks, plan.events);
  };

  router.get('/circular', requireViewer(readers.circular), heavyRead(deps.heavyReads, (req) => req.query['from'] !== undefined || req.query['to'] !== undefined), async (req, res) => {
    const { query, errors } = pageQuery(periodQuery, req.query);
    const now = clock.now();
    const chosen = chosenPeriod(query, now);
    const planChosen = await pagePlan(planRecords, query.plan, errors);
    const asked = query.from !== undefined || query.to !== undefined;
    // A refused period: the form again, as typed, with the message beside the date it is about.
    const period = Object.keys(errors).some((field) => field !== 'plan') ? undefined : checkTime<Period | undefined>(errors, () => reportPeriod(chosen.from, chosen.to, now), () => undefined);
    const report = asked && period !== undefined ? await circularOf(period, planChosen.id) : undefined;
    const typed = { from: typedValue(req.query, 'from') ?? chosen.from, to: typedValue(req.query, 'to') ?? chosen.to };
    res
      .status(queryStatus(errors))
      .type('html')
      .send(
        circularPage({
          viewer: signedIn(res),
          ...typed,
          today: chosen.today,
          errors,
          plan: planView(planChosen, errors),
          ...(report === undefined ? {} : { circular: report }),
          // Fresh for each page: the issue form's idempotency key, so a double click issues once.
          ...((readers.issueCirculars as readonly string[]).includes(signedIn(res).principal.role) ? { issueKey: randomBytes(16).toString('base64url') } : {}),
        }).text,
      );
  });

  router.get('/circular/view', requireViewer(readers.circular), always, async (req, res) => {
    const query = validateInput(periodQuery, req.query, 'query');
    const now = clock.now();
    const chosen = chosenPeriod(query, now);
    const planChosen = await pagePlan(planRecords, query.plan, {});
    const document = circularHtml(await circularOf(pageTime(() => reportPeriod(chosen.from, chosen.to, now)), planChosen.id));
    res.setHeader('Content-Security-Policy', circularCsp(document));
    res.type('html').send(document);
  });

  router.get('/ledger', requireViewer(readers.plan), async (req, res) => {
    const { query, errors } = pageQuery(planAsOfQuery, req.query);
    const now = clock.now();
    const chosen = await pagePlan(planRecords, query.plan, errors);
    // A day to come is refused here already, beside the date, not only by the download.
    checkTime(errors, () => asOf(query.asOf, now), () => asOf(undefined, now));
    const today = shanghaiDate(now.getTime());
    const asOfDay = errors['asOf'] === undefined ? (query.asOf ?? today) : today;
    res.status(queryStatus(errors)).type('html').send(ledgerPage({ viewer: signedIn(res), asOfDay, today, errors, plan: planView(chosen, errors) }).text);
  });

  const sendLedger = async (query: unknown, format: LedgerFormat, res: Response) => {
    const { asOf: day, plan } = validateInput(planAsOfQuery, query, 'query');
    const errors = {};
    const chosen = await pagePlan(planRecords, plan, errors);
    if (Object.keys(errors).length > 0) throw PAGE_NOT_FOUND;
    const { headers, body } = ledgerDownload(plans, pageTime(() => asOf(day, clock.now())), format, { plan: chosen.id, spansPlans: chosen.plans.length > 1 });
    await sendPieces(res, body, headers);
  };

  router.get('/ledger.csv', requireViewer(readers.plan), past, async (req, res) => sendLedger(req.query, 'csv', res));
  router.get('/ledger.xlsx', requireViewer(readers.plan), past, async (req, res) => sendLedger(req.query, 'xlsx', res));
};
