import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer, taskId } from '../support/test-server.ts';

// Task 3: lead 市发改委, responsible 各区人民政府 (its four districts receive notices for it).
const DISTRICTS = ['独山子区人民政府', '克拉玛依区人民政府', '白碱滩区人民政府', '乌尔禾区人民政府'];

interface EventAnswer {
  task: { state: string; version: number };
  entry: { type: string; actor: { role: string; unit: string | null; account?: { id: number; name: string } }; payload: { text: string } };
}

describe('leaders: instructions (批示) and a watch list (关注)', () => {
  let s: TestServer;
  let leader: string;
  let office: string;
  let officePerson: string;
  let unit: string;
  let serviceLeader: string;

  beforeAll(async () => {
    s = await startTestServer();
    const at = s.clock.now();
    const wang = await s.duban.accounts.create({ login: 'wang.fsz', displayName: '王副市长', role: 'leader' }, at);
    leader = (await s.tokens.create({ role: 'leader', accountId: wang.id }, at)).token;
    const li = await s.duban.accounts.create({ login: 'li.office', displayName: '李督查', role: 'office-staff' }, at);
    officePerson = (await s.tokens.create({ role: 'office', accountId: li.id }, at)).token;
    serviceLeader = (await s.tokens.create({ role: 'leader' }, at)).token;
    office = await s.token('office');
    unit = await s.token('unit', '市发改委');
  });
  afterAll(async () => s.close());

  const notices = () => s.db.selectFrom('notification').select(['unit', 'type', 'title', 'body']).where('type', '=', 'INSTRUCT').orderBy('id').execute();

  it("when a leader instructs on a task, then the entry is INSTRUCT under the leader's account, the state stays and every party is told", async () => {
    const before = await (await s.request(`/api/tasks/${taskId(3)}`, { token: office })).json() as { state: string; version: number };
    const response = await s.send(leader, taskId(3), { type: 'INSTRUCT', text: '请市发改委牵头，月底前拿出方案。' });
    expect(response.status).toBe(200);
    const { task, entry } = (await response.json()) as EventAnswer;
    expect(entry.type).toBe('INSTRUCT');
    expect(entry.actor).toMatchObject({ role: 'leader', unit: null, account: { name: '王副市长' } });
    expect(task.state).toBe(before.state);
    expect(task.version).toBe(before.version + 1);
    const sent = await notices();
    expect(sent.map((n) => n.unit).sort()).toEqual(['市发改委', ...DISTRICTS].sort());
    for (const n of sent) {
      expect(n.title).toBe('【领导批示】第3项任务');
      expect(n.body).toContain('王副市长');
      expect(n.body).toContain('请市发改委牵头，月底前拿出方案');
    }
  });

  it('when a leader sends any other event, or the office, a unit or a leader service token instructs, then 403 and nothing is written', async () => {
    const entries = await s.auditCount();
    expect((await s.send(leader, taskId(3), { type: 'URGE', message: '加快' })).status).toBe(403);
    expect((await s.send(office, taskId(3), { type: 'INSTRUCT', text: '代领导批示' })).status).toBe(403);
    expect((await s.send(unit, taskId(3), { type: 'INSTRUCT', text: '自己批示' })).status).toBe(403);
    expect((await s.send(serviceLeader, taskId(3), { type: 'INSTRUCT', text: '没有账号的批示' })).status).toBe(403);
    expect(await s.auditCount()).toBe(entries);
  });

  it('when an instruction is blank, longer than 2000 characters or carries an unknown field, then 422 naming the field and nothing is written', async () => {
    const entries = await s.auditCount();
    const blank = await s.send(leader, taskId(3), { type: 'INSTRUCT', text: '  ' });
    expect(blank.status).toBe(422);
    expect(JSON.stringify(await problemOf(blank))).toContain('text');
    expect((await s.send(leader, taskId(3), { type: 'INSTRUCT', text: '批'.repeat(2001) })).status).toBe(422);
    expect((await s.send(leader, taskId(3), { type: 'INSTRUCT', text: '好', urgent: true })).status).toBe(422);
    expect((await s.send(leader, taskId(3), { type: 'INSTRUCT', text: '批'.repeat(2000) })).status).toBe(200);
    expect(await s.auditCount()).toBe(entries + 1);
  });

  it('when a leader watches two tasks and unwatches one, then the list holds the other; watching twice is watching once', async () => {
    const put = (token: string, id: string) => s.request(`/api/tasks/${id}/watch`, { method: 'PUT', token, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const list = async (token: string) => ((await (await s.request('/api/watches', { token })).json()) as { items: { id: string; number: number }[] }).items.map((t) => t.number);
    expect(await list(leader)).toEqual([]);
    expect((await put(leader, taskId(5))).status).toBe(200);
    s.clock.advance(1000);
    expect((await put(leader, taskId(9))).status).toBe(200);
    expect((await put(leader, taskId(9))).status).toBe(200);
    expect(await list(leader)).toEqual([9, 5]);
    const removed = await s.request(`/api/tasks/${taskId(9)}/watch`, { method: 'DELETE', token: leader });
    expect(await removed.json()).toEqual({ taskId: taskId(9), watching: false });
    expect(await list(leader)).toEqual([5]);
    // Each person's own list.
    expect(await list(officePerson)).toEqual([]);
  });

  it('when a unit, a service token or an unknown task is watched, then 403 or 404 and no row is kept', async () => {
    const rows = async () => (await s.db.selectFrom('task_watch').selectAll().execute()).length;
    const before = await rows();
    const put = (token: string, id: string) => s.request(`/api/tasks/${id}/watch`, { method: 'PUT', token, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const refusedUnit = await put(unit, taskId(3));
    expect(refusedUnit.status).toBe(403);
    expect((await problemOf(refusedUnit))['title']).toBe('关注任务须以本人账号登录（领导或办公室工作人员）');
    expect((await put(office, taskId(3))).status).toBe(403);
    expect((await s.request('/api/watches', { token: unit })).status).toBe(403);
    expect((await put(leader, `${taskId(3)}x`)).status).toBe(404);
    expect(await rows()).toBe(before);
  });
});
