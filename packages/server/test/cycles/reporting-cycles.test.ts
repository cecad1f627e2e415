import { CREATE_EVENT } from '@duban/engine';
import type { ReformTaskContext } from '@duban/reform-task';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleReportsResponse, planCyclesResponse } from '../../src/api/schemas.ts';
import { createLogger } from '../../src/app/create-logger.ts';
import { migrateServerSchema } from '../../src/db/server-migrations.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import type { TestServer } from '../support/test-server.ts';
import { PLAN_ID, reopenableDatabase, startTestServer, taskId } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

const CYCLES = `/api/plans/${PLAN_ID}/cycles`;
const json = (body: unknown) => ({ method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

interface Status {
  cycle: { key: string; dueDate: string };
  closed: boolean;
  reported: number;
  unreported: number;
  parts: { taskId: string; unit: string; reported: boolean; lead: boolean }[];
}

describe('reporting cycles (信息报送) over the API', () => {
  let s: TestServer;
  let office: string;
  const leadOf = async (n: number) => ((await s.engine.getInstance(taskId(n)))!.snapshot.context as ReformTaskContext).leadUnits[0]!;
  const status = async (key: string): Promise<Status> => {
    const response = await s.request(`${CYCLES}/${key}/reports`, { token: office });
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as Status;
    // The document's schema holds what the route answers.
    expect(cycleReportsResponse.safeParse(body).error).toBeUndefined();
    return body;
  };
  const notices = (type: string) => s.db.selectFrom('notification').selectAll().where('type', '=', type).orderBy('id').execute();

  beforeAll(async () => {
    s = await startTestServer();
    office = await s.token('office');
  });
  afterAll(() => s.close());

  it('given a plan without cycles, when the office asks for them, then there are none and no cycle answers', async () => {
    const response = await s.request(CYCLES, { token: office });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ planId: PLAN_ID, settings: null, description: '不设报送周期', current: null, closed: [] });
    expect((await s.request(`${CYCLES}/2023-06/reports`, { token: office })).status).toBe(404);
  });

  it('given a due day of 31 (or a day missing, or an unknown field), when the office sets it, then 422 says in Chinese to choose 月末 and nothing is written', async () => {
    const before = await s.auditCount();
    const refused = await s.request(CYCLES, { token: office, ...json({ frequency: 'monthly', day: 31 }) });
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors).toContainEqual({ path: 'body.day', message: expect.stringContaining('月末') });
    expect((await s.request(CYCLES, { token: office, ...json({ frequency: 'monthly' }) })).status).toBe(422);
    expect((await s.request(CYCLES, { token: office, ...json({ frequency: 'monthly', day: 5, every: 2 }) })).status).toBe(422);
    expect(await s.auditCount()).toBe(before);
    expect(await s.engine.getInstance(`cycles:${PLAN_ID}`)).toBeUndefined();
  });

  it('given a unit or a reviewer, when it sets cycles, then 403; given an unknown plan, then 404', async () => {
    const unit = await s.token('unit', await leadOf(2));
    expect((await s.request(CYCLES, { token: unit, ...json({ frequency: 'monthly', day: 5 }) })).status).toBe(403);
    expect((await s.request(CYCLES, { token: await s.token('reviewer'), ...json({ frequency: 'monthly', day: 5 }) })).status).toBe(403);
    expect((await s.request(CYCLES, { token: unit })).status).toBe(403);
    expect((await s.request('/api/plans/no-such-plan/cycles', { token: office, ...json({ frequency: 'monthly', day: 5 }) })).status).toBe(404);
  });

  it('when the office sets monthly cycles on the 5th on 10 May, then it is an audited SET_CYCLES entry, the June cycle runs and its reminder and due timers are armed', async () => {
    const response = await s.request(CYCLES, { token: office, ...json({ frequency: 'monthly', day: 5 }) });
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as unknown;
    expect(planCyclesResponse.safeParse(body).error).toBeUndefined();
    expect(body).toMatchObject({ settings: { frequency: 'monthly', day: 5, remindDays: 3 }, description: '每月5日', current: { key: '2023-06', dueDate: '2023-06-05' } });
    const history = await s.engine.history(`cycles:${PLAN_ID}`);
    expect(history.map((entry) => [entry.type, entry.actor.role])).toEqual([[CREATE_EVENT, 'office'], ['SET_CYCLES', 'office']]);
    expect(history[1]!.payload).toEqual({ frequency: 'monthly', day: 5, remindDays: 3 });
    expect((await s.engine.timers(`cycles:${PLAN_ID}`)).map((timer) => [timer.key, new Date(timer.dueAt).toISOString()])).toEqual([
      ['remind:2023-06', '2023-06-02T01:00:00.000Z'],
      ['due:2023-06', '2023-06-05T16:00:00.000Z'],
    ]);
  });

  it('given cycles set and nobody reported, then every part of an active task is 未报 and the inbox counts them all; a memberless collective owes nothing, a collective\'s members each do', async () => {
    const june = await status('2023-06');
    expect(june).toMatchObject({ closed: false, reported: 0 });
    expect(june.unreported).toBe(june.parts.length);
    const units = new Set(june.parts.map((part) => part.unit));
    expect(units.has('市级各有关部门')).toBe(false);
    expect(units.has('各区人民政府')).toBe(false);
    expect(june.parts.filter((part) => part.taskId === taskId(2)).map((part) => part.unit)).toEqual([await leadOf(2), '独山子区人民政府', '克拉玛依区人民政府', '白碱滩区人民政府', '乌尔禾区人民政府']);
    const inbox = (await (await s.request('/api/inbox', { token: office })).json()) as { counts: { unreported: number } };
    expect(inbox.counts.unreported).toBe(june.parts.length);
  });

  it('when the lead unit of task 2 reports progress, then its part has reported in June, the others not, and the inbox counts one fewer', async () => {
    const lead = await s.token('unit', await leadOf(2));
    expect((await s.send(lead, taskId(2), { type: 'START' })).status).toBe(200);
    expect((await s.send(lead, taskId(2), { type: 'PROGRESS', summary: '已完成系统对接', percent: 40 })).status).toBe(200);
    const june = await status('2023-06');
    expect(june.parts.filter((part) => part.reported).map((part) => [part.taskId, part.unit])).toEqual([[taskId(2), await leadOf(2)]]);
    expect(june.reported).toBe(1);
    const inbox = (await (await s.request('/api/inbox', { token: office })).json()) as { counts: { unreported: number } };
    expect(inbox.counts.unreported).toBe(june.parts.length - 1);
  });

  it('given a report in the running cycle, when the office changes the cycles, then 409 and nothing is written', async () => {
    const before = await s.auditCount();
    const refused = await s.request(CYCLES, { token: office, ...json({ frequency: 'quarterly', day: 'last' }) });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ title: expect.stringContaining('不能修改'), cycle: '2023-06', reports: 1 });
    expect(await s.auditCount()).toBe(before);
    expect((await (await s.request(CYCLES, { token: office })).json()) as object).toMatchObject({ settings: { frequency: 'monthly', day: 5 } });
  });

  it('when 2 June 09:00 comes, then one reminder goes to each unit with a part not reported, naming its tasks; a second round sends none', async () => {
    s.clock.set('2023-06-02T09:00:00+08:00');
    const fired = await s.engine.fireDue(s.clock.now());
    expect(fired.fired.map((entry) => entry.type)).toContain('REMIND');
    const reminders = await notices('REMIND');
    const june = await status('2023-06');
    expect(new Set(reminders.map((notice) => notice.unit))).toEqual(new Set(june.parts.filter((part) => !part.reported).map((part) => part.unit)));
    expect(reminders.length).toBe(new Set(reminders.map((notice) => notice.unit)).size);
    expect(reminders.find((notice) => notice.unit === '独山子区人民政府')?.body).toContain('第2项');
    expect(reminders[0]!.title).toContain('2023-06-05');
    expect((await s.engine.fireDue(s.clock.now())).fired).toEqual([]);
    expect(await notices('REMIND')).toHaveLength(reminders.length);
  });

  it('when the 5th ends, then 催报 goes once to each unit not reported, the closed cycle is recorded, July runs, and the xlsx reads back with the same lines', async () => {
    s.clock.set('2023-06-06T00:00:00+08:00');
    await s.engine.fireDue(s.clock.now());
    const urged = await notices('CYCLE_DUE');
    const june = await status('2023-06');
    expect(june.closed).toBe(true);
    expect(new Set(urged.map((notice) => notice.unit))).toEqual(new Set(june.parts.filter((part) => !part.reported).map((part) => part.unit)));
    expect(urged[0]!.title).toContain('催报');
    const recorded = await s.db.selectFrom('cycle_part').selectAll().where('cycle_key', '=', '2023-06').execute();
    expect(recorded).toHaveLength(june.parts.length);
    expect(recorded.filter((row) => row.reported_seq !== null).map((row) => row.unit)).toEqual([await leadOf(2)]);
    expect((await (await s.request(CYCLES, { token: office })).json()) as object).toMatchObject({ current: { key: '2023-07' }, closed: [{ key: '2023-06', parts: june.parts.length, reported: 1 }] });
    expect((await s.engine.fireDue(s.clock.now())).fired).toEqual([]);

    const download = await s.request(`${CYCLES}/2023-06/reports.xlsx`, { token: office });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await download.arrayBuffer()) as never);
    const sheet = workbook.getWorksheet('报送情况')!;
    expect(String(sheet.getCell('A1').value)).toContain('2023-06');
    const lines: [string, string][] = [];
    for (let row = 3; row < 3 + june.parts.length; row++) lines.push([String(sheet.getCell(row, 3).value), String(sheet.getCell(row, 5).value)]);
    expect(lines).toEqual(june.parts.map((part) => [part.unit, part.reported ? '已报' : '未报']));
    expect(String(sheet.getCell(3 + june.parts.length, 1).value)).toBe(`共${june.parts.length}项，已报1项，未报${june.parts.length - 1}项`);
  });

  it('given June closed, then the task and the task list mark the parts 未报 (not the lead that reported); when a district reports afterwards, then its mark goes', async () => {
    const task = async () => (await (await s.request(`/api/tasks/${taskId(2)}`, { token: office })).json()) as { unreported: string[] };
    const before = await task();
    expect(before.unreported).toContain('独山子区人民政府');
    expect(before.unreported).not.toContain(await leadOf(2));
    const list = (await (await s.request(`/api/tasks?limit=1000&plan=${PLAN_ID}`, { token: office })).json()) as { items: { id: string; unreported: string[] }[] };
    expect(list.items.find((item) => item.id === taskId(2))?.unreported).toEqual(before.unreported);
    expect(list.items.filter((item) => item.unreported.length > 0).length).toBeGreaterThan(1);
    const district = await s.token('unit', '独山子区人民政府');
    expect((await s.send(district, taskId(2), { type: 'PROGRESS', summary: '独山子区已完成部署' })).status).toBe(200);
    const after = await task();
    expect(after.unreported).not.toContain('独山子区人民政府');
    expect(after.unreported).toContain('克拉玛依区人民政府');
    const july = await status('2023-07');
    expect(july.parts.filter((part) => part.reported).map((part) => part.unit)).toEqual(['独山子区人民政府']);
  });

  it('given June closed, then the assessment takes a point off per part not reported (牵头 −1, 配合 −0.5), each a reason naming the cycle, and none from the lead that reported', async () => {
    const missed = await s.db.selectFrom('cycle_part').selectAll().where('cycle_key', '=', '2023-06').where('reported_seq', 'is', null).execute();
    const scoreOf = async (unit: string) => {
      const response = await s.request(`/api/reports/units?unit=${encodeURIComponent(unit)}`, { token: office });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { units: { unit: string; byRule: { ruleId: string; count: number; points: number }[]; reasons?: { ruleId: string; text: string; taskId: string }[] }[] };
      return body.units.find((row) => row.unit === unit)!;
    };
    const district = await scoreOf('独山子区人民政府');
    const owed = missed.filter((row) => row.unit === '独山子区人民政府');
    expect(owed.length).toBeGreaterThan(0);
    expect(district.byRule.find((rule) => rule.ruleId === 'unreported-responsible')).toEqual({ ruleId: 'unreported-responsible', text: '配合任务未按期报送进展（每期）', count: owed.filter((row) => row.lead === 0).length, points: -0.5 * owed.filter((row) => row.lead === 0).length });
    expect(district.reasons?.filter((reason) => reason.ruleId.startsWith('unreported')).map((reason) => reason.taskId).sort()).toEqual(owed.map((row) => row.task_id).sort());
    const lead = await scoreOf(await leadOf(2));
    const leadMissed = missed.filter((row) => row.unit === (lead.unit) && row.lead === 1).length;
    expect(lead.byRule.find((rule) => rule.ruleId === 'unreported-lead')?.count ?? 0).toBe(leadMissed);
    expect(missed.some((row) => row.unit === lead.unit && row.task_id === taskId(2))).toBe(false);
  });

  it('given the office signed in, when it opens 信息报送, then it sees the running cycle and June with 未报 lines and the download; a day 31 sent by the form shows the 月末 message and stores nothing', async () => {
    const web = new WebClient(s.url);
    await web.signIn(office);
    const page = await web.get(`/cycles?cycle=2023-06`);
    expect(page.status).toBe(200);
    const shown = textOf(page.body);
    expect(shown).toContain('每月5日');
    expect(shown).toContain('2023-06期报送情况');
    expect(shown).toContain('未报');
    expect(page.body).toContain('/cycles/2023-06/reports.xlsx');
    const before = await s.auditCount();
    const refused = await web.post('/cycles', { plan: PLAN_ID, frequency: 'monthly', day: '31', remindDays: '3' });
    expect(refused.status).toBe(422);
    expect(textOf(refused.body)).toContain('月末');
    expect(await s.auditCount()).toBe(before);
    const taskPage = await web.get(`/tasks/${taskId(2)}`);
    expect(textOf(taskPage.body)).toContain('未报');
    const download = await web.get('/cycles/2023-06/reports.xlsx');
    expect(download.status).toBe(200);
  });

  it('given a reviewer, then it reads who reported; given a unit, then 403; given a cycle key of another frequency, then 404', async () => {
    expect((await s.request(`${CYCLES}/2023-06/reports`, { token: await s.token('reviewer') })).status).toBe(200);
    expect((await s.request(`${CYCLES}/2023-06/reports.xlsx`, { token: await s.token('unit', await leadOf(2)) })).status).toBe(403);
    expect((await s.request(`${CYCLES}/2023-Q2/reports`, { token: office })).status).toBe(404);
    expect((await s.request(`${CYCLES}/2023-13/reports`, { token: office })).status).toBe(422);
  });
});

describe('reporting cycles across restarts and downtime', () => {
  it('given cycles set and the server stopped before the reminder, when it starts again after the due day, then the late reminder is dropped, 催报 is written once, and a third start fires nothing', async () => {
    const db = await reopenableDatabase();
    const first = await startTestServer({ db });
    const office = await first.token('office');
    expect((await first.request(CYCLES, { token: office, ...json({ frequency: 'monthly', day: 'last' }) })).status).toBe(200);
    await first.close();

    const logger = createLogger({ level: 'silent' });
    // Down from 10 May to 1 June: May's reminder (28 May) and its due day (月末: 31 May) passed meanwhile.
    const second = await startTestServer({ db, seed: async () => undefined, startAt: '2023-06-01T10:00:00+08:00' });
    const caughtUp = await new Scheduler(second.engine, second.clock, logger).start();
    const ofCycles = <T extends { instanceId: string }>(items: readonly T[] | undefined) => (items ?? []).filter((item) => item.instanceId === `cycles:${PLAN_ID}`);
    expect(ofCycles(caughtUp?.fired).map((entry) => [entry.type, entry.payload])).toEqual([['CYCLE_DUE', { cycle: '2023-05' }]]);
    expect(ofCycles(caughtUp?.dropped).map((timer) => timer.key)).toEqual(['remind:2023-05']);
    const urged = await second.db.selectFrom('notification').select(['unit', 'entry_seq']).where('type', '=', 'CYCLE_DUE').execute();
    expect(urged.length).toBeGreaterThan(0);
    expect(new Set(urged.map((row) => row.entry_seq)).size).toBe(1);
    await second.close();

    const third = await startTestServer({ db, seed: async () => undefined, startAt: '2023-06-01T10:00:05+08:00' });
    const again = await new Scheduler(third.engine, third.clock, logger).start();
    expect(again?.fired.filter((entry) => entry.instanceId === `cycles:${PLAN_ID}`)).toEqual([]);
    expect(await third.db.selectFrom('notification').select('id').where('type', '=', 'CYCLE_DUE').execute()).toHaveLength(urged.length);
    expect((await third.engine.timers(`cycles:${PLAN_ID}`)).map((timer) => timer.key)).toEqual(['remind:2023-06', 'due:2023-06']);
    // The cycles' instance replays to its stored state, as every instance does.
    expect((await third.engine.replay()).differences).toEqual([]);
    expect(await third.engine.verify()).toMatchObject({ ok: true });
    await third.close();
  });

  it('given reports written before migration 0015 (its tables gone, its record removed), when the server migrates again, then cycle_report is filled from the log: the unit, the task, the plan, the seq', async () => {
    const s = await startTestServer();
    const lead = await s.token('unit', ((await s.engine.getInstance(taskId(3)))!.snapshot.context as ReformTaskContext).leadUnits[0]!);
    expect((await s.send(lead, taskId(3), { type: 'START' })).status).toBe(200);
    const progress = (await (await s.send(lead, taskId(3), { type: 'PROGRESS', summary: '推进中' })).json()) as { entry: { seq: number; at: string } };
    const written = await s.db.selectFrom('cycle_report').selectAll().execute();
    expect(written).toHaveLength(1);
    await sql`DROP TABLE cycle_report`.execute(s.db);
    await sql`DROP TABLE cycle_part`.execute(s.db);
    // The migrations after it go too: kysely runs a database's migrations in order only.
    await sql`DROP TABLE plan_history`.execute(s.db);
    await sql`DROP TABLE plan_history_state`.execute(s.db);
    await sql`DELETE FROM server_migration WHERE name >= '0015-reporting-cycles'`.execute(s.db);
    await migrateServerSchema(s.db, s.engine.store.dialect);
    const filled = await s.db.selectFrom('cycle_report').selectAll().execute();
    expect(filled.map((row) => ({ ...row, entry_seq: Number(row.entry_seq) }))).toEqual(written.map((row) => ({ ...row, entry_seq: Number(row.entry_seq) })));
    expect(filled[0]).toMatchObject({ plan_id: PLAN_ID, task_id: taskId(3), at: progress.entry.at });
    await s.close();
  });
});
