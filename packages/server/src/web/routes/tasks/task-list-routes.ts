import { randomBytes } from 'node:crypto';
import type { Json } from '@duban/engine';
import type { Request } from 'express';
import { z } from 'zod';
import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { attachmentDisposition } from '../../../http/content-disposition.ts';
import { PAGE_NOT_FOUND, invalidFields } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import type { TaskFacts } from '../../../reports/index.ts';
import { listTasks } from '../../../tasks/list-tasks.ts';
import { BULK_MAX_TASKS } from '../../../tasks/send-bulk.ts';
import { filterTasks } from '../../../tasks/task-filter.ts';
import { taskComparator } from '../../../tasks/task-order.ts';
import { asOf } from '../../../time/as-of.ts';
import { shanghaiDate } from '../../../time/calendar.ts';
import { formOf } from '../../forms/form-body.ts';
import type { QueryErrors } from '../../forms/query-fields.ts';
import { checkTime, pageQuery, queryStatus } from '../../forms/query-fields.ts';
import { taskListPage } from '../../pages/task-list-page.ts';
import { pagePlan, planView } from '../../plans/page-plan.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';
import type { Viewer } from '../../session/web-viewer.ts';
import { pageOf } from '../../view/task-table.ts';
import { taskListQuery } from '../../web-queries.ts';
import { bulkResultPage } from '../../workbench/bulk-result-page.ts';
import { taskListCsv } from '../../workbench/task-list-csv.ts';

const bulkUrgeForm = z.strictObject({
  _csrf: z.unknown(),
  _key: z.string().regex(/^[A-Za-z0-9_-]{16,80}$/, 'must be the key the form was made with'),
  ids: z.union([z.string(), z.array(z.string())]).optional(),
  message: z.string().optional(),
});

/**
 * `GET /tasks` (the list: filters, keywords, deadline range, order, pages), `GET /tasks.csv` (the same
 * filtered list, whole, as CSV) and `POST /tasks/bulk-urge` (the office urges the chosen tasks with one
 * message, through the one bulk sender: a result page lists each task's outcome).
 */
export const taskListRoutes: RouteModule = (deps) => (router) => {
  const { plans, planRecords, search, units, clock, bulk, cycles } = deps;

  /** The viewer's tasks matching the query as of its day, in the order asked, and what the filter form offers. */
  const matching = async (req: Request, viewer: Viewer) => {
    const { query, errors } = pageQuery(taskListQuery, req.query);
    const actor = actorOf(viewer.principal);
    const filter = { ...query, ...(query.unit === undefined ? {} : { unit: units.canonical(query.unit) }), ...(query.partUnit === undefined ? {} : { partUnit: units.canonical(query.partUnit) }) };
    const now = clock.now();
    // Now from the read model; as of a past day (a link from that day's dashboard) replayed from the log.
    const instant = checkTime(errors as QueryErrors, () => asOf(query.asOf, now), () => asOf(undefined, now));
    if (errors['asOf'] !== undefined) delete filter.asOf;
    if (filter.dueFrom !== undefined && filter.dueTo !== undefined && filter.dueFrom > filter.dueTo) {
      errors['dueTo'] = '结束日期不能早于开始日期';
      delete filter.dueTo;
    }
    if (filter.partLight !== undefined && filter.partUnit === undefined) {
      errors['partLight'] = '请同时指定承担部分的单位';
      delete filter.partLight;
    }
    const order = { sort: filter.sort, order: filter.order };
    // One plan (the newest active one unless asked), or every plan with ?plan=all.
    const chosen = await pagePlan(planRecords, query.plan, errors as QueryErrors);
    const inPlan = { plan: chosen.id };
    const visible = instant.now ? await listTasks({ plans, search }, now, actor, { filter: inPlan }) : filterTasks((await plans.facts(instant)).tasks, inPlan, actor);
    let listed: TaskFacts[];
    if (instant.now) {
      listed = await listTasks({ plans, search }, now, actor, { filter: { ...filter, ...inPlan }, q: filter.q, order });
    } else {
      // A past day's tasks, found by the words they hold now (the index keeps only the current text).
      const ids = filter.q === undefined ? undefined : await search.matching(filter.q, visible);
      listed = filterTasks(visible, { ...filter, ...inPlan, ...(ids === undefined ? {} : { ids }) }, actor, instant.at.getTime()).sort(taskComparator(order));
    }
    const shownFilter = { ...filter, plan: chosen.plans.length > 1 ? chosen.chosen : undefined };
    return { query, errors, filter: shownFilter, instant, visible, listed, now, plan: planView(chosen, errors as QueryErrors) };
  };

  router.get('/tasks', requireViewer(), async (req, res) => {
    const viewer = signedIn(res);
    const { query, errors, filter, instant, visible, listed, now, plan } = await matching(req, viewer);
    const shown = pageOf(listed, query.page ?? 1);
    if (shown === undefined) throw PAGE_NOT_FOUND;
    const office = viewer.principal.role === 'office' && instant.now;
    res
      .status(queryStatus(errors))
      .type('html')
      .send(
        taskListPage({
          viewer,
          visible,
          shown: shown.items,
          page: shown.page,
          filter,
          plan,
          errors,
          today: shanghaiDate(now.getTime()),
          at: instant.at.getTime(),
          bulk: office ? { key: randomBytes(16).toString('base64url') } : undefined,
          unreported: await cycles.missing(shown.items.map((task) => task.id)),
        }).text,
      );
  });

  router.get('/tasks.csv', requireViewer(), async (req, res) => {
    const viewer = signedIn(res);
    const { errors, instant, listed } = await matching(req, viewer);
    // A download has no page to show a refusal beside its field: every one refuses the whole file (422).
    if (Object.keys(errors).length > 0) {
      validateInput(taskListQuery, req.query, 'query');
      throw invalidFields('query', Object.entries(errors).map(([field, message]) => ({ path: `query.${field}`, message: String(message) })));
    }
    const day = shanghaiDate(instant.at.getTime());
    res.setHeader('Content-Disposition', attachmentDisposition(`任务列表-${day}.csv`, `tasks-${day}.csv`));
    res.type('text/csv; charset=utf-8').send(taskListCsv(listed, instant.at.getTime()));
  });

  router.post('/tasks/bulk-urge', requireViewer(readers.inbox), async (req, res) => {
    const viewer = signedIn(res);
    const form = validateInput(bulkUrgeForm, formOf(req.body), 'form');
    const ids = [...new Set(([] as string[]).concat(form.ids ?? []))];
    const message = (form.message ?? '').trim();
    const problems: string[] = [];
    if (ids.length === 0) problems.push('请至少选择一项任务。');
    if (ids.length > BULK_MAX_TASKS) problems.push(`一次最多督办 ${BULK_MAX_TASKS} 项任务，请分批提交。`);
    if (message === '') problems.push('请填写督办意见。');
    if (problems.length > 0) {
      res.status(422).type('html').send(bulkResultPage({ viewer, results: [], refused: problems, message }).text);
      return;
    }
    const payload = { message };
    const results = await bulk.send({
      ids,
      type: 'URGE',
      payload,
      principal: viewer.principal,
      idempotency: { key: `form:${form._key}`, method: 'POST', path: req.path, body: { ids, type: 'URGE', ...payload } as Json },
    });
    const numbers = new Map((await plans.facts({ at: clock.now(), now: true })).tasks.map((task) => [task.id, task.task.number]));
    res.type('html').send(bulkResultPage({ viewer, results: results.map((result) => ({ ...result, number: result.status === 404 ? undefined : numbers.get(result.id) })), message }).text);
  });
};
