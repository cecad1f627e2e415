import type { Actor } from '@duban/engine';
import { CREATE_EVENT, Engine } from '@duban/engine';
import { ReportingCycles } from '../../src/cycles/reporting-cycles.ts';
import { organisationV1 } from '@duban/organisation';
import type { ReformTaskContext } from '@duban/reform-task';
import { reformTaskV1, reportingCycleV1 } from '@duban/reform-task';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleReportsResponse, planCyclesResponse, taskCyclesResponse } from '../../src/api/schemas.ts';
import { createLogger } from '../../src/app/create-logger.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import type { TestServer } from '../support/test-server.ts';
import { PLAN_ID, problemOf, reopenableDatabase, startTestServer, taskId } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

const CYCLES = `/api/plans/${PLAN_ID}/cycles`;
const TASK2 = `${CYCLES}/tasks/2`;
/** Task 2's own schedule: `cycles:<plan>#<number>`. */
const OWN2 = `cycles:${PLAN_ID}#2`;
const put = (body: unknown) => ({ method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const remove = { method: 'DELETE' };

interface Line {
  taskId: string;
  unit: string;
  lead: boolean;
  schedule: 'plan' | 'task';
  dueDate: string;
  reported: boolean;
}
interface Status {
  cycle: { key: string };
  closed: boolean;
  schedules: { taskId: string | null; closed: boolean; cycle: { dueDate: string } }[];
  reported: number;
  unreported: number;
  parts: Line[];
}

describe('a task with reporting cycles of its own (per-task override)', () => {
  let s: TestServer;
  let office: string;
  const leadOf = async (n: number) => ((await s.engine.getInstance(taskId(n)))!.snapshot.context as ReformTaskContext).leadUnits[0]!;
  const status = async (path: string): Promise<Status> => {
    const response = await s.request(path, { token: office });
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as Status;
    expect(cycleReportsResponse.safeParse(body).error).toBeUndefined();
    return body;
  };
  const noticesOf = (seq: number) => s.db.selectFrom('notification').selectAll().where('entry_seq', '=', seq).orderBy('id').execute();
  const timersOf = async (id: string) => (await s.engine.timers(id)).map((timer) => [timer.key, new Date(timer.dueAt).toISOString()]);

  beforeAll(async () => {
    s = await startTestServer();
    office = await s.token('office');
    // The plan's cycles: monthly on the 5th (June runs on 10 May).
    expect((await s.request(CYCLES, { token: office, ...put({ frequency: 'monthly', day: 5 }) })).status).toBe(200);
  });
  afterAll(() => s.close());

  it('given bad settings, an unknown task or plan, a unit, or no override to remove, when sent, then 422 (the field), 404, 403, 404 task-cycles-not-found, and nothing is written', async () => {
    const before = await s.auditCount();
    const day31 = await s.request(TASK2, { token: office, ...put({ frequency: 'monthly', day: 31 }) });
    expect(day31.status).toBe(422);
    expect(((await day31.json()) as { errors: { path: string; message: string }[] }).errors).toContainEqual({ path: 'body.day', message: expect.stringContaining('月末') });
    expect((await s.request(TASK2, { token: office, ...put({ frequency: 'monthly' }) })).status).toBe(422);
    expect((await s.request(`${CYCLES}/tasks/999`, { token: office, ...put({ frequency: 'monthly', day: 20 }) })).status).toBe(404);
    expect((await s.request(`/api/plans/no-such-plan/cycles/tasks/2`, { token: office, ...put({ frequency: 'monthly', day: 20 }) })).status).toBe(404);
    expect((await s.request(TASK2, { token: await s.token('unit', await leadOf(2)), ...put({ frequency: 'monthly', day: 20 }) })).status).toBe(403);
    expect((await s.request(TASK2, { token: await s.token('reviewer'), ...remove })).status).toBe(403);
    const none = await s.request(`${CYCLES}/tasks/3`, { token: office, ...remove });
    expect(none.status).toBe(404);
    expect((await problemOf(none))['type']).toBe('urn:duban:problem:task-cycles-not-found');
    expect(await s.auditCount()).toBe(before);
    expect(await s.engine.getInstance(OWN2)).toBeUndefined();
  });

  it('when the office gives task 2 monthly cycles on the 20th, then it is an audited SET_CYCLES entry of its own schedule (workflow version 2) whose timers are armed at its own due day, and the plan lists it', async () => {
    const response = await s.request(TASK2, { token: office, ...put({ frequency: 'monthly', day: 20 }) });
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as unknown;
    expect(taskCyclesResponse.safeParse(body).error).toBeUndefined();
    expect(body).toMatchObject({ taskId: taskId(2), number: 2, settings: { frequency: 'monthly', day: 20, remindDays: 3 }, description: '每月20日', current: { key: '2023-05', dueDate: '2023-05-20' } });
    expect((await s.engine.history(OWN2)).map((entry) => [entry.type, entry.actor.role])).toEqual([[CREATE_EVENT, 'office'], ['SET_CYCLES', 'office']]);
    expect((await s.engine.getInstance(OWN2))!.workflowVersion).toBe(2);
    expect(await timersOf(OWN2)).toEqual([
      ['remind:2023-05', '2023-05-17T01:00:00.000Z'],
      ['due:2023-05', '2023-05-20T16:00:00.000Z'],
    ]);
    expect(await timersOf(`cycles:${PLAN_ID}`)).toEqual([
      ['remind:2023-06', '2023-06-02T01:00:00.000Z'],
      ['due:2023-06', '2023-06-05T16:00:00.000Z'],
    ]);
    const plan = (await (await s.request(CYCLES, { token: office })).json()) as unknown;
    expect(planCyclesResponse.safeParse(plan).error).toBeUndefined();
    expect(plan).toMatchObject({ description: '每月5日', overrides: [{ taskId: taskId(2), number: 2, description: '每月20日', closed: [] }] });
  });

  it('then the plan\'s June lists no part of task 2, task 2\'s own May and June list only its parts, and the inbox counts each part once', async () => {
    const june = await status(`${CYCLES}/2023-06/reports`);
    expect(june.schedules.map((schedule) => [schedule.taskId, schedule.cycle.dueDate])).toEqual([
      [null, '2023-06-05'],
      [taskId(2), '2023-06-20'],
    ]);
    const planLines = june.parts.filter((part) => part.schedule === 'plan');
    const ownLines = june.parts.filter((part) => part.schedule === 'task');
    expect(planLines.length).toBeGreaterThan(0);
    expect(planLines.some((part) => part.taskId === taskId(2))).toBe(false);
    expect(new Set(ownLines.map((part) => part.taskId))).toEqual(new Set([taskId(2)]));
    expect(ownLines.map((part) => part.unit)).toEqual([await leadOf(2), '独山子区人民政府', '克拉玛依区人民政府', '白碱滩区人民政府', '乌尔禾区人民政府']);
    const may = await status(`${CYCLES}/2023-05/reports?task=2`);
    expect(may.schedules.map((schedule) => schedule.taskId)).toEqual([taskId(2)]);
    expect(may.parts.map((part) => [part.taskId, part.schedule, part.dueDate])).toEqual(ownLines.map(() => [taskId(2), 'task', '2023-05-20']));
    const inbox = (await (await s.request('/api/inbox', { token: office })).json()) as { counts: { unreported: number } };
    expect(inbox.counts.unreported).toBe(planLines.length + may.parts.length);
  });

  it('given task 2\'s lead reported in its own running cycle, when the office changes or removes task 2\'s cycles, then 409 and nothing is written; the plan\'s cycles still change (task 2 is not the plan\'s to judge)', async () => {
    const lead = await s.token('unit', await leadOf(2));
    expect((await s.send(lead, taskId(2), { type: 'START' })).status).toBe(200);
    expect((await s.send(lead, taskId(2), { type: 'PROGRESS', summary: '已完成系统对接', percent: 40 })).status).toBe(200);
    const before = await s.auditCount();
    const refused = await s.request(TASK2, { token: office, ...put({ frequency: 'quarterly', day: 'last' }) });
    expect(refused.status).toBe(409);
    expect(await problemOf(refused)).toMatchObject({ type: 'urn:duban:problem:cycles-change-refused', cycle: '2023-05', reports: 1, taskId: taskId(2) });
    expect((await s.request(TASK2, { token: office, ...remove })).status).toBe(409);
    expect(await s.auditCount()).toBe(before);
    expect((await s.engine.getInstance(OWN2))!.version).toBe(2);
    // The plan's June window holds task 2's report too, but the plan's schedule does not judge task 2.
    expect((await s.request(CYCLES, { token: office, ...put({ frequency: 'monthly', day: 5 }) })).status).toBe(200);
    expect(await s.auditCount()).toBe(before + 1);
  });

  it('when 17 May 09:00 comes, then only task 2\'s schedule reminds, and only task 2\'s units that have not reported', async () => {
    s.clock.set('2023-05-17T09:00:00+08:00');
    const fired = (await s.engine.fireDue(s.clock.now())).fired;
    expect(fired.map((entry) => [entry.instanceId, entry.type, entry.payload])).toEqual([[OWN2, 'REMIND', { cycle: '2023-05' }]]);
    const reminders = await noticesOf(fired[0]!.seq);
    expect(reminders.map((notice) => notice.unit).sort()).toEqual(['独山子区人民政府', '克拉玛依区人民政府', '白碱滩区人民政府', '乌尔禾区人民政府'].sort());
    expect(reminders.every((notice) => notice.task_id === taskId(2) && notice.title.includes('2023-05-20'))).toBe(true);
  });

  it('when 20 May ends, then task 2\'s CYCLE_DUE fires once (the plan\'s not at all): 催报 to its unreported units only, its closed cycle recorded as the task\'s, 未报 marks and the assessment count it', async () => {
    s.clock.set('2023-05-21T00:00:00+08:00');
    const fired = (await s.engine.fireDue(s.clock.now())).fired;
    expect(fired.map((entry) => [entry.instanceId, entry.type, entry.payload])).toEqual([[OWN2, 'CYCLE_DUE', { cycle: '2023-05' }]]);
    const urged = await noticesOf(fired[0]!.seq);
    expect(urged.map((notice) => notice.unit).sort()).toEqual(['独山子区人民政府', '克拉玛依区人民政府', '白碱滩区人民政府', '乌尔禾区人民政府'].sort());
    expect(urged[0]!.title).toContain('催报');
    expect((await s.engine.fireDue(s.clock.now())).fired).toEqual([]);
    expect(await noticesOf(fired[0]!.seq)).toHaveLength(urged.length);

    const recorded = await s.db.selectFrom('cycle_part').selectAll().execute();
    expect(new Set(recorded.map((row) => [row.schedule, row.cycle_key, row.task_id].join(' ')))).toEqual(new Set([`task 2023-05 ${taskId(2)}`]));
    expect(recorded.filter((row) => row.reported_seq !== null).map((row) => row.unit)).toEqual([await leadOf(2)]);
    expect(await timersOf(OWN2)).toEqual([
      ['remind:2023-06', '2023-06-17T01:00:00.000Z'],
      ['due:2023-06', '2023-06-20T16:00:00.000Z'],
    ]);
    const task = (await (await s.request(`/api/tasks/${taskId(2)}`, { token: office })).json()) as { unreported: string[] };
    expect(task.unreported.sort()).toEqual(urged.map((notice) => notice.unit).sort());
    const plan = (await (await s.request(CYCLES, { token: office })).json()) as { closed: unknown[]; overrides: { closed: { key: string; parts: number; reported: number }[] }[] };
    expect(plan.closed).toEqual([]);
    expect(plan.overrides[0]!.closed).toEqual([{ key: '2023-05', dueAt: '2023-05-20T16:00:00.000Z', parts: 5, reported: 1 }]);

    const units = (await (await s.request(`/api/reports/units?unit=${encodeURIComponent('独山子区人民政府')}`, { token: office })).json()) as {
      units: { unit: string; byRule: { ruleId: string; count: number }[]; reasons?: { ruleId: string; taskId: string; text: string }[] }[];
    };
    const district = units.units.find((row) => row.unit === '独山子区人民政府')!;
    expect(district.byRule.find((rule) => rule.ruleId === 'unreported-responsible')?.count).toBe(1);
    expect(district.reasons?.filter((reason) => reason.ruleId === 'unreported-responsible').map((reason) => reason.taskId)).toEqual([taskId(2)]);
  });

  it('when the plan\'s June falls due, then its record leaves task 2 out; June\'s reports and 报送情况表 list both schedules\' lines, task 2\'s marked as its own', async () => {
    s.clock.set('2023-06-06T00:00:00+08:00');
    const fired = (await s.engine.fireDue(s.clock.now())).fired;
    expect(fired.filter((entry) => entry.type === 'CYCLE_DUE').map((entry) => entry.instanceId)).toEqual([`cycles:${PLAN_ID}`]);
    const planRows = await s.db.selectFrom('cycle_part').selectAll().where('schedule', '=', 'plan').execute();
    expect(planRows.length).toBeGreaterThan(0);
    expect(planRows.some((row) => row.task_id === taskId(2))).toBe(false);

    const june = await status(`${CYCLES}/2023-06/reports`);
    expect(june.schedules.map((schedule) => [schedule.taskId, schedule.closed])).toEqual([
      [null, true],
      [taskId(2), false],
    ]);
    expect(june.closed).toBe(false);
    expect(june.parts.filter((part) => part.schedule === 'plan')).toHaveLength(planRows.length);
    const download = await s.request(`${CYCLES}/2023-06/reports.xlsx`, { token: office });
    expect(download.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await download.arrayBuffer()) as never);
    const sheet = workbook.getWorksheet('报送情况')!;
    const lines: string[][] = [];
    for (let row = 3; row < 3 + june.parts.length; row++) lines.push([String(sheet.getCell(row, 1).value), String(sheet.getCell(row, 3).value), String(sheet.getCell(row, 7).value)]);
    const own = lines.filter((line) => line[2]!.startsWith('本任务单独设定'));
    expect(own).toEqual(june.parts.filter((part) => part.schedule === 'task').map((part) => ['2', part.unit, '本任务单独设定（2023年6月20日截止）']));
    expect(lines.length - own.length).toBe(planRows.length);
  });

  it('when the office removes task 2\'s cycles, then an audited CLEAR_CYCLES entry disarms its timers and the plan\'s July judges task 2 again', async () => {
    const removed = await s.request(TASK2, { token: office, ...remove });
    expect(removed.status, await removed.clone().text()).toBe(204);
    expect((await s.engine.history(OWN2)).map((entry) => entry.type).slice(-1)).toEqual(['CLEAR_CYCLES']);
    expect(await s.engine.timers(OWN2)).toEqual([]);
    expect(((await (await s.request(CYCLES, { token: office })).json()) as { overrides: unknown[] }).overrides).toEqual([]);
    const july = await status(`${CYCLES}/2023-07/reports`);
    expect(july.schedules.map((schedule) => schedule.taskId)).toEqual([null]);
    expect(july.parts.filter((part) => part.taskId === taskId(2)).map((part) => part.schedule)).toEqual(['plan', 'plan', 'plan', 'plan', 'plan']);

    // Task 3, recorded in the plan's June, takes its own cycles now: June's record still names its lead.
    const recordedLead = (june: Status) => june.parts.filter((part) => part.taskId === taskId(3) && part.schedule === 'plan').map((part) => [part.unit, part.lead]);
    const before = recordedLead(await status(`${CYCLES}/2023-06/reports`));
    expect(before).toContainEqual([await leadOf(3), true]);
    expect((await s.request(`${CYCLES}/tasks/3`, { token: office, ...put({ frequency: 'quarterly', day: 'last' }) })).status).toBe(200);
    expect(recordedLead(await status(`${CYCLES}/2023-06/reports`))).toEqual(before);
    expect((await s.engine.replay()).differences).toEqual([]);
  });
});

describe('a task\'s own cycles across restarts, and plans whose cycles began on workflow version 1', () => {
  const OFFICE: Actor = { role: 'office', unit: null };
  const logger = createLogger({ level: 'silent' });

  it('given task 2\'s own cycles (月末) and the server down through its due day, when it starts again, then that CYCLE_DUE fires once, the late reminder is dropped, and a third start fires nothing', async () => {
    const db = await reopenableDatabase();
    const first = await startTestServer({ db });
    expect((await first.request(TASK2, { token: await first.token('office'), ...put({ frequency: 'monthly', day: 'last' }) })).status).toBe(200);
    await first.close();

    const second = await startTestServer({ db, seed: async () => undefined, startAt: '2023-06-01T10:00:00+08:00' });
    const caughtUp = await new Scheduler(second.engine, second.clock, logger).start();
    expect((caughtUp?.fired ?? []).filter((entry) => entry.instanceId === OWN2).map((entry) => [entry.type, entry.payload])).toEqual([['CYCLE_DUE', { cycle: '2023-05' }]]);
    expect((caughtUp?.dropped ?? []).filter((timer) => timer.instanceId === OWN2).map((timer) => timer.key)).toEqual(['remind:2023-05']);
    const urged = await second.db.selectFrom('notification').select(['unit', 'task_id']).where('type', '=', 'CYCLE_DUE').execute();
    expect(urged.length).toBe(5);
    expect(urged.every((row) => row.task_id === taskId(2))).toBe(true);
    await second.close();

    const third = await startTestServer({ db, seed: async () => undefined, startAt: '2023-06-01T10:00:05+08:00' });
    const again = await new Scheduler(third.engine, third.clock, logger).start();
    expect(again?.fired.filter((entry) => entry.instanceId === OWN2)).toEqual([]);
    expect(await third.db.selectFrom('notification').select('id').where('type', '=', 'CYCLE_DUE').execute()).toHaveLength(urged.length);
    expect((await third.engine.replay()).differences).toEqual([]);
    expect(await third.engine.verify()).toMatchObject({ ok: true });
    await third.close();
  });

  it('given a plan whose cycles were set on version 1 before overrides existed, when the server of today opens it, then it stays on version 1, replays and verifies, takes a task override, and its due day leaves that task out', async () => {
    const db = await reopenableDatabase();
    const first = await startTestServer({ db });
    // The server as it was: only version 1 of the reporting cycles registered.
    const before = new Engine(first.engine.store, [reformTaskV1, organisationV1, reportingCycleV1]);
    const at = first.clock.now();
    await before.create([{ id: `cycles:${PLAN_ID}`, workflow: 'reporting-cycle', input: { planId: PLAN_ID } }], OFFICE, at);
    await before.send(`cycles:${PLAN_ID}`, { type: 'SET_CYCLES', payload: { frequency: 'monthly', day: 5, remindDays: 3 } }, OFFICE, at);
    await first.close();

    const s = await startTestServer({ db, seed: async () => undefined, startAt: '2023-05-11T09:00:00+08:00' });
    try {
      expect((await s.engine.getInstance(`cycles:${PLAN_ID}`))!.workflowVersion).toBe(1);
      expect((await s.engine.replay()).differences).toEqual([]);
      expect(await s.engine.verify()).toMatchObject({ ok: true });
      const office = await s.token('office');
      expect((await s.request(TASK2, { token: office, ...put({ frequency: 'quarterly', day: 'last' }) })).status).toBe(200);
      expect(((await (await s.request(CYCLES, { token: office })).json()) as object)).toMatchObject({ settings: { frequency: 'monthly', day: 5 }, overrides: [{ taskId: taskId(2), description: '每季度季末' }] });

      s.clock.set('2023-06-06T00:00:00+08:00');
      const fired = (await s.engine.fireDue(s.clock.now())).fired;
      expect(fired.filter((entry) => entry.type === 'CYCLE_DUE').map((entry) => [entry.instanceId, entry.payload])).toEqual([[`cycles:${PLAN_ID}`, { cycle: '2023-06' }]]);
      const rows = await s.db.selectFrom('cycle_part').select(['task_id', 'schedule']).execute();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((row) => row.task_id === taskId(2))).toBe(false);
      expect(rows.every((row) => row.schedule === 'plan')).toBe(true);
      expect((await s.engine.getInstance(`cycles:${PLAN_ID}`))!.workflowVersion).toBe(1);
      expect((await s.engine.replay()).differences).toEqual([]);
      expect(await s.engine.verify()).toMatchObject({ ok: true });
    } finally {
      await s.close();
    }
  });
});

describe('a task\'s own cycles on the 信息报送 page', () => {
  it('given the office signed in, when it adds task 2\'s own cycles by its form, then a bad number or day 31 shows the reason beside the field and stores nothing; a good one lists it; removing it goes back to the plan\'s', async () => {
    const s = await startTestServer();
    try {
      const office = await s.token('office');
      const web = new WebClient(s.url);
      await web.signIn(office);
      const page = await web.get('/cycles');
      expect(page.status).toBe(200);
      expect(textOf(page.body)).toContain('为某项任务单独设定');
      const before = await s.auditCount();
      const unknown = await web.post('/cycles/tasks', { plan: PLAN_ID, task: '999', frequency: 'monthly', day: '20', remindDays: '3' });
      expect(unknown.status).toBe(422);
      expect(unknown.body).toMatch(/id="task-cycles-new-task-error">本计划没有第999项任务/);
      const day31 = await web.post('/cycles/tasks', { plan: PLAN_ID, task: '2', frequency: 'monthly', day: '31', remindDays: '3' });
      expect(day31.status).toBe(422);
      expect(day31.body).toMatch(/id="task-cycles-new-day-error">[^<]*月末/);
      expect((await web.post('/cycles/tasks', { plan: PLAN_ID, task: '2', frequency: 'monthly', day: '20', remindDays: '3' }, { csrf: null })).status).toBe(403);
      expect(await s.auditCount()).toBe(before);

      const saved = await web.post('/cycles/tasks', { plan: PLAN_ID, task: '2', frequency: 'quarterly', day: 'last', remindDays: '5' });
      expect(saved.status).toBe(200);
      expect(textOf(saved.body)).toContain('第2项任务的报送周期已设为每季度季末');
      expect(saved.body).toContain('id="task-cycles-2-frequency"');
      expect(await s.auditCount()).toBe(before + 2);
      expect((await s.engine.getInstance(OWN2))!.snapshot.context).toMatchObject({ taskId: taskId(2), settings: { frequency: 'quarterly', day: 'last', remindDays: 5 } });

      const removed = await web.post('/cycles/tasks/remove', { plan: PLAN_ID, task: '2' });
      expect(removed.status).toBe(200);
      expect(textOf(removed.body)).toContain('第2项任务已改按计划的报送周期报送');
      expect(removed.body).not.toContain('id="task-cycles-2-frequency"');
      const again = await web.post('/cycles/tasks/remove', { plan: PLAN_ID, task: '2' });
      expect(again.status).toBe(404);
      expect(await s.auditCount()).toBe(before + 3);
    } finally {
      await s.close();
    }
  });
});

describe('a task\'s cycles change racing a report', () => {
  const OFFICE: Actor = { role: 'office', unit: null };

  it('given task 2\'s own cycles and no report when the office read them, when its lead reports just before the change is written, then the change is refused and nothing is written', async () => {
    const s = await startTestServer();
    try {
      const task = { id: taskId(2), number: 2 };
      await new ReportingCycles(s.engine, s.db).setTask(PLAN_ID, task, { frequency: 'monthly', day: 20, remindDays: 3 }, OFFICE, s.clock.now());
      const lead = await s.token('unit', ((await s.engine.getInstance(taskId(2)))!.snapshot.context as ReformTaskContext).leadUnits[0]!);
      expect((await s.send(lead, taskId(2), { type: 'START' })).status).toBe(200);
      let entries = 0;
      let ran = false;
      // The engine, with a report landing just before the change's entry is sent: after the cycles were read.
      const racing = new Proxy(s.engine, {
        get(target, property) {
          if (property === 'send') {
            return async (...args: Parameters<Engine['send']>) => {
              if (args[0] === OWN2 && !ran) {
                ran = true;
                expect((await s.send(lead, taskId(2), { type: 'PROGRESS', summary: '已完成系统对接' })).status).toBe(200);
                entries = await s.auditCount();
              }
              return target.send(...args);
            };
          }
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const timers = await s.engine.timers(OWN2);

      await expect(new ReportingCycles(racing, s.db).setTask(PLAN_ID, task, null, OFFICE, s.clock.now())).rejects.toMatchObject({ name: 'CycleChangeRefused', cycle: '2023-05', reports: 1, taskId: taskId(2) });

      expect(entries).toBeGreaterThan(0);
      expect(await s.auditCount()).toBe(entries);
      expect(await s.engine.timers(OWN2)).toEqual(timers);
    } finally {
      await s.close();
    }
  });
});
