import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Engine } from '@duban/engine';
import { CurrentPlan, ledgerRows, PlanReader, reportTasks, summarize, taskFacts } from '../../src/reports/index.ts';
import type { ReportTask } from '../../src/reports/index.ts';
import { PastPlan } from '../../src/reports/past/past-plan.ts';
import { FactsTimeline } from '../../src/reports/past/facts-timeline.ts';
import { PlanHistory } from '../../src/reports/past/plan-history.ts';
import { migrateServerSchema } from '../../src/db/server-migrations.ts';
import type { ServerDatabase } from '../../src/db/server-tables.ts';
import type { Kysely } from 'kysely';
import { DATE_B, factsAt, id, leader, office, runScenario } from './scenario.ts';

const person = (unit: string, accountId: number, name: string): Actor => ({ role: 'unit', unit, account: { id: accountId, name } });
const lead5 = person('市政务服务和公共资源交易中心', 21, '李主任');
const district = (name: string, accountId: number): Actor => person(name, accountId, `${name}联络员`);

/**
 * The scenario, then a month of what a past view must follow: parts acknowledged, progressed, done
 * and returned; questions asked and answered; extensions refused and granted; an amendment of text
 * and deadline; a reassignment; a report by a named person, its rejection and a second report; an
 * interview held; a close; the timers that fall due in between.
 */
async function richLog(): Promise<Engine> {
  const engine = await runScenario();
  let minute = DATE_B.getTime() + 60_000;
  const send = async (n: number, actor: Actor, type: string, payload: Record<string, unknown> = {}) => {
    minute += 3_600_000;
    await engine.send(id(n), { type, payload }, actor, new Date(minute));
  };
  await send(5, district('白碱滩区人民政府', 31), 'ACKNOWLEDGE_PART');
  await send(5, district('克拉玛依区人民政府', 32), 'PART_PROGRESS', { summary: '已在区政务大厅试点', percent: 40 });
  await send(5, district('独山子区人民政府', 33), 'PART_DONE', { summary: '本区已全部推开' });
  await send(5, office, 'COMMENT', { text: '请说明区级推进情况', ask: ['克拉玛依区人民政府', '乌尔禾区人民政府'] });
  await send(5, district('克拉玛依区人民政府', 32), 'COMMENT', { text: '本月底完成' });
  await send(5, lead5, 'RETURN_PART', { unit: '独山子区人民政府', reason: '佐证材料不足' });
  await send(5, lead5, 'REQUEST_EXTENSION', { until: '2024-02-29', reason: '需自治区统一部署' });
  await send(5, office, 'DECIDE_EXTENSION', { approve: false, note: '不予延期' });
  await send(5, lead5, 'PROGRESS', { summary: '已完成全市推广方案', percent: 70 });
  await send(5, office, 'AMEND', { reason: '市委深改委会议议定调整', text: '推进“一件事一次办”全覆盖。', deadline: { date: '2024-03-31' } });
  await send(5, lead5, 'REQUEST_EXTENSION', { until: '2024-04-30', reason: '系统改造未完成' });
  await send(5, office, 'DECIDE_EXTENSION', { approve: true, until: '2024-04-15', note: '同意延至4月中旬' });
  await send(5, lead5, 'REPORT', { summary: '已全面推开', evidence: [{ title: '推广方案', ref: 'doc-5' }, { title: '工作台账' }] });
  await send(5, office, 'REJECT', { reason: '区级材料不全' });
  await send(5, office, 'REASSIGN', { leadUnits: ['市发改委', '市政务服务和公共资源交易中心'] });
  await send(5, leader, 'INSTRUCT', { text: '务必在4月中旬前全面完成。' });
  await send(5, lead5, 'REPORT', { summary: '已补齐区级材料', evidence: [{ title: '区级台账' }] });
  await send(8, office, 'RECORD_INTERVIEW', { heldOn: '2023-11-01', attendees: ['市自然资源局局长'], findings: '推进迟缓', rectifyBy: '2023-12-10' });
  await send(8, office, 'URGE', { message: '请按整改时限完成' });
  await send(2, office, 'CLOSE', { note: '同意销号' });
  await send(4, office, 'CLOSE', {});
  await engine.fireDue(new Date('2023-12-08T01:00:00Z'));
  await engine.fireDue(new Date('2023-12-11T01:00:00Z'));
  return engine;
}

/** Each task (id, version, state, status, context) in plan order. */
const whole = (tasks: readonly ReportTask[]) => tasks.map(({ id, version, snapshot }) => ({ id, version, value: snapshot.value, status: snapshot.status, context: snapshot.context }));

describe('PastPlan: the plan as of a past instant, folded from the log without the state machine', () => {
  let engine: Engine;
  let instants: number[];
  /** The full replay (XState over the log) as of each instant: what every way of reading the past must equal. */
  const replays = new Map<number, { tasks: ReturnType<typeof whole>; facts: Awaited<ReturnType<typeof factsAt>> }>();
  beforeAll(async () => {
    engine = await richLog();
    const entries = await engine.readAudit(0, 1000);
    expect(entries.map((entry) => entry.type)).toEqual(expect.arrayContaining(['AMEND', 'REASSIGN', 'RETURN_PART', 'DECIDE_EXTENSION', 'RECORD_INTERVIEW', 'DEADLINE_PASSED']));
    // Every instant an entry was written at: every version of every task.
    instants = [...new Set(entries.map((entry) => Date.parse(entry.at)))].sort((a, b) => a - b);
    for (const at of instants) replays.set(at, { tasks: whole(reportTasks(await engine.snapshotsAt(new Date(at)))), facts: await factsAt(engine, at) });
  });
  afterAll(() => engine.close());

  it('given a log with parts, questions, extensions, an amendment and a reassignment, when each task is folded as of every instant, then it equals the state machine’s replay', async () => {
    const past = new PastPlan(engine);
    for (const at of instants) {
      expect(whole(await past.tasks(at)), new Date(at).toISOString()).toEqual(replays.get(at)!.tasks);
    }
  });

  it('when the facts, the summary and the ledger are read as of every instant, then they equal those of the full replay', async () => {
    const past = new PastPlan(engine);
    for (const at of instants) {
      const replayed = replays.get(at)!.facts;
      const folded = await past.facts(at);
      expect({ tasks: folded.tasks, events: folded.events }, new Date(at).toISOString()).toEqual({ tasks: replayed.tasks.map(taskFacts), events: replayed.events });
      expect(summarize(folded.tasks, folded.events, new Date(at))).toEqual(summarize(replayed.tasks, replayed.events, new Date(at)));
      expect(ledgerRows(await past.tasks(at), new Date(at))).toEqual(ledgerRows(replayed.tasks, new Date(at)));
    }
  });

  it('given the history’s rows added to a timeline of facts in log order, merged into its packed arrays every few versions, when the facts are read as of every instant, then they equal the full replay’s', async () => {
    const db = engine.store.kysely as Kysely<ServerDatabase>;
    await migrateServerSchema(db, engine.store.dialect);
    expect(await new PlanHistory(engine, db).catchUp()).toBe(true);
    const rows = await db.selectFrom('plan_history').select(['instance_id', 'version', 'at', 'state', 'plan', 'standing']).orderBy('seq').execute();
    const parse = (json: string | null) => (json === null ? undefined : (JSON.parse(json) as Record<string, unknown>));
    // Nothing packed first: every version beside the packed arrays, merged into them after each seven.
    const timeline = new FactsTimeline(0, 7);
    timeline.endPacking();
    for (const row of rows) timeline.add(row.instance_id, Number(row.version), Number(row.at), row.state, parse(row.plan), parse(row.standing));
    // A row read twice (a page another server wrote, seen by both reads) changes nothing; one with a version missing before it is refused.
    const first = rows[0]!;
    timeline.add(first.instance_id, 1, Number(first.at), first.state, parse(first.plan), parse(first.standing));
    expect(() => timeline.add(first.instance_id, 1000, Number(first.at), first.state, undefined, undefined)).toThrow(/version 1000 after/);
    for (const at of instants) {
      expect(timeline.factsAt(at), new Date(at).toISOString()).toEqual(replays.get(at)!.facts.tasks.map(taskFacts));
    }
  });

  it('given the plan’s history built from the log, when a past view is read as of every instant, then its tasks, facts, summary and ledger equal the full replay’s', async () => {
    const db = engine.store.kysely as Kysely<ServerDatabase>;
    await migrateServerSchema(db, engine.store.dialect);
    const history = new PlanHistory(engine, db);
    const plans = new PlanReader(engine, new CurrentPlan(engine), 1, history);
    expect(await history.catchUp()).toBe(true);
    const rows = await db.selectFrom('plan_history').select(['plan', 'standing', 'detail']).execute();
    // A group is written only where it changed: most entries (a progress line, an urge) write one of three.
    expect(rows.filter((row) => row.plan !== null).length).toBeLessThan(rows.length / 2);
    for (const [index, at] of instants.entries()) {
      const asOf = { at: new Date(at), now: false };
      const replayed = replays.get(at)!.facts;
      const read = await plans.facts(asOf);
      expect({ tasks: read.tasks, events: read.events }, new Date(at).toISOString()).toEqual({ tasks: replayed.tasks.map(taskFacts), events: replayed.events });
      const tasks = await plans.tasks(asOf);
      expect(whole(tasks)).toEqual(whole(replayed.tasks));
      expect(tasks.map((task) => [task.assignedAt, task.changedAt])).toEqual(replayed.tasks.map((task) => [task.assignedAt, task.changedAt]));
      expect(ledgerRows(tasks, new Date(at))).toEqual(ledgerRows(replayed.tasks, new Date(at)));
      // The ledger's pieces (at every fourth instant, and the last): three tasks at a time, in plan order, the same tasks
      if (index % 4 !== 0 && index !== instants.length - 1) continue;
      const pieces: ReportTask[][] = [];
      for await (const piece of plans.pieces(asOf, 3)) pieces.push(piece);
      expect(pieces.every((piece) => piece.length <= 3)).toBe(true);
      expect(whole(pieces.flat())).toEqual(whole(replayed.tasks));
    }
    // Backwards in time too: the plans kept from the last read (task 5's amended text) are not the earlier ones
    for (const at of [...instants].reverse().filter((_, index) => index % 2 === 0)) {
      expect((await plans.facts({ at: new Date(at), now: false })).tasks, new Date(at).toISOString()).toEqual(replays.get(at)!.facts.tasks.map(taskFacts));
    }

    // When the log grows, a second history (another server, its memory cold) appends after the first's rows
    await engine.send(id(8), { type: 'URGE', payload: { message: '再次督促' } }, office, new Date('2023-12-20T02:00:00Z'));
    await engine.send(id(5), { type: 'URGE', payload: { message: '请尽快补齐材料' } }, office, new Date('2023-12-20T03:00:00Z'));
    await engine.send(id(8), { type: 'URGE', payload: { message: '第三次督促' } }, office, new Date('2023-12-20T04:00:00Z'));
    await engine.send(id(5), { type: 'AMEND', payload: { reason: '会议议定', text: '推进“一件事一次办”全市全覆盖。' } }, office, new Date('2023-12-20T05:00:00Z'));
    const other = new PlanHistory(engine, db);
    expect(await other.catchUp()).toBe(true);
    // Whole tasks read before the first history catches up: the amended plan, which its timeline lacks yet, comes from its row
    const amended = Date.parse('2023-12-20T06:00:00Z');
    expect(whole(await history.tasks(amended))).toEqual(whole(reportTasks(await engine.snapshotsAt(new Date(amended)))));
    await engine.send(id(8), { type: 'START', payload: {} }, { role: 'unit', unit: '市自然资源局' }, new Date('2023-12-21T02:00:00Z')).catch(() => undefined);
    expect(await history.catchUp()).toBe(true);
    const end = Date.parse('2023-12-22T00:00:00Z');
    expect(whole(await history.tasks(end))).toEqual(whole(reportTasks(await engine.snapshotsAt(new Date(end)))));
    // Its facts too: the timeline followed the row the other history wrote and added its own
    expect(await history.facts(end)).toEqual((await factsAt(engine, end)).tasks.map(taskFacts));
    expect((await history.facts(end)).find((task) => task.id === id(8))?.version).toBe((await engine.getInstance(id(8)))!.version);
    const versions = await db.selectFrom('plan_history').select(['instance_id', 'version']).execute();
    expect(new Set(versions.map((row) => `${row.instance_id}/${row.version}`)).size).toBe(versions.length);

    // When an entry is stamped before its task's previous one (a clock set back), then the history declines and past views fold the log
    await engine.send(id(8), { type: 'URGE', payload: { message: '时钟回拨' } }, office, new Date('2023-12-01T02:00:00Z'));
    expect(await history.catchUp()).toBe(false);
    const late = Date.parse('2023-12-25T00:00:00Z');
    expect((await plans.facts({ at: new Date(late), now: false })).tasks).toEqual((await factsAt(engine, late)).tasks.map(taskFacts));
  });
});
