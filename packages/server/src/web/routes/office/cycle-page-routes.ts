import type { Response } from 'express';
import { z } from 'zod';
import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { cycleKeyParam, cyclesBody, settingsOf } from '../../../cycles/cycle-input.ts';
import { cycleWorkbook } from '../../../cycles/cycle-workbook.ts';
import { CycleChangeRefused, NoTaskCycles } from '../../../cycles/reporting-cycles.ts';
import { attachmentDisposition } from '../../../http/content-disposition.ts';
import { HttpProblem } from '../../../http/http-problem.ts';
import { PAGE_NOT_FOUND } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import type { CyclesFormState } from '../../cycles/cycles-page.ts';
import { cyclesPage } from '../../cycles/cycles-page.ts';
import { formOf } from '../../forms/form-body.ts';
import type { QueryErrors } from '../../forms/query-fields.ts';
import { pagePlan, planView } from '../../plans/page-plan.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';
import type { Notice } from '../../view/layout.ts';

const cyclesQuery = z.strictObject({ plan: z.string().max(100).optional(), cycle: cycleKeyParam.optional() });
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * 信息报送: `GET /cycles?plan=&cycle=` (the cycles, 报送情况 of the running cycle or of `cycle`, the closed
 * cycles), `POST /cycles` (the office sets them: a day 29–31 or a change while the running cycle has
 * reports shows the page again with the reason, nothing stored), `POST /cycles/tasks` (a task's own
 * cycles: `task` its number, and the same fields) and `POST /cycles/tasks/remove` (back to the plan's),
 * refusals beside the field as the plan's form, and `GET /cycles/:cycle/reports.xlsx` (报送情况表).
 */
export const cyclePageRoutes: RouteModule = ({ cycles, planRecords, plans, clock }) => (router) => {
  const render = async (res: Response, status: number, asked: { plan?: string | undefined; cycle?: string | undefined }, notices: Notice[] = [], form?: CyclesFormState) => {
    const viewer = signedIn(res);
    const errors: QueryErrors = {};
    const plan = await pagePlan(planRecords, asked.plan, errors);
    const now = clock.now();
    const planId = plan.id;
    const current = planId === undefined ? undefined : await cycles.get(planId, now);
    const key = asked.cycle ?? current?.current?.key;
    const schedules = planId === undefined || key === undefined ? [] : await cycles.cycles(planId, key, now);
    if (asked.cycle !== undefined && schedules.length === 0) throw PAGE_NOT_FOUND;
    const facts = schedules.length === 0 ? undefined : await plans.facts({ at: now, now: true });
    const page = cyclesPage({
      viewer,
      plan: planView(plan, errors),
      planId,
      cycles: current,
      closed: planId === undefined ? [] : await cycles.closedCycles(planId),
      status: planId === undefined || facts === undefined ? undefined : await cycles.status(planId, schedules, facts.tasks, now),
      setter: (readers.setCycles as readonly string[]).includes(viewer.principal.role),
      notices,
      ...(form === undefined ? {} : { form }),
    });
    res.status(status).type('html').send(page.text);
  };

  router.get('/cycles', requireViewer(readers.cycles), async (req, res) => {
    const query = validateInput(cyclesQuery, req.query, 'query');
    await render(res, 200, query);
  });

  router.post('/cycles', requireViewer(readers.setCycles), async (req, res) => {
    const form = formOf(req.body);
    const planId = text(form['plan']);
    if (!(await planRecords.exists(planId))) throw PAGE_NOT_FOUND;
    const typed = { frequency: text(form['frequency']), day: text(form['day']), remindDays: text(form['remindDays']) };
    const body = {
      frequency: typed.frequency,
      ...(typed.day === '' ? {} : { day: typed.day === 'last' ? 'last' : /^\d{1,3}$/.test(typed.day) ? Number(typed.day) : typed.day }),
      ...(typed.remindDays === '' ? {} : { remindDays: /^\d{1,3}$/.test(typed.remindDays) ? Number(typed.remindDays) : typed.remindDays }),
    };
    try {
      const settings = settingsOf(validateInput(cyclesBody, body, 'body'));
      const set = await cycles.set(planId, settings, actorOf(signedIn(res).principal), clock.now());
      await render(res, 200, { plan: planId }, [{ kind: 'success', text: `报送周期已设为${set.description}。` }]);
    } catch (error) {
      if (error instanceof CycleChangeRefused) {
        await render(res, 409, { plan: planId }, [{ kind: 'error', text: `本期（${error.cycle}）已有 ${error.reports} 项报送，报送周期不能修改，请在本期截止后再修改。` }], { typed, errors: {} });
        return;
      }
      if (!(error instanceof HttpProblem) || error.status !== 422) throw error;
      const issues = (error.extensions as { errors?: { path: string; message: string }[] }).errors ?? [];
      const errors = Object.fromEntries(issues.map((issue) => [issue.path.replace(/^body\./, ''), issue.message]));
      await render(res, 422, { plan: planId }, [{ kind: 'error', text: '报送周期未保存，请按提示修改。' }], { typed, errors });
    }
  });

  /** The settings the form sent, as the API's body would carry them. Pure. */
  const sentSettings = (form: Record<string, unknown>) => {
    const typed = { frequency: text(form['frequency']), day: text(form['day']), remindDays: text(form['remindDays']) };
    const body = {
      frequency: typed.frequency,
      ...(typed.day === '' ? {} : { day: typed.day === 'last' ? 'last' : /^\d{1,3}$/.test(typed.day) ? Number(typed.day) : typed.day }),
      ...(typed.remindDays === '' ? {} : { remindDays: /^\d{1,3}$/.test(typed.remindDays) ? Number(typed.remindDays) : typed.remindDays }),
    };
    return { typed, body };
  };

  /** A task's own cycles set (`remove` false) or removed, from its form; a refusal shows the page again with the reason beside the field. */
  const taskCycles = (remove: boolean) => async (req: { body: unknown }, res: Response) => {
    const form = formOf(req.body);
    const planId = text(form['plan']);
    if (!(await planRecords.exists(planId))) throw PAGE_NOT_FOUND;
    const ref = text(form['task']);
    const { typed, body } = sentSettings(form);
    const task = /^\d{1,6}$/.test(ref) ? await cycles.task(planId, ref) : undefined;
    // The add form is `new` until a task is found; a task's own form is its number.
    const which = task !== undefined && (await cycles.overrides(planId, clock.now())).some((own) => own.taskId === task.id) ? String(task.number) : 'new';
    const state = (errors: Record<string, string>) => ({ task: which, typed: { ...typed, task: ref }, errors });
    if (task === undefined) {
      await render(res, 422, { plan: planId }, [{ kind: 'error', text: '未找到该任务，请填写本计划的任务序号。' }], state({ task: ref === '' ? '请填写任务序号' : `本计划没有第${ref}项任务` }));
      return;
    }
    try {
      const actor = actorOf(signedIn(res).principal);
      if (remove) {
        await cycles.setTask(planId, task, null, actor, clock.now());
        await render(res, 200, { plan: planId }, [{ kind: 'success', text: `第${task.number}项任务已改按计划的报送周期报送。` }]);
        return;
      }
      const settings = settingsOf(validateInput(cyclesBody, body, 'body'));
      const own = await cycles.setTask(planId, task, settings, actor, clock.now());
      await render(res, 200, { plan: planId }, [{ kind: 'success', text: `第${task.number}项任务的报送周期已设为${own?.description ?? ''}。` }]);
    } catch (error) {
      if (error instanceof CycleChangeRefused) {
        await render(res, 409, { plan: planId }, [{ kind: 'error', text: `第${task.number}项任务本期（${error.cycle}）已有 ${error.reports} 项报送，报送周期不能修改，请在本期截止后再修改。` }], state({}));
        return;
      }
      if (error instanceof NoTaskCycles) {
        await render(res, 404, { plan: planId }, [{ kind: 'error', text: `第${task.number}项任务未单独设定报送周期。` }]);
        return;
      }
      if (!(error instanceof HttpProblem) || error.status !== 422) throw error;
      const issues = (error.extensions as { errors?: { path: string; message: string }[] }).errors ?? [];
      await render(res, 422, { plan: planId }, [{ kind: 'error', text: '该任务的报送周期未保存，请按提示修改。' }], state(Object.fromEntries(issues.map((issue) => [issue.path.replace(/^body\./, ''), issue.message]))));
    }
  };

  router.post('/cycles/tasks', requireViewer(readers.setCycles), taskCycles(false));
  router.post('/cycles/tasks/remove', requireViewer(readers.setCycles), taskCycles(true));

  router.get('/cycles/:cycle/reports.xlsx', requireViewer(readers.cycles), async (req, res) => {
    const query = validateInput(cyclesQuery, req.query, 'query');
    const key = validateInput(cycleKeyParam, String(req.params['cycle']), 'path');
    const plan = await pagePlan(planRecords, query.plan, {});
    const now = clock.now();
    const schedules = plan.id === undefined ? [] : await cycles.cycles(plan.id, key, now);
    if (plan.id === undefined || schedules.length === 0) throw PAGE_NOT_FOUND;
    const status = await cycles.status(plan.id, schedules, (await plans.facts({ at: now, now: true })).tasks, now);
    const title = (await planRecords.get(plan.id))?.title ?? plan.id;
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .set('Content-Disposition', attachmentDisposition(`报送情况表-${key}.xlsx`, `reports-${key}.xlsx`))
      .set('Cache-Control', 'private, no-store')
      .send(await cycleWorkbook(status, title, now));
  });
};
