import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { PLAN_ID, problemOf, startTestServer } from '../support/test-server.ts';

/** A second plan of two tasks, as Plan JSON, led by units the Karamay plan also names. */
const campaign = {
  planId: 'campaign-2023',
  plan: {
    title: '优化营商环境专项行动',
    issuer: '示例市人民政府办公室',
    issuedOn: null,
    year: 2023,
    requirements: [],
    warnings: [],
    tasks: [
      { number: 1, part: null, measure: null, text: '开展涉企收费专项检查。', leadUnits: ['市市场监管局'], responsibleUnits: [], deadline: { text: '2023年9月底前', date: '2023-09-30', ongoing: false } },
      { number: 2, part: null, measure: null, text: '清理规范中介服务事项。', leadUnits: ['市水务局'], responsibleUnits: [], deadline: { text: '2023年10月底前', date: '2023-10-31', ongoing: false } },
    ],
  },
};

describe('several plans side by side', () => {
  let s: TestServer;
  let office: string;
  const json = async <T>(path: string) => (await (await s.request(path, { token: office })).json()) as T;
  beforeAll(async () => {
    s = await startTestServer();
    office = await s.token('office');
    const imported = await s.request('/api/plans', { method: 'POST', token: office, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(campaign) });
    expect(imported.status).toBe(201);
  });
  afterAll(() => s.close());

  it('given the Karamay plan and a second plan, when the plans are listed, then both are there with their task counts, the newest first', async () => {
    const { items } = await json<{ items: { id: string; title: string; tasks: number }[] }>('/api/plans');
    expect(items.map((plan) => [plan.id, plan.tasks])).toEqual([['campaign-2023', 2], [PLAN_ID, 71]]);
    expect(items[0]?.title).toBe('优化营商环境专项行动');
  });

  it('when the tasks, the summary and the assessment are asked for one plan, then they hold that plan only; without a plan, both', async () => {
    expect((await json<{ items: { id: string }[] }>('/api/tasks?plan=campaign-2023')).items.map((task) => task.id)).toEqual(['campaign-2023.001', 'campaign-2023.002']);
    expect((await json<{ items: unknown[] }>(`/api/tasks?plan=${PLAN_ID}&limit=1000`)).items).toHaveLength(71);
    expect((await json<{ total: number }>(`/api/reports/summary?plan=${PLAN_ID}`)).total).toBe(71);
    expect((await json<{ total: number }>('/api/reports/summary?plan=campaign-2023')).total).toBe(2);
    expect((await json<{ total: number }>('/api/reports/summary')).total).toBe(73);
    const units = (await json<{ units: { unit: string }[] }>('/api/reports/units?plan=campaign-2023')).units.map((unit) => unit.unit).sort();
    expect(units).toEqual(['市市场监管局', '市水务局'].sort());
  });

  it('when the ledger is downloaded for one plan, then it has no plan column and that plan\'s rows; across plans, 所属计划 comes first and names each', async () => {
    const lines = async (path: string) => (await (await s.request(path, { token: office })).text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    const one = await lines('/api/reports/ledger.csv?plan=campaign-2023');
    expect(one[0]?.startsWith('序号,')).toBe(true);
    expect(one).toHaveLength(3);
    const all = await lines('/api/reports/ledger.csv');
    expect(all[0]?.startsWith('所属计划,序号,')).toBe(true);
    expect(all).toHaveLength(74);
    expect(all.filter((line) => line.startsWith('campaign-2023,'))).toHaveLength(2);
  });

  it('when a report names a plan that does not exist, then 404 计划不存在', async () => {
    const response = await s.request('/api/reports/summary?plan=nothing-here', { token: office });
    expect(response.status).toBe(404);
    expect((await problemOf(response))['title']).toBe('计划不存在');
  });
});
