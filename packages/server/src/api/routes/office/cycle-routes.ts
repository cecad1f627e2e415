import type { Cycle } from '@duban/reform-task';
import { z } from 'zod';
import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf, principalOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { cycleKeyParam, cyclesBody, settingsOf, taskRefParam } from '../../../cycles/cycle-input.ts';
import { cycleWorkbook } from '../../../cycles/cycle-workbook.ts';
import type { CycleStatus, PlanCycles, ReportingCycles, TaskCycles } from '../../../cycles/reporting-cycles.ts';
import { attachmentDisposition } from '../../../http/content-disposition.ts';
import { problem } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { noQuery, planIdParam } from '../../schemas.ts';

/** A cycle as the API shows it. Pure. */
export const cycleView = (cycle: Cycle) => ({
  key: cycle.key,
  dueDate: cycle.dueDate,
  opensAt: new Date(cycle.opensAt).toISOString(),
  dueAt: new Date(cycle.dueAt).toISOString(),
  remindAt: new Date(cycle.remindAt).toISOString(),
});

/** 报送情况 as the API shows it. Pure. */
const statusView = (status: CycleStatus) => ({
  planId: status.planId,
  cycle: cycleView(status.cycle),
  closed: status.closed,
  schedules: status.schedules.map((schedule) => ({ taskId: schedule.taskId, cycle: cycleView(schedule.cycle), closed: schedule.closed })),
  reported: status.reported,
  unreported: status.unreported,
  parts: status.parts.map((part) => ({ taskId: part.taskId, number: part.number, unit: part.unit, lead: part.lead, schedule: part.schedule, dueDate: part.dueDate, reported: part.seq !== null, reportedAt: part.reportedAt, seq: part.seq })),
});

/** A task's own cycles as the API shows them, with its closed cycles. Does IO. */
const taskCyclesView = async (cycles: ReportingCycles, planId: string, own: TaskCycles) => ({
  taskId: own.taskId,
  number: own.number,
  settings: own.settings,
  description: own.description,
  current: own.current === null ? null : cycleView(own.current),
  closed: await cycles.closedCycles(planId, own.taskId),
});

/** A plan's cycles as the API shows them: the settings, the running and closed cycles, the tasks' own. Does IO. */
const planCyclesView = async (cycles: ReportingCycles, set: PlanCycles) => ({
  ...set,
  current: set.current === null ? null : cycleView(set.current),
  closed: await cycles.closedCycles(set.planId),
  overrides: await Promise.all(set.overrides.map((own) => taskCyclesView(cycles, set.planId, own))),
});

const planPath = z.strictObject({ id: planIdParam });
const cyclePath = z.strictObject({ id: planIdParam, cycle: cycleKeyParam });
const taskPath = z.strictObject({ id: planIdParam, task: taskRefParam });
const reportsQuery = z.strictObject({ task: taskRefParam.optional().describe('only this task (its number or id), by the schedule that judges it') });

/**
 * A plan's reporting cycles (信息报送): `GET /plans/:id/cycles` (the settings, the running cycle, the closed
 * cycles with their counts), `PUT /plans/:id/cycles` (the office sets them: 409 when a part has reported in
 * the running cycle, 422 for a day 29–31), `GET /plans/:id/cycles/:cycle/reports` (who reported and who
 * did not, across the plan's schedule and the tasks' own, or of `?task=` alone) and `.xlsx` (报送情况表),
 * `PUT|DELETE /plans/:id/cycles/tasks/:task` (the office gives a task cycles of its own, or removes
 * them: 409 when its parts have reported in the cycle running for it). 404 for an unknown plan or task,
 * or a cycle no schedule of the plan has.
 */
export const cycleRoutes: RouteModule = ({ cycles, planRecords, plans, clock }) => (router) => {
  const knownPlan = async (params: unknown) => {
    const { id } = validateInput(planPath, { id: (params as { id?: unknown }).id }, 'path');
    if (!(await planRecords.exists(id))) throw problem('planNotFound', `no plan ${id}`);
    return id;
  };
  const knownTask = async (params: unknown) => {
    const { id, task: ref } = validateInput(taskPath, params, 'path');
    if (!(await planRecords.exists(id))) throw problem('planNotFound', `no plan ${id}`);
    const task = await cycles.task(id, ref);
    if (task === undefined) throw problem('taskNotFound', `plan ${id} has no task ${ref}`);
    return { planId: id, task };
  };
  const status = async (params: unknown, query: unknown) => {
    const { id, cycle: key } = validateInput(cyclePath, params, 'path');
    const { task: ref } = validateInput(reportsQuery, query, 'query');
    if (!(await planRecords.exists(id))) throw problem('planNotFound', `no plan ${id}`);
    const task = ref === undefined ? undefined : await cycles.task(id, ref);
    if (ref !== undefined && task === undefined) throw problem('taskNotFound', `plan ${id} has no task ${ref}`);
    const now = clock.now();
    const schedules = await cycles.cycles(id, key, now, task?.id);
    if (schedules.length === 0) throw problem('cycleNotFound', `plan ${id} has no cycle ${key}`);
    const { tasks } = await plans.facts({ at: now, now: true });
    return cycles.status(id, schedules, tasks, now, task?.id);
  };

  router.get('/plans/:id/cycles', requireRole(readers.cycles, 'read reporting cycles'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const id = await knownPlan(req.params);
    res.json(await planCyclesView(cycles, await cycles.get(id, clock.now())));
  });

  router.put('/plans/:id/cycles', requireRole(readers.setCycles, 'set reporting cycles'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const id = await knownPlan(req.params);
    const body = validateInput(cyclesBody, req.body, 'body');
    const set = await cycles.set(id, settingsOf(body), actorOf(principalOf(res)), clock.now());
    res.json(await planCyclesView(cycles, set));
  });

  router.put('/plans/:id/cycles/tasks/:task', requireRole(readers.setCycles, 'set a task’s reporting cycles'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const { planId, task } = await knownTask(req.params);
    const body = validateInput(cyclesBody, req.body, 'body');
    const own = await cycles.setTask(planId, task, settingsOf(body), actorOf(principalOf(res)), clock.now());
    res.json(await taskCyclesView(cycles, planId, own!));
  });

  router.delete('/plans/:id/cycles/tasks/:task', requireRole(readers.setCycles, 'remove a task’s reporting cycles'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const { planId, task } = await knownTask(req.params);
    await cycles.setTask(planId, task, null, actorOf(principalOf(res)), clock.now());
    res.status(204).end();
  });

  router.get('/plans/:id/cycles/:cycle/reports', requireRole(readers.cycles, 'read who reported'), async (req, res) => {
    res.json(statusView(await status(req.params, req.query)));
  });

  router.get('/plans/:id/cycles/:cycle/reports.xlsx', requireRole(readers.cycles, 'read who reported'), async (req, res) => {
    const found = await status(req.params, req.query);
    const title = (await planRecords.get(found.planId))?.title ?? found.planId;
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .set('Content-Disposition', attachmentDisposition(`报送情况表-${found.cycle.key}.xlsx`, `reports-${found.cycle.key}.xlsx`))
      .set('Cache-Control', 'private, no-store')
      .send(await cycleWorkbook(found, title, clock.now()));
  });
};
