import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { PLAN_ID, startTestServer } from '../support/test-server.ts';
import { textOf, WebClient } from './support/web-client.ts';

/** A second plan of two tasks beside the Karamay plan (71 tasks). */
const campaign = {
  planId: 'campaign-2023',
  plan: {
    title: '优化营商环境专项行动',
    issuer: null,
    issuedOn: null,
    year: 2023,
    requirements: [],
    warnings: [],
    tasks: [
      { number: 1, part: '一、专项行动', measure: null, text: '开展涉企收费专项检查。', leadUnits: ['市市场监管局'], responsibleUnits: [], deadline: { text: '2023年9月底前', date: '2023-09-30', ongoing: false } },
      { number: 2, part: '一、专项行动', measure: null, text: '清理规范中介服务事项。', leadUnits: ['市水务局'], responsibleUnits: [], deadline: { text: '2023年10月底前', date: '2023-10-31', ongoing: false } },
    ],
  },
};

const total = (page: string) => /<span class="stat-value">(\d+)<\/span><span class="stat-label">任务总数/.exec(page)?.[1];

describe('pages with several plans', () => {
  let s: TestServer;
  let office: WebClient;
  beforeAll(async () => {
    s = await startTestServer();
    const imported = await s.request('/api/plans', { method: 'POST', token: await s.token('office'), headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(campaign) });
    expect(imported.status).toBe(201);
    office = new WebClient(s.url);
    await office.signIn(await s.token('office'));
  });
  afterAll(() => s.close());

  it('when the dashboard opens without a plan, then it shows the newest active plan only, says which, and offers the others and 全部计划 in a selector', async () => {
    const page = await office.get('/dashboard');
    expect(page.status).toBe(200);
    expect(total(page.body)).toBe('2');
    expect(textOf(page.body)).toContain('当前计划：优化营商环境专项行动（共 2 个计划');
    expect(page.body).toMatch(/<select id="filter-plan" name="plan"><option value="campaign-2023" selected>优化营商环境专项行动<\/option><option value="karamay-2023-fangguanfu">/);
    expect(page.body).toContain('href="/ledger.csv?plan=campaign-2023"');
  });

  it('when a plan or all plans are chosen, then the dashboard holds that plan, or both and says it is a view across plans', async () => {
    expect(total((await office.get(`/dashboard?plan=${PLAN_ID}`)).body)).toBe('71');
    const all = await office.get('/dashboard?plan=all');
    expect(total(all.body)).toBe('73');
    expect(textOf(all.body)).toContain('当前为全部 2 个计划的跨计划汇总');
  });

  it('when a plan that does not exist is asked for, then the page says so beside the selector (422) and shows the default plan', async () => {
    const page = await office.get('/dashboard?plan=nothing');
    expect(page.status).toBe(422);
    expect(page.body).toMatch(/aria-describedby="filter-plan-error">[\s\S]*?没有这个计划，请从列表中选择/);
    expect(total(page.body)).toBe('2');
  });

  it('when the task list, the assessment and the ledger are opened for one plan, then they hold that plan: the list its tasks, the assessment its units, the ledger download its rows', async () => {
    const list = await office.get('/tasks?plan=campaign-2023');
    expect([...list.body.matchAll(/href="\/tasks\/(campaign-2023\.\d+|karamay[^"]+)"/g)].map((m) => m[1])).toEqual(['campaign-2023.001', 'campaign-2023.002']);
    const assessment = textOf((await office.get('/assessment?plan=campaign-2023')).body);
    expect(assessment).toContain('各单位考核得分（2 个单位');
    const ledger = await office.get(`/ledger?plan=${PLAN_ID}`);
    expect(ledger.body).toContain(`href="/ledger.csv?asOf=2023-05-10&amp;plan=${PLAN_ID}"`);
    const csv = await office.get(`/ledger.csv?plan=campaign-2023`);
    expect(csv.body.trimEnd().split('\r\n')).toHaveLength(3);
    const across = await office.get('/ledger.csv?plan=all');
    expect(across.body.replace(/^\uFEFF/, '').startsWith('所属计划,序号,')).toBe(true);
  });
});
