import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@duban/engine';
import { assessmentXlsx, assessUnits, defaultAssessmentRules } from '../../src/reports/index.ts';
import type { Assessment } from '../../src/reports/index.ts';
import { AsOfError, assessmentPeriod } from '../../src/time/as-of.ts';
import { factsAt, runScenario } from '../reports/scenario.ts';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer } from '../support/test-server.ts';

const NOW = new Date('2023-11-15T02:00:00Z');

describe('assessment periods (季度, 年度): only the facts of the period count', () => {
  let engine: Engine;
  const assessed = async (name: string) => {
    const period = assessmentPeriod(name, NOW);
    const { tasks, events } = await factsAt(engine, period.asOf.at);
    return assessUnits(defaultAssessmentRules, tasks, events, period.asOf.at, { since: period.since, period: { name, ...period.period } });
  };
  const reasonsOf = (assessment: Assessment, unit: string) => (assessment.units.find((u) => u.unit === unit)?.reasons ?? []).map((r) => r.seq);
  beforeAll(async () => {
    engine = await runScenario();
  });
  afterAll(() => engine.close());

  it('given quarters and years, then each resolves to its days in Asia/Shanghai; one not begun, or malformed, is refused', () => {
    expect(assessmentPeriod('2023Q3', NOW)).toMatchObject({ period: { from: '2023-07-01', to: '2023-09-30' }, since: Date.parse('2023-06-30T16:00:00Z'), asOf: { at: new Date('2023-09-30T15:59:59.999Z'), now: false } });
    expect(assessmentPeriod('2023', NOW)).toMatchObject({ period: { from: '2023-01-01', to: '2023-12-31' }, asOf: { at: NOW, now: true } });
    for (const bad of ['2024', '2023Q5', '23Q1', '2023-Q3', '']) expect(() => assessmentPeriod(bad, NOW), bad).toThrow(AsOfError);
  });

  it('when the third quarter is assessed, then the June verification of task 1 does not count and the August deadline of task 8 does; the year counts both', async () => {
    const q3 = await assessed('2023Q3');
    const year = await assessed('2023');
    expect(q3.period).toEqual({ name: '2023Q3', from: '2023-07-01', to: '2023-09-30' });
    expect(reasonsOf(year, '市发改委')).toContain(23);
    expect(reasonsOf(q3, '市发改委')).not.toContain(23);
    expect(reasonsOf(q3, '市自然资源局')).toContain(34);
    for (const unit of q3.units) {
      const fromReasons = (unit.reasons ?? []).reduce((sum, r) => sum + r.points, 0);
      expect(unit.score, unit.unit).toBeCloseTo(q3.base + fromReasons, 5);
      for (const r of unit.reasons ?? []) expect(r.at >= '2023-06-30T16:00:00.000Z' && r.at <= '2023-09-30T15:59:59.999Z', `${unit.unit} ${r.seq}`).toBe(true);
    }
  });

  it('when the assessment is written as .xlsx, then exceljs reads back the title, the header, each unit\'s rank and score, and a formula-like name stays text', async () => {
    const q3 = await assessed('2023Q3');
    const tricky: Assessment = { ...q3, units: [{ ...q3.units[0]!, unit: '=HYPERLINK("http://evil.example","点击")' }, ...q3.units.slice(1)] };
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await assessmentXlsx(tricky, '考核')) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('考核')!;
    expect(String(sheet.getCell('A1').value)).toBe('考核（2023Q3：2023年7月1日至9月30日，截至2023年9月30日）');
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(['名次', '单位', '得分', '加分', '扣分', '明细']);
    expect(sheet.rowCount).toBe(2 + q3.units.length);
    q3.units.forEach((unit, i) => {
      expect(sheet.getCell(3 + i, 1).value).toBe(unit.rank);
      expect(sheet.getCell(3 + i, 3).value).toBe(unit.score);
    });
    expect(sheet.getCell('B3').value).toBe('=HYPERLINK("http://evil.example","点击")');
    expect(sheet.getCell('B3').type).toBe(ExcelJS.ValueType.String);
    const detail = workbook.getWorksheet('明细')!;
    expect((detail.getRow(1).values as unknown[]).slice(1)).toEqual(['单位', '任务', '规则', '分值', '时间', '经由']);
  });
});

describe('the assessment over the API: periods, the Excel download, a unit its own', () => {
  let s: TestServer;
  let office: string;
  beforeAll(async () => {
    s = await startTestServer();
    s.clock.set('2023-11-15T10:00:00+08:00');
    office = await s.token('office');
  });
  afterAll(async () => s.close());

  it('when the office asks for 2023Q3 as JSON and as .xlsx, then both carry the period and the same units', async () => {
    const json = (await (await s.request('/api/reports/units?period=2023Q3', { token: office })).json()) as Assessment;
    expect(json.period).toEqual({ name: '2023Q3', from: '2023-07-01', to: '2023-09-30' });
    const response = await s.request('/api/reports/units.xlsx?period=2023Q3', { token: office });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('考核-2023Q3.xlsx'));
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const names = workbook.getWorksheet('考核')!.getColumn(2).values.slice(3);
    expect(names).toEqual(json.units.map((u) => u.unit));
  });

  it('when a unit asks, then it gets its own row with its reasons only; another unit by name is 403; a bad or doubled period is 422', async () => {
    const unit = await s.token('unit', '市发改委');
    const own = (await (await s.request('/api/reports/units?period=2023', { token: unit })).json()) as Assessment;
    expect(own.units.map((u) => u.unit)).toEqual(['市发改委']);
    expect(own.units[0]!.reasons).toBeDefined();
    expect((await s.request('/api/reports/units?unit=市水务局', { token: unit })).status).toBe(403);
    const bad = await s.request('/api/reports/units?period=2023Q9', { token: office });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await problemOf(bad))).toContain('query.period');
    expect((await s.request('/api/reports/units?period=2023&asOf=2023-08-01', { token: office })).status).toBe(422);
    expect((await s.request('/api/reports/units?period=2024', { token: office })).status).toBe(422);
  });
});
