import type { ReformTaskContext } from '@duban/reform-task';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { startTestServer, taskId } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

describe('the 待办 page and the counts in the navigation', () => {
  let s: TestServer;
  let office: WebClient;
  const leadToken = async (id: string) => s.token('unit', ((await s.engine.getInstance(id))!.snapshot.context as ReformTaskContext).leadUnits[0]!);
  /** The hidden fields of the in-place form posting to `action` on the last page. */
  const formFields = (html: string, action: string): Record<string, string> => {
    const form = html.slice(html.indexOf(`action="${action}"`));
    const value = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(form)![1]!;
    return { _version: value('_version'), _key: value('_key') };
  };
  const navTotal = (html: string) => Number(/data-inbox-total="(\d+)"/.exec(html)?.[1]);

  beforeAll(async () => {
    s = await startTestServer();
    for (const id of [taskId(5), taskId(7)]) {
      const lead = await leadToken(id);
      expect((await s.send(lead, id, { type: 'START' })).status).toBe(200);
      expect((await s.send(lead, id, { type: 'REPORT', summary: '已完成', evidence: [{ title: '验收报告' }] })).status).toBe(200);
    }
    expect((await s.send(await leadToken(taskId(17)), taskId(17), { type: 'REQUEST_EXTENSION', until: '2024-03-31', reason: '资金未到位' })).status).toBe(200);
    office = new WebClient(s.url);
    await office.signIn(await s.token('office'));
  });
  afterAll(() => s.close());

  it('when the office opens any page, then the navigation shows 待办 with the number waiting; a unit’s navigation has no 待办', async () => {
    const dashboard = await office.get('/dashboard');
    expect(dashboard.status).toBe(200);
    expect(navTotal(dashboard.body)).toBe(3);
    expect(dashboard.body).toContain('待核验 2，待审批延期 1');
    const unit = new WebClient(s.url);
    await unit.signIn(await s.token('unit', '市住建局'));
    const mine = await unit.get('/mine');
    expect(mine.body).not.toContain('href="/inbox"');
    expect((await unit.get('/inbox')).status).toBe(403);
  });

  it('when the office verifies a report in place, then it is back on the inbox with a confirmation and one fewer waiting', async () => {
    const page = await office.get('/inbox');
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('待核验的报送（2 项）');
    expect(text).toContain('待审批的延期申请（1 项）');
    const action = `/inbox/tasks/${taskId(5)}/events/VERIFY`;
    const checks = { 'checks.policyUnderstood': 'true', 'checks.requirementsMet': 'true', 'checks.difficultiesResolved': 'true', 'checks.effectSignificant': 'false' };
    const done = await office.post(action, { ...formFields(page.body, action), ...checks, opinion: '材料齐全' });
    expect(done.status).toBe(303);
    // The four judgements (四个是否) are recorded with the verification.
    expect(((await s.engine.getInstance(taskId(5)))!.snapshot.context as ReformTaskContext).lastVerification?.checks).toEqual({
      policyUnderstood: true, requirementsMet: true, difficultiesResolved: true, effectSignificant: false,
    });
    expect(done.location).toBe('/inbox?done=VERIFY&task=5');
    const after = await office.get(done.location!);
    expect(textOf(after.body)).toContain('第 5 项任务，办理记录已更新');
    expect(textOf(after.body)).toContain('待核验的报送（1 项）');
    expect(navTotal(after.body)).toBe(2);
    expect((await s.engine.getInstance(taskId(5)))!.snapshot.value).toBe('verified');
  });

  it('when the office rejects without a reason, then the inbox comes back with the reason asked for in Chinese and nothing is written; with a reason, it is sent back', async () => {
    const page = await office.get('/inbox');
    const action = `/inbox/tasks/${taskId(7)}/events/REJECT`;
    const fields = formFields(page.body, action);
    const before = await s.auditCount();
    const refused = await office.post(action, { ...fields, reason: '' });
    expect(refused.status).toBe(422);
    expect(textOf(refused.body)).toContain('第 7 项任务的“退回”未提交');
    expect(textOf(refused.body)).toContain('退回理由');
    // No judgement ticked: the form asks which one failed.
    expect(textOf(refused.body)).toContain('未达到的判断');
    expect(await s.auditCount()).toBe(before);
    const done = await office.post(action, { ...formFields(refused.body, action), failed: ['requirementsMet', 'effectSignificant'], reason: '缺少验收材料' });
    expect(done.status).toBe(303);
    expect((await s.engine.getInstance(taskId(7)))!.snapshot.value).toBe('in_progress');
    expect(((await s.engine.getInstance(taskId(7)))!.snapshot.context as ReformTaskContext).lastRejection?.failed).toEqual(['requirementsMet', 'effectSignificant']);
  });

  it('when the office approves an extension in place with another date, then the task’s limit is that date; the same form sent twice records one decision', async () => {
    const page = await office.get('/inbox');
    const action = `/inbox/tasks/${taskId(17)}/events/DECIDE_EXTENSION`;
    const form = { ...formFields(page.body, action), approve: 'true', until: '2024-02-29', note: '同意延期' };
    const first = await office.post(action, form);
    expect(first.status).toBe(303);
    const count = await s.auditCount();
    const again = await office.post(action, form, { csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! });
    expect(again.status).toBe(303);
    expect(await s.auditCount()).toBe(count);
    expect(((await s.engine.getInstance(taskId(17)))!.snapshot.context as ReformTaskContext).dueDate).toBe('2024-02-29');
    expect(textOf((await office.get('/inbox')).body)).toContain('待审批的延期申请（0 项）');
  });

  it('when a form is posted without the anti-forgery token, then 403 and nothing is written', async () => {
    const page = await office.get('/inbox');
    const before = await s.auditCount();
    const action = `/inbox/tasks/${taskId(7)}/events/REJECT`;
    const forged = await office.post(action, { _version: '9', _key: 'aaaaaaaaaaaaaaaaaaaa', reason: 'x' }, { csrf: null });
    expect(forged.status).toBe(403);
    expect(page.status).toBe(200);
    expect(await s.auditCount()).toBe(before);
  });
});
