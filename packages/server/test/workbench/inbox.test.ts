import type { ReformTaskContext } from '@duban/reform-task';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { startTestServer, taskId } from '../support/test-server.ts';

interface Inbox {
  counts: Record<'toVerify' | 'extensions' | 'unsigned' | 'overdue' | 'openQuestions' | 'unreported', number>;
  items: { kind: string; taskId: string; since: string | null; extension?: { until: string }; questions?: { waitingFor: string[] }[] }[];
}

describe('GET /api/inbox, the office’s 待办', () => {
  let s: TestServer;
  let office: string;
  const leadOf = async (id: string) => ((await s.engine.getInstance(id))!.snapshot.context as ReformTaskContext).leadUnits[0]!;
  const asLead = async (id: string) => s.token('unit', await leadOf(id));
  const inbox = async (query = ''): Promise<Inbox> => {
    const response = await s.request(`/api/inbox?limit=1000${query}`, { token: office });
    expect(response.status).toBe(200);
    return (await response.json()) as Inbox;
  };
  const ofKind = (box: Inbox, kind: string) => box.items.filter((item) => item.kind === kind).map((item) => item.taskId);

  beforeAll(async () => {
    s = await startTestServer();
    office = await s.token('office');
  });
  afterAll(() => s.close());

  it('given a freshly assigned plan, then nothing waits yet: every count is 0 and there are no items', async () => {
    const box = await inbox();
    expect(box.counts).toEqual({ toVerify: 0, extensions: 0, unsigned: 0, overdue: 0, openQuestions: 0, unreported: 0 });
    expect(box.items).toEqual([]);
  });

  it('when a unit reports, another asks for more time and the office asks a unit a question, then each waits under its kind with what it waits for', async () => {
    const reporter = await asLead(taskId(5));
    expect((await s.send(reporter, taskId(5), { type: 'START' })).status).toBe(200);
    expect((await s.send(reporter, taskId(5), { type: 'REPORT', summary: '已完成', evidence: [{ title: '验收报告' }] })).status).toBe(200);
    expect((await s.send(await asLead(taskId(17)), taskId(17), { type: 'REQUEST_EXTENSION', until: '2024-03-31', reason: '资金未到位' })).status).toBe(200);
    const asked = await leadOf(taskId(20));
    expect((await s.send(office, taskId(20), { type: 'COMMENT', text: '请说明进展', ask: [asked] })).status).toBe(200);
    const box = await inbox();
    expect(box.counts).toMatchObject({ toVerify: 1, extensions: 1, openQuestions: 1, unsigned: 0, overdue: 0, unreported: 0 });
    expect(ofKind(box, 'toVerify')).toEqual([taskId(5)]);
    expect(box.items.find((item) => item.kind === 'extensions')).toMatchObject({ taskId: taskId(17), extension: { until: '2024-03-31' } });
    expect(box.items.find((item) => item.kind === 'openQuestions')?.questions?.[0]?.waitingFor).toEqual([asked]);
  });

  it('when three days pass, then every task still not signed waits as unsigned; when the unit answers, its question leaves', async () => {
    s.clock.advance(3 * 86_400_000);
    const assigned = (await s.engine.listInstances({ limit: 1000 })).filter((record) => record.snapshot.value === 'assigned').map((record) => record.id);
    const box = await inbox();
    expect(box.counts.unsigned).toBe(assigned.length);
    expect(new Set(ofKind(box, 'unsigned'))).toEqual(new Set(assigned));
    expect((await inbox('&unsignedDays=4')).counts.unsigned).toBe(0);
    expect((await s.send(await asLead(taskId(20)), taskId(20), { type: 'COMMENT', text: '已按计划推进' })).status).toBe(200);
    expect((await inbox()).counts.openQuestions).toBe(0);
  });

  it('when the limits pass, then the overdue count is the tasks past their limit in force, and a decided extension leaves the inbox', async () => {
    s.clock.set('2023-07-05T09:00:00+08:00');
    const records = await s.engine.listInstances({ limit: 1000 });
    const expected = records.filter((record) => {
      const task = record.snapshot.context as ReformTaskContext;
      return task.dueDate !== null && task.dueDate < '2023-07-05' && ['assigned', 'in_progress'].includes(record.snapshot.value);
    });
    const box = await inbox();
    expect(box.counts.overdue).toBe(expected.length);
    expect(box.counts.overdue).toBeGreaterThan(0);
    expect((await inbox('&kind=overdue')).items.every((item) => item.kind === 'overdue')).toBe(true);
    expect((await s.send(office, taskId(17), { type: 'DECIDE_EXTENSION', approve: false, note: '不同意' })).status).toBe(200);
    expect((await inbox()).counts.extensions).toBe(0);
  });

  it('given a task shared by a collective, when the office asks the collective, then each member is asked and leaves the question when it answers', async () => {
    const records = await s.engine.listInstances({ limit: 1000 });
    const shared = records.find((record) => {
      const task = record.snapshot.context as ReformTaskContext;
      return record.snapshot.status === 'active' && task.responsibleUnits.some((unit) => (task.collectives[unit]?.length ?? 0) > 1);
    })!;
    const task = shared.snapshot.context as ReformTaskContext;
    const collective = task.responsibleUnits.find((unit) => (task.collectives[unit]?.length ?? 0) > 1)!;
    const members = task.collectives[collective]!;
    expect((await s.send(office, shared.id, { type: 'COMMENT', text: '请各区说明进展', ask: [collective] })).status).toBe(200);
    const waiting = async () => (await inbox('&kind=openQuestions')).items.find((item) => item.taskId === shared.id)?.questions?.[0]?.waitingFor;
    expect(new Set(await waiting())).toEqual(new Set(members));
    expect((await s.send(await s.token('unit', members[0]!), shared.id, { type: 'COMMENT', text: '本区已完成' })).status).toBe(200);
    expect(new Set(await waiting())).toEqual(new Set(members.slice(1)));
  });

  it('when a unit or a reviewer asks, then 403; when the query is wrong, then 422', async () => {
    expect((await s.request('/api/inbox', { token: await s.token('unit', '市住建局') })).status).toBe(403);
    expect((await s.request('/api/inbox', { token: await s.token('reviewer') })).status).toBe(403);
    for (const query of ['kind=everything', 'unsignedDays=-1', 'unsignedDays=400', 'limit=0', 'colour=red']) {
      expect((await s.request(`/api/inbox?${query}`, { token: office })).status, query).toBe(422);
    }
  });
});
