import { describe, expect, it } from 'vitest';
import type { Assessment, SupervisionEvent } from '../../src/reports/index.ts';
import { completionTrend } from '../../src/reports/completion-trend.ts';
import { completionTrendChart } from '../../src/web/charts/completion-trend-chart.ts';
import { lightsByUnitChart } from '../../src/web/charts/lights-by-unit-chart.ts';
import { unitRankingChart } from '../../src/web/charts/unit-ranking-chart.ts';
import { taskListHref } from '../../src/web/view/task-table.ts';

const hrefs = (svg: string) => [...svg.matchAll(/<a class="chart-link" href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
const rects = (svg: string, className: string) => (svg.match(new RegExp(`<rect class="bar ${className}"`, 'g')) ?? []).length;

const scored = (unit: string, score: number, rank: number) => ({ unit, score, rank, gained: Math.max(0, score - 100), lost: Math.min(0, score - 100), byRule: [] });
const assessment: Assessment = {
  rulesVersion: 't',
  base: 100,
  asOf: '2023-09-30T15:59:59.999Z',
  units: [scored('市发改委', 104, 1), scored('市司法局', 100, 2), scored('<script>"&市</script>', 100, 2), scored('市自然资源局', 93.5, 4)],
};

describe('the dashboard\'s pictures, drawn as inline SVG by pure functions', () => {
  it('given four units, then the ranking draws four rows linking to each unit\'s tasks, above the base green and below it red, every name escaped', () => {
    const svg = unitRankingChart('r', assessment, (unit) => taskListHref({ unit })).text;
    expect(svg).toMatch(/^<svg class="chart chart-ranking" viewBox="0 0 560 \d+" role="group"/);
    expect(hrefs(svg)).toEqual(assessment.units.map((u) => `/tasks?unit=${encodeURIComponent(u.unit)}`));
    expect(rects(svg, 'bar-plus')).toBe(3);
    expect(rects(svg, 'bar-minus')).toBe(1);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;&quot;&amp;市');
    expect(svg).toContain('<desc id="r-d">第1名市发改委104分，第2名市司法局100分，第2名&lt;script&gt;&quot;&amp;市&lt;/script&gt;100分，第4名市自然资源局93.5分</desc>');
  });

  it('given units\' lights, then each non-empty light is one linked segment, the reddest unit first, and a long name is cut with its whole name kept', () => {
    const long = '克拉玛依市推进政府职能转变和放管服改革协调领导小组';
    const svg = lightsByUnitChart('l', '各牵头单位红黄绿灯', [
      { unit: '市水务局', red: 0, yellow: 1, green: 3 },
      { unit: long, red: 2, yellow: 0, green: 1 },
    ], (unit, light) => taskListHref({ unit, light })).text;
    expect(hrefs(svg)).toEqual([
      taskListHref({ unit: long, light: 'red' }),
      taskListHref({ unit: long, light: 'green' }),
      taskListHref({ unit: '市水务局', light: 'yellow' }),
      taskListHref({ unit: '市水务局', light: 'green' }),
    ]);
    expect(hrefs(svg)[0]).toContain(`unit=${encodeURIComponent(long)}`);
    expect(rects(svg, 'bar-light-red')).toBe(1);
    expect(svg).toContain(`<title>${long}</title>`);
    expect(svg).toContain('克拉玛依市推进政府职能…');
    expect(svg).toContain('<desc id="l-d">');
  });

  it('given verifications in the log, then the weekly trend counts each week\'s and the running total, weeks starting on Monday, up to the day it is as of', () => {
    const verified = (date: string): SupervisionEvent => ({ kind: 'verified', seq: 1, at: Date.parse(`${date}T04:00:00Z`), taskId: 't', number: 1, leadUnits: [], responsibleUnits: [], collectives: {}, onTime: true, detail: null });
    const urge = { ...verified('2023-01-04'), kind: 'urge' as const };
    const weeks = completionTrend([verified('2022-12-20'), verified('2023-01-02'), verified('2023-01-08'), urge, verified('2023-01-20'), verified('2023-02-01')], 2023, Date.parse('2023-01-25T04:00:00Z'));
    expect(weeks).toEqual([
      { from: '2022-12-26', to: '2023-01-01', verified: 0, done: 1 },
      { from: '2023-01-02', to: '2023-01-08', verified: 2, done: 3 },
      { from: '2023-01-09', to: '2023-01-15', verified: 0, done: 3 },
      { from: '2023-01-16', to: '2023-01-22', verified: 1, done: 4 },
      { from: '2023-01-23', to: '2023-01-25', verified: 0, done: 4 },
    ]);
    const svg = completionTrendChart('t', weeks, (week) => taskListHref({ done: true, asOf: week.to })).text;
    expect(hrefs(svg)).toHaveLength(5);
    expect(hrefs(svg)[1]).toBe('/tasks?done=1&asOf=2023-01-08');
    expect(rects(svg, 'bar-verified')).toBe(5);
    expect(svg).toContain('2023-01-02至2023-01-08：本周核验通过2项，累计3项');
  });
});
