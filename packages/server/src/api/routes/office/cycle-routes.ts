import type { Cycle } from '@duban/reform-task';
import { z } from 'zod';
import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf, principalOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { cycleKeyParam, cyclesBody, settingsOf } from '../../../cycles/cycle-input.ts';
import { cycleWorkbook } from '../../../cycles/cycle-workbook.ts';
import type { CycleStatus } from '../../../cycles/reporting-cycles.ts';
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
  reported: status.reported,
  unreported: status.unreported,
  parts: status.parts.map((part) => ({ taskId: part.taskId, number: part.number, unit: part.unit, lead: part.lead, reported: part.seq !== null, reportedAt: part.reportedAt, seq: part.seq })),
});

const planPath = z.strictObject({ id: planIdParam });
const cyclePath = z.strictObject({ id: planIdParam, cycle: cycleKeyParam });

/**
 * A plan's reporting cycles (信息报送): `GET /plans/:id/cycles` (the settings, the running cycle, the closed
 * cycles with their counts), `PUT /plans/:id/cycles` (the office sets them: 409 when a part has reported in
 * the running cycle, 422 for a day 29–31), `GET /plans/:id/cycles/:cycle/reports` (who reported and who
 * did not) and `.xlsx` (报送情况表). 404 for an unknown plan, or a cycle the plan does not have.
 */
export const cycleRoutes: RouteModule = ({ cycles, planRecords, plans, clock }) => (router) => {
  const knownPlan = async (params: unknown) => {
    const { id } = validateInput(planPath, { id: (params as { id?: unknown }).id }, 'path');
    if (!(await planRecords.exists(id))) throw problem('planNotFound', `no plan ${id}`);
    return id;
  };
  const status = async (params: unknown) => {
    const { id, cycle: key } = validateInput(cyclePath, params, 'path');
    if (!(await planRecords.exists(id))) throw problem('planNotFound', `no plan ${id}`);
    const cycle = await cycles.cycle(id, key);
    if (cycle === undefined) throw problem('cycleNotFound', `plan ${id} has no cycle ${key}`);
    const now = clock.now();
    const { tasks } = await plans.facts({ at: now, now: true });
    return cycles.status(id, cycle, tasks, now);
  };

  router.get('/plans/:id/cycles', requireRole(readers.cycles, 'read reporting cycles'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const id = await knownPlan(req.params);
    const current = await cycles.get(id, clock.now());
    res.json({ ...current, current: current.current === null ? null : cycleView(current.current), closed: await cycles.closedCycles(id) });
  });

  router.put('/plans/:id/cycles', requireRole(readers.setCycles, 'set reporting cycles'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const id = await knownPlan(req.params);
    const body = validateInput(cyclesBody, req.body, 'body');
    const set = await cycles.set(id, settingsOf(body), actorOf(principalOf(res)), clock.now());
    res.json({ ...set, current: set.current === null ? null : cycleView(set.current), closed: await cycles.closedCycles(id) });
  });

  router.get('/plans/:id/cycles/:cycle/reports', requireRole(readers.cycles, 'read who reported'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    res.json(statusView(await status(req.params)));
  });

  router.get('/plans/:id/cycles/:cycle/reports.xlsx', requireRole(readers.cycles, 'read who reported'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const found = await status(req.params);
    const title = (await planRecords.get(found.planId))?.title ?? found.planId;
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .set('Content-Disposition', attachmentDisposition(`报送情况表-${found.cycle.key}.xlsx`, `reports-${found.cycle.key}.xlsx`))
      .set('Cache-Control', 'private, no-store')
      .send(await cycleWorkbook(found, title, clock.now()));
  });
};
