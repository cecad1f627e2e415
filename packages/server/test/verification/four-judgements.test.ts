import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer, taskId } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';
import { assessUnits, defaultAssessmentRules, parseAssessmentRules } from '../../src/reports/index.ts';

const ALL_YES = { policyUnderstood: true, requirementsMet: true, difficultiesResolved: true, effectSignificant: true };

describe('四个是否: the four judgements at verification', () => {
  let s: TestServer;
  let office: string;

  beforeAll(async () => {
    s = await startTestServer();
    office = await s.token('office');
  });
  afterAll(async () => s.close());

  /** Task n's lead signs and reports, so the office may verify or reject it. */
  const reported = async (n: number, lead: string) => {
    const token = await s.token('unit', lead);
    expect((await s.send(token, taskId(n), { type: 'START' })).status).toBe(200);
    expect((await s.send(token, taskId(n), { type: 'REPORT', summary: '已完成', evidence: [{ title: '文件' }] })).status).toBe(200);
  };
  const ledgerLine = async (n: number) => (await (await s.request('/api/reports/ledger.csv', { token: office })).text()).split('\r\n').find((line) => line.startsWith(`${n},`)) ?? '';

  it('given an old client, when it verifies with an opinion only, then 200 as before and the ledger shows the opinion alone', async () => {
    await reported(7, '市水务局');
    expect((await s.send(office, taskId(7), { type: 'VERIFY', opinion: '同意' })).status).toBe(200);
    const line = await ledgerLine(7);
    expect(line).toContain(',同意,');
    expect(line).not.toContain('四个是否');
  });

  it('when the office verifies with the four judgements, then they are recorded, shown on the task page and in the ledger’s 核验意见', async () => {
    await reported(3, '市发改委');
    const response = await s.send(office, taskId(3), { type: 'VERIFY', opinion: '同意销号', checks: { ...ALL_YES, effectSignificant: false } });
    expect(response.status).toBe(200);
    expect(await ledgerLine(3)).toContain('同意销号（四个是否：政策理解是否到位：是；任务要求是否落实：是；难点问题是否解决：是；改革成效是否显著：否）');
    const web = new WebClient(s.url);
    await web.signIn(office);
    const page = await web.get(`/tasks/${taskId(3)}`);
    expect(textOf(page.body)).toContain('四个是否：政策理解是否到位：是；任务要求是否落实：是；难点问题是否解决：是；改革成效是否显著：否');
  });

  it('when the office sends only some judgements, an unknown one or a non-boolean, then 422 naming each, and nothing is written', async () => {
    await reported(4, '市自然资源局');
    const entries = await s.auditCount();
    const partial = await s.send(office, taskId(4), { type: 'VERIFY', checks: { policyUnderstood: true } });
    expect(partial.status).toBe(422);
    const paths = ((await problemOf(partial))['errors'] as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['checks.difficultiesResolved', 'checks.effectSignificant', 'checks.requirementsMet']);
    expect((await s.send(office, taskId(4), { type: 'VERIFY', checks: { ...ALL_YES, extra: true } })).status).toBe(422);
    expect((await s.send(office, taskId(4), { type: 'VERIFY', checks: { ...ALL_YES, effectSignificant: '是' } })).status).toBe(422);
    expect(await s.auditCount()).toBe(entries);
  });

  it('when the office rejects naming the judgements that failed, then they are kept and the ledger says which; an unknown or repeated judgement is 422', async () => {
    const entries = await s.auditCount();
    expect((await s.send(office, taskId(4), { type: 'REJECT', reason: '成效不明显', failed: ['effectSignificant', 'effectSignificant'] })).status).toBe(422);
    expect((await s.send(office, taskId(4), { type: 'REJECT', reason: '成效不明显', failed: ['pretty'] })).status).toBe(422);
    expect((await s.send(office, taskId(4), { type: 'REJECT', reason: '成效不明显', failed: [] })).status).toBe(422);
    expect(await s.auditCount()).toBe(entries);
    expect((await s.send(office, taskId(4), { type: 'REJECT', reason: '成效不明显', failed: ['difficultiesResolved', 'effectSignificant'] })).status).toBe(200);
    expect(await ledgerLine(4)).toContain('退回：成效不明显（未达到：难点问题是否解决、改革成效是否显著）');
  });

  it('given an old client, when it rejects with a reason only, then 200 as before', async () => {
    await reported(5, '市住建局');
    expect((await s.send(office, taskId(5), { type: 'REJECT', reason: '材料不全' })).status).toBe(200);
    expect(await ledgerLine(5)).toContain('退回：材料不全,');
  });

  it('given rules that weigh the judgements (改革成效是否显著 否: −2 to the lead; any 是: +0.5), when the units are assessed, then each judgement scores its task’s lead', async () => {
    const rules = parseAssessmentRules({
      ...defaultAssessmentRules,
      rules: [
        { id: 'effect-not-significant', trigger: 'check-failed', check: 'effectSignificant', appliesTo: 'lead', points: -2, description: '改革成效不显著' },
        { id: 'judgement-passed', trigger: 'check-passed', appliesTo: 'lead', points: 0.5, description: '核验判断为“是”' },
      ],
    });
    const at = s.clock.now();
    const facts = await s.duban.plans.facts({ at, now: true });
    const units = new Map(assessUnits(rules, facts.tasks, facts.events, at).units.map((u) => [u.unit, u]));
    // Task 3 (市发改委): three 是 and 改革成效是否显著 否 at VERIFY.
    expect(units.get('市发改委')!.reasons!.map((r) => [r.ruleId, r.points])).toEqual([
      ['judgement-passed', 0.5],
      ['judgement-passed', 0.5],
      ['judgement-passed', 0.5],
      ['effect-not-significant', -2],
    ]);
    // Task 4 (市自然资源局): REJECT named 难点问题是否解决 and 改革成效是否显著.
    expect(units.get('市自然资源局')!.reasons!.map((r) => r.ruleId)).toEqual(['effect-not-significant']);
    // Task 7 was verified without judgements: nothing to weigh.
    expect(units.get('市水务局')!.reasons!).toEqual([]);
  });

  it('given a rule naming a judgement on another trigger, then the rules file is refused naming the rule', () => {
    expect(() =>
      parseAssessmentRules({ ...defaultAssessmentRules, rules: [{ id: 'x', trigger: 'urge', check: 'effectSignificant', appliesTo: 'lead', points: -1, description: '错误' }] }),
    ).toThrow(/rules\[0\]\.check: check applies only to the triggers check-passed and check-failed/);
  });
});
