import type { Router } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { actorOf } from '../../auth/principal.ts';
import { planAt, summarize } from '../../reports/index.ts';
import { validateInput } from '../../http/validate-input.ts';
import { shanghaiDay } from '../view/format.ts';
import { PLAN_READERS } from '../../auth/page-readers.ts';
import { dashboardPage } from '../pages/dashboard-page.ts';
import { asOfInstant, filterTasks, tasksNow } from '../../tasks/plan-tasks.ts';
import { dashboardQuery } from '../web-queries.ts';
import { requireViewer, signedIn } from '../session/web-viewer.ts';

/**
 * `GET /dashboard?asOf=&state=&light=&unit=&part=`: the plan at a glance, now or at the end of a past
 * day (replayed from the log, read once for tasks and supervision facts: `planAt`), narrowed by the filters.
 */
export const dashboardRoutes = (deps: AppDeps) => (router: Router) => {
  const { engine, clock } = deps;

  router.get('/dashboard', requireViewer(PLAN_READERS), async (req, res) => {
    const query = validateInput(dashboardQuery, req.query, 'query');
    const viewer = signedIn(res);
    const actor = actorOf(viewer.principal);
    const now = clock.now();
    const at = query.asOf === undefined ? now : asOfInstant(query.asOf, now);
    const isNow = query.asOf === undefined;
    const plan = await planAt(engine, deps.currentPlan, at, isNow);
    const all = plan.tasks;
    const filter = { ...query, ...(query.unit === undefined ? {} : { unit: deps.units?.canonical(query.unit) ?? query.unit }) };
    const shown = filterTasks(all, filter, actor);
    const shownIds = new Set(shown.map((task) => task.id));
    const events = plan.events.filter((event) => shownIds.has(event.taskId));
    const summary = summarize(shown, events, at);
    const waiting = viewer.principal.role === 'office' ? (isNow ? all : await tasksNow(deps, now)).filter((t) => t.snapshot.value === 'reported').length : undefined;
    res.type('html').send(
      dashboardPage({
        viewer,
        all,
        shown,
        summary,
        filter,
        today: shanghaiDay(now.getTime()),
        at: at.getTime(),
        asOfDay: query.asOf,
        ...(waiting === undefined ? {} : { waiting }),
      }).text,
    );
  });
};
