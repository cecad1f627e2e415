import { randomBytes } from 'node:crypto';
import type { AuditEntry, InstanceRecord, Json } from '@duban/engine';
import { recordedFiles } from '../../../files/task-files.ts';
import { supersededFiles } from '../../view/attachment-view.ts';
import type { ReformTaskContext } from '@duban/reform-task';
import type { RouteModule } from '../../../app/app-deps.ts';
import { findVisibleTask } from '../../../tasks/find-visible-task.ts';
import type { FieldIssue, HttpProblem } from '../../../http/http-problem.ts';
import { presentTask } from '../../../tasks/present-task.ts';
import { actorOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { toProblem } from '../../../http/problem-details.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { taskHref } from '../../view/badges.ts';
import type { FormEventType } from '../../forms/event-forms.ts';
import { hasForm } from '../../forms/event-forms.ts';
import type { EventFormState } from '../../forms/event-form-view.ts';
import { formErrors } from '../../forms/field-errors.ts';
import { formOf, isMultipartForm } from '../../forms/form-body.ts';
import { formEventFieldsOf, sendFormEvent } from '../../forms/form-event.ts';
import { takesFiles } from '../../forms/event-forms.ts';
import { receiveFiles } from '../../../files/receive-files.ts';
import type { Upload } from '../../../files/file-store.ts';
import { checkCsrfField } from '../../session/csrf.ts';
import { payloadFromForm } from '../../forms/form-payload.ts';
import { eventLabel, stateLabel } from '../../view/labels.ts';
import type { Notice } from '../../view/layout.ts';
import { startPage } from '../../view/layout.ts';
import { taskPage } from '../../pages/task-page.ts';
import { PAGE_NOT_FOUND, problem } from '../../../http/problems.ts';
import { taskPageQuery } from '../../web-queries.ts';
import { shanghaiDate } from '../../../time/calendar.ts';
import type { Viewer } from '../../session/web-viewer.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';
import { workflowDiagram } from '../../diagram/workflow-diagram.ts';

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

/** The task's files the viewer may withdraw with a comment: not withdrawn yet, and for a unit its own unit's. Pure. */
function withdrawable(history: readonly AuditEntry[], viewer: Viewer): { sha256: string; name: string; label: string }[] {
  const withdrawn = supersededFiles(history);
  const { principal } = viewer;
  const seen = new Set<string>();
  return history.flatMap((entry) => {
    if (principal.role === 'unit' && (entry.actor.role !== 'unit' || entry.actor.unit !== principal.unit)) return [];
    return recordedFiles(entry).flatMap((file) => {
      if (withdrawn.has(file.sha256) || seen.has(file.sha256)) return [];
      seen.add(file.sha256);
      return [{ sha256: file.sha256, name: file.name, label: `${file.name}（${eventLabel(entry.type)}，${shanghaiDate(Date.parse(entry.at))}）` }];
    });
  });
}

/** A multipart form's fields as a urlencoded form reads them: one value a string, several an array. Pure. */
function fieldRecord(fields: ReadonlyMap<string, readonly string[]>): Record<string, unknown> {
  return Object.fromEntries([...fields].map(([name, values]) => [name, values.length === 1 ? values[0] : [...values]]));
}

/**
 * `GET /tasks/:id` (facts, forms of the events the viewer may send now,
 * diagram, timeline) and `POST /tasks/:id/events/:type`: the form becomes a payload and goes through
 * `engine.send` exactly as the API's events do, with the viewer as actor and the server's clock; a
 * refusal shows the page again with the typed values and the errors, success redirects (303) back.
 */
export const taskPageRoutes: RouteModule = (deps) => (router) => {
  const { engine, events, units, clock, files, uploadLimits, watches, cycles } = deps;
  // REASSIGN offers the registry's units a task may be led by: not collectives, which stand for several.
  // Read on each page: the admin may have added a unit since the server started.
  const registryUnits = () => units.units.filter((unit) => unit.kind !== 'collective').map((unit) => unit.name);

  const render = async (viewer: Viewer, instance: InstanceRecord, extra: { refused?: { type: FormEventType; state: EventFormState }; notices?: Notice[] } = {}) => {
    const actor = actorOf(viewer.principal);
    const task = presentTask(engine, instance, actor, clock.now());
    const { svg, transitions } = workflowDiagram(engine.definitionOf(instance), instance.snapshot.value);
    const history = await engine.history(instance.id);
    const account = viewer.principal.account;
    const watcher = account !== undefined && (readers.watchers as readonly string[]).includes(viewer.principal.role);
    const unreported = (await cycles.missing([instance.id])).get(instance.id);
    return taskPage({
      ...(watcher ? { watching: await watches.isWatched(account.id, instance.id) } : {}),
      ...(unreported === undefined ? {} : { unreported }),
      viewer,
      task,
      now: clock.now().getTime(),
      history,
      diagram: svg,
      transitions,
      current: viewer.principal.role === 'unit' ? startPage('unit') : '/tasks',
      formKey: randomBytes(16).toString('base64url'),
      prefill: reworkPrefill(instance),
      choices: { units: registryUnits(), chosenUnits: task.leadUnits, files: withdrawable(history, viewer) },
      openQuestions: (instance.snapshot.context as ReformTaskContext).openQuestions ?? [],
      ...extra,
    }).text;
  };

  router.get('/tasks/:id', requireViewer(), async (req, res) => {
    const query = validateInput(taskPageQuery, req.query, 'query');
    const viewer = signedIn(res);
    const instance = await findVisibleTask(engine, String(req.params['id']), actorOf(viewer.principal));
    if (instance === undefined) throw PAGE_NOT_FOUND;
    // The unit that opens the task has read what it was told about it.
    if (viewer.principal.role === 'unit' && viewer.principal.unit !== null) await deps.notifications.acknowledgeAll(viewer.principal.unit, clock.now(), instance.id);
    const notices: Notice[] = query.done === undefined ? [] : [{ kind: 'success', text: `已提交“${eventLabel(query.done)}”，办理记录已更新。` }];
    res.type('html').send(await render(viewer, instance, { notices }));
  });

  router.post('/tasks/:id/events/:type', requireViewer(), async (req, res) => {
    const viewer = signedIn(res);
    const actor = actorOf(viewer.principal);
    const instance = await findVisibleTask(engine, String(req.params['id']), actor);
    const type = String(req.params['type']);
    if (instance === undefined || !hasForm(type)) throw PAGE_NOT_FOUND;
    let form: Record<string, unknown>;
    let uploads: Upload[] = [];
    if (isMultipartForm(req)) {
      if (!takesFiles(type) || !(readers.uploaders as readonly string[]).includes(viewer.principal.role)) throw problem('notForm', `the form of ${type} takes no files from role ${viewer.principal.role}`);
      // What arrives before the refusal stays typed in the form shown again.
      const typed = new Map<string, string[]>();
      try {
        const uploader = { role: viewer.principal.role, unit: viewer.principal.role === 'unit' ? viewer.principal.unit : null };
        const received = await receiveFiles(req, files, uploader, clock.now(), uploadLimits, { fields: typed, admit: (sent) => checkCsrfField(fieldRecord(sent), viewer.csrf) });
        form = fieldRecord(received.fields);
        uploads = received.uploads;
      } catch (error) {
        const problem = toProblem(error);
        if (problem.status === 403 || problem.status >= 500) throw error;
        const { values } = payloadFromForm(type, fieldRecord(typed));
        const issues = (problem.extensions['errors'] as FieldIssue[] | undefined) ?? [];
        const messages = issues.length === 0 ? [problem.title] : issues.map((issue) => issue.message);
        const notice: Notice = { kind: 'error', text: `“${eventLabel(type)}”未提交：附件未能上传，请按提示修改后重新选择文件。` };
        res.status(problem.status).type('html').send(await render(viewer, instance, { refused: { type, state: { values, errors: { byInput: { attachments: messages }, general: [] } } }, notices: [notice] }));
        return;
      }
    } else {
      form = formOf(req.body);
    }
    const fields = formEventFieldsOf(form);
    const { payload, values, evidenceRows } = payloadFromForm(type, form);
    // The files just stored, named by their upload: the sender's own, checked again when the event is sent.
    if (uploads.length > 0) payload['attachments'] = uploads.map((upload) => ({ file: upload.id }));
    try {
      await sendFormEvent(events, {
        taskId: instance.id,
        type,
        payload,
        principal: viewer.principal,
        fields,
        path: req.path,
        // Files sent again are new uploads of the same bytes: the form is the same by their hashes.
        ...(uploads.length === 0 ? {} : { sameAs: { ...payload, attachments: uploads.map((upload) => upload.sha256) } as Json }),
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
