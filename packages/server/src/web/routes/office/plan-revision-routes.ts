import { PlanInputError } from '@duban/plan';
import { isCalendarDate } from '@duban/reform-task';
import type { Request, Response } from 'express';
import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { PAGE_NOT_FOUND } from '../../../http/problems.ts';
import { revisionChoices } from '../../../plans/plan-choices.ts';
import { PlanImportRefused } from '../../../plans/plan-import-refused.ts';
import type { ListedPlan } from '../../../plans/plan-records.ts';
import { formOf } from '../../forms/form-body.ts';
import { receivePlanForm } from '../../forms/plan-form.ts';
import { planRevisionPage } from '../../plans/plan-revision-page.ts';
import type { PageRevision, PlanRevisionPageOptions } from '../../plans/plan-revision-page.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';

const chinese = (message: string) => message.split(' / ')[0] ?? message;

/**
 * 修订计划 (office, admin): `GET /plans/:id/revise` (the plan's state, an upload form); `POST
 * /plans/:id/revise` (multipart; origin and anti-forgery token checked): `step=preview` compares the
 * revised file with the plan and shows the difference with a checkbox each; `step=apply` applies the
 * chosen ones with the reason (the file posted back, nothing kept between the two), all or nothing;
 * `POST /plans/:id/active` (`active=true|false`) sets the plan active or archived; `POST /plans/:id/tasks`
 * (`add_reason`, `add_text`, `add_lead` and `add_responsible` one unit a line, `add_date`, `add_number`)
 * adds a task (领导交办, 会议议定事项) with its reason. A refusal shows
 * the page again with the message beside its field and changes nothing; success comes back with a notice.
 */
export const planRevisionRoutes: RouteModule = (deps) => (router) => {
  const { planRecords, planAmendments, planImports, clock } = deps;
  const office = requireViewer(readers.planImport);

  const planOf = async (req: Request): Promise<ListedPlan> => {
    const plan = (await planRecords.list()).find((listed) => listed.id === req.params['id']);
    if (plan === undefined) throw PAGE_NOT_FOUND;
    return plan;
  };
  const page = async (res: Response, status: number, plan: ListedPlan, options: Omit<PlanRevisionPageOptions, 'viewer' | 'plan'> = {}) => {
    res.status(status).type('html').send(planRevisionPage({ viewer: signedIn(res), plan, ...options }).text);
  };

  router.get('/plans/:id/revise', office, async (req, res) => {
    const plan = await planOf(req);
    const notice = typeof req.query['done'] === 'string' ? req.query['done'] : undefined;
    await page(res, 200, plan, { notices: notice === undefined ? [] : [{ kind: 'success', text: notice.slice(0, 200) }] });
  });

  router.post('/plans/:id/active', office, async (req, res) => {
    const plan = await planOf(req);
    const active = formOf(req.body)['active'] === 'true';
    await planRecords.setActive(plan.id, active);
    res.redirect(303, `/plans/${encodeURIComponent(plan.id)}/revise?done=${encodeURIComponent(active ? '计划已恢复为执行中。' : '计划已设为已归档。')}`);
  });

  router.post('/plans/:id/tasks', office, async (req, res) => {
    const plan = await planOf(req);
    const form = formOf(req.body);
    const typed = Object.fromEntries(['add_reason', 'add_text', 'add_lead', 'add_responsible', 'add_date', 'add_number'].map((name) => [name, typeof form[name] === 'string' ? (form[name] as string) : '']));
    const lines = (text: string) => [...new Set(text.split(/[\n\r、，,；;]+/).map((name) => name.trim()).filter((name) => name !== ''))];
    const errors: Record<string, string> = {};
    const reason = typed['add_reason']!.trim();
    const text = typed['add_text']!.trim();
    const leadUnits = lines(typed['add_lead']!);
    const date = typed['add_date']!.trim();
    const number = typed['add_number']!.trim();
    if (reason === '') errors['add_reason'] = '请填写交办依据（如某次会议议定、某位领导交办）';
    if (text === '') errors['add_text'] = '请填写任务内容';
    if (leadUnits.length === 0) errors['add_lead'] = '请至少填写一个牵头单位';
    if (date !== '' && !isCalendarDate(date)) errors['add_date'] = '日期须为有效的 YYYY-MM-DD';
    if (number !== '' && !/^[1-9]\d{0,3}$/.test(number)) errors['add_number'] = '序号须为 1 至 9999 的整数';
    if (Object.keys(errors).length === 0) {
      try {
        const added = await planAmendments.addTask(
          plan.id,
          { reason, text, leadUnits, responsibleUnits: lines(typed['add_responsible']!), deadline: { date: date === '' ? null : date }, ...(number === '' ? {} : { number: Number(number) }) },
          actorOf(signedIn(res).principal),
          clock.now(),
        );
        res.redirect(303, `/plans/${encodeURIComponent(plan.id)}/revise?done=${encodeURIComponent(`已增补任务 ${added.created.join('、')}。`)}`);
        return;
      } catch (error) {
        if (!(error instanceof PlanImportRefused)) throw error;
        for (const issue of error.issues) {
          const name = issue.path.startsWith('leadUnits') ? 'add_lead' : issue.path.startsWith('responsibleUnits') ? 'add_responsible' : issue.path === 'number' ? 'add_number' : 'add_reason';
          errors[name] = errors[name] === undefined ? issue.message : `${errors[name]}；${issue.message}`;
        }
        await page(res, error.reason === 'number-taken' ? 409 : 422, plan, { addition: typed, errors });
        return;
      }
    }
    await page(res, 422, plan, { addition: typed, errors });
  });

  router.post('/plans/:id/revise', office, async (req: Request, res: Response) => {
    const plan = await planOf(req);
    const viewer = signedIn(res);
    const form = await receivePlanForm(req, planImports.maxBytes, viewer.csrf, 'apply');
    if (form.refused !== undefined) {
      await page(res, form.refused.status, plan, { errors: { file: form.refused.message } });
      return;
    }
    const { fields, source } = form;
    if (source === undefined) {
      await page(res, 422, plan, { errors: { file: '请选择修订稿' } });
      return;
    }
    let revision: PageRevision;
    try {
      const preview = await planAmendments.preview(plan.id, source, clock.now());
      revision = { preview, fileName: source.fileName, source: Buffer.from(source.bytes).toString('base64') };
    } catch (error) {
      if (error instanceof PlanInputError) {
        await page(res, 422, plan, { errors: { file: chinese(error.message) } });
        return;
      }
      throw error;
    }
    if (fields['step'] !== 'apply') {
      await page(res, 200, plan, { revision });
      return;
    }
    const chosen = Object.keys(fields).filter((name) => name.startsWith('apply:')).map((name) => name.slice('apply:'.length));
    const typed = { reason: fields['reason'] ?? '', apply: chosen };
    try {
      const choices = revisionChoices({ basis: fields['basis'] ?? '', reason: fields['reason'] ?? '', apply: chosen });
      const applied = await planAmendments.apply(plan.id, source, choices, actorOf(viewer.principal), clock.now());
      const done = `已应用修订：新增 ${applied.created.length} 项，调整 ${applied.amended.length} 项，撤销 ${applied.withdrawn.length} 项。`;
      res.redirect(303, `/plans/${encodeURIComponent(plan.id)}/revise?done=${encodeURIComponent(done)}`);
    } catch (error) {
      if (!(error instanceof PlanImportRefused)) throw error;
      if (error.reason === 'stale-revision') {
        // The difference shown is no longer the plan's: show the fresh one, saying why.
        await page(res, 409, plan, { revision, typed, notices: [{ kind: 'error', text: error.issues[0]?.message ?? '计划已有变动，请重新比对。' }] });
        return;
      }
      const errors: Record<string, string> = {};
      for (const issue of error.issues) {
        const field = issue.path === 'reason' ? 'reason' : 'apply';
        errors[field] = errors[field] === undefined ? issue.message : `${errors[field]}；${issue.message}`;
      }
      await page(res, 422, plan, { revision, typed, errors });
    }
  });
};
