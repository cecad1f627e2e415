import { randomBytes } from 'node:crypto';
import type { InstanceRecord, Json } from '@duban/engine';
import type { ReformTaskContext } from '@duban/reform-task';
import { z } from 'zod';
import type { RouteModule } from '../../app/app-deps.ts';
import { findVisibleTask } from '../../tasks/find-visible-task.ts';
import type { FieldIssue, HttpProblem } from '../../http/http-problem.ts';
import { presentTask } from '../../tasks/present-task.ts';
import { actorOf } from '../../auth/principal.ts';
import { readers } from '../../auth/readers.ts';
import { toProblem } from '../../http/problem-details.ts';
import { validateInput } from '../../http/validate-input.ts';
import { taskHref } from '../view/badges.ts';
import type { FormEventType } from '../forms/event-forms.ts';
import { hasForm } from '../forms/event-forms.ts';
import type { EventFormState } from '../forms/event-form-view.ts';
import { KEY_FIELD, VERSION_FIELD } from '../forms/event-form-view.ts';
import { formErrors } from '../forms/field-errors.ts';
import { formOf } from '../forms/form-body.ts';
import { payloadFromForm } from '../forms/form-payload.ts';
import { eventLabel, stateLabel } from '../view/labels.ts';
import type { Notice } from '../view/layout.ts';
import { startPage } from '../view/layout.ts';
import { taskListPage } from '../pages/task-list-page.ts';
import { taskPage } from '../pages/task-page.ts';
import { listTasks } from '../../tasks/list-tasks.ts';
import { filterTasks } from '../../tasks/task-filter.ts';
import { pageOf } from '../view/task-table.ts';
import { PAGE_NOT_FOUND } from '../../http/problems.ts';
import { taskListQuery, taskPageQuery } from '../web-queries.ts';
import { checkTime, pageQuery, queryStatus } from '../forms/query-fields.ts';
import { asOf } from '../../time/as-of.ts';
import { shanghaiDate } from '../../time/calendar.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { requireViewer, signedIn } from '../session/web-viewer.ts';
import { workflowDiagram } from '../diagram/workflow-diagram.ts';

/** What the banner says when the engine refuses a form: the fields (422), the state (409), a stale page (412), the role (403). Pure. */
function refusalNotice(problem: HttpProblem, type: FormEventType, state: string): Notice {
  switch (problem.status) {
    case 422:
      return { kind: 'error', text: `“${eventLabel(type)}”未提交：请按提示修改后重新提交。` };
    case 409:
      return { kind: 'error', text: `${problem.title}：任务当前为“${stateLabel(state)}”，不能${eventLabel(type)}。` };
    case 412:
      return { kind: 'error', text: `${problem.title}。页面已显示最新情况，您填写的内容已保留。` };
    default:
      return { kind: 'error', text: `${problem.title}。` };
  }
}

/**
 * A rejected report's form starts with what was reported last time, so the unit reworks it instead
 * of typing it all again. Pure.
 */
function reworkPrefill(instance: InstanceRecord): { REPORT?: EventFormState } {
  const task = instance.snapshot.context as ReformTaskContext;
  if (instance.snapshot.value !== 'in_progress' || task.lastReport === null || task.lastRejection === null || task.lastRejection.at < task.lastReport.at) return {};
  const values: Record<string, string> = { summary: task.lastReport.summary };
  task.lastReport.evidence.forEach((item, row) => {
    values[`evidence.${row}.title`] = item.title;
    values[`evidence.${row}.ref`] = item.ref ?? '';
  });
  return { REPORT: { values } };
}

const formFields = z.strictObject({
  [VERSION_FIELD]: z.string().regex(/^\d{1,9}$/, 'must be the task version the form was made for').transform(Number),
  [KEY_FIELD]: z.string().regex(/^[A-Za-z0-9_-]{16,80}$/, 'must be the key the form was made with').optional(),
});

/**
 * `GET /tasks` (filtered list), `GET /tasks/:id` (facts, forms of the events the viewer may send now,
 * diagram, timeline) and `POST /tasks/:id/events/:type`: the form becomes a payload and goes through
 * `engine.send` exactly as the API's events do, with the viewer as actor and the server's clock; a
 * refusal shows the page again with the typed values and the errors, success redirects (303) back.
 */
export const taskPageRoutes: RouteModule = (deps) => (router) => {
  const { engine, events, plans, units, clock, watches } = deps;
  // REASSIGN offers the registry's units a task may be led by: not collectives, which stand for several.
  const registryUnits = units.units.filter((unit) => unit.kind !== 'collective').map((unit) => unit.name);

  const render = async (viewer: Viewer, instance: InstanceRecord, extra: { refused?: { type: FormEventType; state: EventFormState }; notices?: Notice[] } = {}) => {
    const actor = actorOf(viewer.principal);
    const task = presentTask(engine, instance, actor, clock.now());
    const { svg, transitions } = workflowDiagram(engine.definitionOf(instance), instance.snapshot.value);
    const account = viewer.principal.account;
    const watcher = account !== undefined && (readers.watchers as readonly string[]).includes(viewer.principal.role);
    return taskPage({
      ...(watcher ? { watching: await watches.isWatched(account.id, instance.id) } : {}),
      viewer,
      task,
      history: await engine.history(instance.id),
      diagram: svg,
      transitions,
      current: viewer.principal.role === 'unit' ? startPage('unit') : '/tasks',
      formKey: randomBytes(16).toString('base64url'),
      prefill: reworkPrefill(instance),
      choices: { units: registryUnits, chosenUnits: task.leadUnits },
      ...extra,
    }).text;
  };

  router.get('/tasks', requireViewer(), async (req, res) => {
    const { query, errors } = pageQuery(taskListQuery, req.query);
    const viewer = signedIn(res);
    const actor = actorOf(viewer.principal);
    const filter = { ...query, ...(query.unit === undefined ? {} : { unit: units.canonical(query.unit) }) };
    const now = clock.now();
    // Now from the read model; as of a past day (a link from that day's dashboard) replayed from the log.
    const instant = checkTime(errors, () => asOf(query.asOf, now), () => asOf(undefined, now));
    if (errors['asOf'] !== undefined) delete filter.asOf;
    const visible = instant.now ? await listTasks(plans, now, actor) : filterTasks((await plans.facts(instant)).tasks, {}, actor);
    const matching = filterTasks(visible, filter, actor, instant.at.getTime());
    const shown = pageOf(matching, query.page ?? 1);
    if (shown === undefined) throw PAGE_NOT_FOUND;
    res
      .status(queryStatus(errors))
      .type('html')
      .send(taskListPage({ viewer, visible, shown: shown.items, page: shown.page, filter, errors, today: shanghaiDate(now.getTime()), at: instant.at.getTime() }).text);
  });

  router.get('/tasks/:id', requireViewer(), async (req, res) => {
    const query = validateInput(taskPageQuery, req.query, 'query');
    const viewer = signedIn(res);
    const instance = await findVisibleTask(engine, String(req.params['id']), actorOf(viewer.principal));
    if (instance === undefined) throw PAGE_NOT_FOUND;
    const notices: Notice[] = query.done === undefined ? [] : [{ kind: 'success', text: `已提交“${eventLabel(query.done)}”，办理记录已更新。` }];
    res.type('html').send(await render(viewer, instance, { notices }));
  });

  router.post('/tasks/:id/events/:type', requireViewer(), async (req, res) => {
    const viewer = signedIn(res);
    const actor = actorOf(viewer.principal);
    const instance = await findVisibleTask(engine, String(req.params['id']), actor);
    const type = String(req.params['type']);
    if (instance === undefined || !hasForm(type)) throw PAGE_NOT_FOUND;
    const form = formOf(req.body);
    const fields = validateInput(formFields, { [VERSION_FIELD]: form[VERSION_FIELD], [KEY_FIELD]: form[KEY_FIELD] }, 'form');
    const { payload, values, evidenceRows } = payloadFromForm(type, form);
    const key = fields[KEY_FIELD];
    try {
      await events.send({
        taskId: instance.id,
        type,
        payload,
        principal: viewer.principal,
        expectedVersion: fields[VERSION_FIELD],
        // A form sent twice (a double click, a resent page) is one event: the second gets the first's answer.
        idempotency: key === undefined ? undefined : { key: `form:${key}`, method: 'POST', path: req.path, body: payload as Json },
      });
    } catch (error) {
      const problem = toProblem(error);
      if (problem.status >= 500) throw error;
      const fresh = await findVisibleTask(engine, instance.id, actor);
      if (fresh === undefined) throw PAGE_NOT_FOUND;
      const issues = (problem.extensions['errors'] as FieldIssue[] | undefined) ?? [];
      const errors = problem.status === 422 ? formErrors(type, issues, evidenceRows) : { byInput: {}, general: [] };
      const notice = refusalNotice(problem, type, fresh.snapshot.value);
      res.status(problem.status).type('html').send(await render(viewer, fresh, { refused: { type, state: { values, errors } }, notices: [notice] }));
      return;
    }
    res.redirect(303, `${taskHref(instance.id)}?done=${encodeURIComponent(type)}`);
  });
};
