import { describe, expect, it } from 'vitest';
import { formatPlanSummary } from '../src/format-plan-summary.ts';
import { repositoryUnits } from '../src/repository-units.ts';
import { parsePlan } from '../src/parse-plan.ts';
import { summarizePlan } from '../src/summarize-plan.ts';
import { readDataFile, readFixture } from './read-fixture.ts';

const karamay = parsePlan(readDataFile('plans/karamay-2023-fangguanfu.md'), { units: repositoryUnits });

describe('summarizePlan', () => {
  it('given the Karamay plan, then it counts tasks, ongoing tasks and distinct lead units', () => {
    const totals = summarizePlan(karamay).filter((row) => row.group === 'total');
    expect(totals).toEqual([
      { group: 'total', label: '任务', count: 71 },
      { group: 'total', label: '长期坚持', count: 8 },
      { group: 'total', label: '牵头单位（去重）', count: 20 },
      { group: 'total', label: '无具体完成日期', count: 0 },
      { group: 'total', label: '警告', count: 0 },
    ]);
  });

  it('given the Karamay plan, then it counts tasks per part in document order and per month in date order', () => {
    const rows = summarizePlan(karamay);
    expect(rows.filter((row) => row.group === 'part').map((row) => [row.label, row.count])).toEqual([
      ['一、持续深化简政放权', 25], ['二、不断创新监管机制', 15], ['三、持续优化政务服务', 31],
    ]);
    expect(rows.filter((row) => row.group === 'month').map((row) => [row.label, row.count])).toEqual([
      ['2023年5月', 4], ['2023年6月', 22], ['2023年8月', 2], ['2023年9月', 1], ['2023年11月', 3], ['2023年12月', 39],
    ]);
  });

  it('given tasks without a date, then they are counted in a last 无具体日期 month row', () => {
    const plan = parsePlan(readFixture('deadlines-without-year.md'));
    const months = summarizePlan(plan).filter((row) => row.group === 'month');
    expect(months.at(-1)).toEqual({ group: 'month', label: '无具体日期', count: 2 });
  });
});

describe('formatPlanSummary', () => {
  it('given the Karamay plan, then it prints the title, the issuer and an aligned table', () => {
    const text = formatPlanSummary(karamay);
    const lines = text.split('\n');
    expect(lines[0]).toBe('克拉玛依市2023年“放管服”改革工作要点');
    expect(lines[1]).toContain('发文日期：2023-05-10');
    expect(text).toMatch(/总计\s+任务\s+71\n/);
    expect(text).toMatch(/按完成月份\s+2023年5月\s+4\n/);
    expect(text).toMatch(/\s2023年12月\s+39\n$/);
    const countColumnEnds = lines.filter((line) => /\d$/.test(line) && !line.startsWith('发文')).map(displayWidth);
    expect(new Set(countColumnEnds).size).toBe(1);
  });

  it('given a plan with no title or issuer, then it says so instead of printing null', () => {
    const text = formatPlanSummary(parsePlan(''));
    expect(text).toContain('（无标题）');
    expect(text).toContain('发文单位：未写明');
    expect(text).not.toContain('null');
  });
});

function displayWidth(line: string): number {
  return [...line].reduce((width, char) => width + (/[\u2e80-\ua4cf\uff00-\uff60]/.test(char) ? 2 : 1), 0);
}
