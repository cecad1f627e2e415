import type { Actor, Engine as EngineType } from '@duban/engine';
import { Engine, openStore } from '@duban/engine';
import { instancesFromPlan, reformTaskV1 } from '@duban/reform-task';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../engine/test/support/test-database.ts';
import ExcelJS from 'exceljs';
import { assessUnits, defaultAssessmentRules, ledgerPartRows, ledgerRows, ledgerXlsx } from '../../src/reports/index.ts';
import { DISTRICTS, endOf, factsAt } from './scenario.ts';

// One task led by 市司法局 with 各区人民政府 and 市财政局 supporting, due 2023-06-30; the lead never reports.
const plan = {
  tasks: [
    {
      number: 1,
      part: '二、不断创新监管机制',
      measure: '（七）推进公正监管。',
      text: '全面推行“双随机、一公开”监管。',
      leadUnits: ['市司法局'],
      responsibleUnits: ['各区人民政府', '市财政局'],
      deadline: { text: '2023年6月底前', date: '2023-06-30', ongoing: false },
    },
  ],
};
const registry = { membersOf: (name: string) => (name === '各区人民政府' ? DISTRICTS : []) };
const unit = (name: string): Actor => ({ role: 'unit', unit: name });
const TASK = 'parts-2023.001';

describe('reports by each unit’s own part', () => {
  let engine: EngineType;
  beforeAll(async () => {
    engine = new Engine(await openStore(await freshDatabase()), [reformTaskV1]);
    await engine.create(instancesFromPlan(plan, registry, { planId: 'parts-2023' }), { role: 'admin', unit: null }, new Date('2023-05-10T02:00:00Z'));
    const send = (who: string, at: string, type: string, payload: Record<string, unknown>) => engine.send(TASK, { type, payload }, unit(who), new Date(at));
    // 白碱滩区 finishes its part before the deadline; 独山子区 only after it; 市财政局 reports progress but never finishes.
    await send('白碱滩区人民政府', '2023-06-20T02:00:00Z', 'PART_DONE', { summary: '本区已完成' });
    await send('市财政局', '2023-06-21T02:00:00Z', 'PART_PROGRESS', { summary: '经费已落实一半', percent: 50 });
    await engine.fireDue(new Date('2023-07-01T01:00:00Z'));
    await send('独山子区人民政府', '2023-07-05T02:00:00Z', 'PART_DONE', { summary: '本区补齐' });
  });
  afterAll(() => engine.close());

  it('given the lead’s task went overdue, when the units are assessed, then the lead is charged, each supporting unit only if its own part was not done by the deadline', async () => {
    const asOf = endOf('2023-07-31');
    const facts = await factsAt(engine, asOf);
    const units = new Map(assessUnits(defaultAssessmentRules, facts.tasks, facts.events, asOf).units.map((u) => [u.unit, u]));
    const charged = (name: string) => units.get(name)!.reasons!.map((r) => r.ruleId);
    expect(charged('市司法局')).toEqual(['overdue-lead']);
    expect(charged('白碱滩区人民政府')).toEqual([]);
    expect(charged('独山子区人民政府')).toEqual(['overdue-responsible']);
    expect(charged('克拉玛依区人民政府')).toEqual(['overdue-responsible']);
    expect(charged('市财政局')).toEqual(['overdue-responsible']);
    expect([units.get('白碱滩区人民政府')!.score, units.get('独山子区人民政府')!.score]).toEqual([100, 99]);
  });

  it('when the ledger is made, then the task’s row sums its parts up and names the units not done', async () => {
    const asOf = endOf('2023-07-31');
    const facts = await factsAt(engine, asOf);
    expect(ledgerRows(facts.tasks, asOf)[0]!.部分完成情况).toBe('部分 2/5 完成（未完成：克拉玛依区人民政府、乌尔禾区人民政府、市财政局）');
  });

  it('when the workbook is made, then its sheet 各单位承担部分 has one row per part with its state, progress and completion', async () => {
    const asOf = endOf('2023-07-31');
    const facts = await factsAt(engine, asOf);
    const buffer = await ledgerXlsx(ledgerRows(facts.tasks, asOf), { title: '台账', asOf, parts: ledgerPartRows(facts.tasks) });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('各单位承担部分')!;
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(['序号', '任务内容', '牵头单位', '单位', '状态', '完成进度', '最新进展', '完成情况', '完成时间']);
    const rows = [3, 4, 5, 6, 7].map((n) => (sheet.getRow(n).values as unknown[]).slice(1));
    // Empty cells read back as nothing.
    expect(rows.map((r) => [r[3], r[4], r[5] ?? '', r[8] ?? ''])).toEqual([
      ['独山子区人民政府', '已完成', '100%', '2023-07-05'],
      ['克拉玛依区人民政府', '待签收', '', ''],
      ['白碱滩区人民政府', '已完成', '100%', '2023-06-20'],
      ['乌尔禾区人民政府', '待签收', '', ''],
      ['市财政局', '推进中', '50%', ''],
    ]);
    expect(sheet.getRow(8).getCell(4).value ?? null).toBe(null);
  });
});

describe('an on-time completion credits each supporting unit for its own part', () => {
  // One task led by 市发改委 with 各区人民政府 and 市财政局 supporting, due 2023-06-30, reported and verified on time.
  const onTime = { tasks: [{ ...plan.tasks[0]!, leadUnits: ['市发改委'] }] };
  const ON_TIME = 'verified-2023.001';
  let engine: EngineType;
  beforeAll(async () => {
    engine = new Engine(await openStore(await freshDatabase()), [reformTaskV1]);
    await engine.create(instancesFromPlan(onTime, registry, { planId: 'verified-2023' }), { role: 'admin', unit: null }, new Date('2023-05-10T02:00:00Z'));
    const send = (actor: Actor, at: string, type: string, payload: Record<string, unknown> = {}) => engine.send(ON_TIME, { type, payload }, actor, new Date(at));
    // 白碱滩区 and 独山子区 finish their parts before the verification; 市财政局 reports progress but never finishes; the other districts do nothing.
    await send(unit('白碱滩区人民政府'), '2023-06-10T02:00:00Z', 'PART_DONE', { summary: '本区已完成' });
    await send(unit('独山子区人民政府'), '2023-06-18T02:00:00Z', 'PART_DONE', { summary: '本区已完成' });
    await send(unit('市财政局'), '2023-06-12T02:00:00Z', 'PART_PROGRESS', { summary: '经费已落实一半', percent: 50 });
    await send(unit('市发改委'), '2023-06-15T02:00:00Z', 'START');
    await send(unit('市发改委'), '2023-06-20T02:00:00Z', 'REPORT', { summary: '已全部完成', evidence: [{ title: '完成情况' }] });
    await send({ role: 'office', unit: null }, '2023-06-25T02:00:00Z', 'VERIFY', { opinion: '同意' });
  });
  afterAll(() => engine.close());

  it('given the task verified on time, when the units are assessed, then the lead gains its points and of the supporting units only those whose part was done', async () => {
    const asOf = endOf('2023-07-31');
    const facts = await factsAt(engine, asOf);
    const units = new Map(assessUnits(defaultAssessmentRules, facts.tasks, facts.events, asOf).units.map((u) => [u.unit, u]));
    const credited = (name: string) => units.get(name)!.reasons!.map((r) => [r.ruleId, r.points, r.via]);
    expect(credited('市发改委')).toEqual([['verified-on-time-lead', 2, null]]);
    expect(credited('白碱滩区人民政府')).toEqual([['verified-on-time-responsible', 1, '各区人民政府']]);
    expect(credited('独山子区人民政府')).toEqual([['verified-on-time-responsible', 1, '各区人民政府']]);
    expect(credited('克拉玛依区人民政府')).toEqual([]);
    expect(credited('乌尔禾区人民政府')).toEqual([]);
    expect(credited('市财政局')).toEqual([]);
    expect([units.get('白碱滩区人民政府')!.score, units.get('克拉玛依区人民政府')!.score, units.get('市财政局')!.score]).toEqual([101, 100, 100]);
  });
});
