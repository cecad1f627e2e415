import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { heavyRead, pastAsOf } from '../../../http/heavy-reads.ts';
import { assessUnits, defaultAssessmentRules, factsOfPlan, summarize } from '../../../reports/index.ts';
import { completionTrend } from '../../../reports/completion-trend.ts';
import { pagePlan, planView } from '../../plans/page-plan.ts';
import { filterTasks } from '../../../tasks/task-filter.ts';
import { asOf } from '../../../time/as-of.ts';
import { shanghaiDate } from '../../../time/calendar.ts';
import { checkTime, pageQuery, queryStatus } from '../../forms/query-fields.ts';
import { dashboardPage } from '../../pages/dashboard-page.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';
import { dashboardQuery } from '../../web-queries.ts';

/**
 * `GET /dashboard?asOf=&state=&light=&unit=&part=`: the plan at a glance, now or at the end of a past
 * day (replayed from the log, read once for tasks and supervision facts), narrowed by the filters.
 */
export const dashboardRoutes: RouteModule = (deps) => (router) => {
  const { plans, planRecords, clock, units, cycles } = deps;

  router.get('/dashboard', requireViewer(readers.plan), heavyRead(deps.heavyReads, pastAsOf(clock)), async (req, res) => {
    const { query, errors } = pageQuery(dashboardQuery, req.query);
    const viewer = signedIn(res);
    const actor = actorOf(viewer.principal);
    const now = clock.now();
    // A refused day shows today, with the message beside the date.
    const instant = checkTime(errors, () => asOf(query.asOf, now), () => asOf(undefined, now));
    if (errors['asOf'] !== undefined) delete query.asOf;
    const chosen = await pagePlan(planRecords, query.plan, errors);
    const plan = factsOfPlan(await plans.facts(instant), chosen.id);
    const all = plan.tasks;
    const filter = { ...query, plan: undefined, ...(query.unit === undefined ? {} : { unit: units.canonical(query.unit) }) };
    const shown = filterTasks(all, filter, actor, instant.at.getTime());
    const shownIds = new Set(shown.map((task) => task.id));
    const events = plan.events.filter((event) => shownIds.has(event.taskId));
    const summary = summarize(shown, events, instant.at);
    res.status(queryStatus(errors)).type('html').send(
      dashboardPage({
        errors,
        viewer,
        all,
        shown,
        summary,
        filter: { ...filter, plan: chosen.plans.length > 1 ? chosen.chosen : undefined },
        plan: planView(chosen, errors),
        today: shanghaiDate(now.getTime()),
        at: instant.at.getTime(),
        asOfDay: query.asOf,
        showWaiting: viewer.principal.role === 'office',
        pictures: {
          assessment: assessUnits(defaultAssessmentRules, all, [...plan.events, ...(await cycles.missedFacts(chosen.id, instant.at.getTime()))], instant.at, { reasonsFor: () => false }),
          trend: completionTrend(plan.events, Number(shanghaiDate(instant.at.getTime()).slice(0, 4)), instant.at.getTime()),
        },
      }).text,
    );
  });
};
