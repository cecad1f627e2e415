import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer, taskId } from '../support/test-server.ts';

interface Result {
  id: string;
  status: number;
  entry?: { taskId: string; type: string; payload: Record<string, unknown> };
  problem?: { title: string; status: number; type: string };
}

describe('POST /api/tasks/bulk-events', () => {
  let s: TestServer;
  let office: string;
  beforeAll(async () => {
    s = await startTestServer();
    office = await s.token('office');
  });
  afterAll(() => s.close());

  const bulk = (token: string, body: unknown, headers: Record<string, string> = {}) =>
    s.request('/api/tasks/bulk-events', { method: 'POST', token, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const results = async (response: Response): Promise<Result[]> => {
    expect(response.status).toBe(200);
    return ((await response.json()) as { results: Result[] }).results;
  };

  it('when the office urges three tasks and names one unknown, then each known task gets one URGE entry with the one message and the unknown one a 404 result', async () => {
    const ids = [taskId(1), taskId(2), 'no-such-task', taskId(3)];
    const before = await s.auditCount();
    const answer = await results(await bulk(office, { ids, type: 'URGE', message: '请于本周内报送进展' }));
    expect(answer.map((r) => [r.id, r.status])).toEqual([[taskId(1), 200], [taskId(2), 200], ['no-such-task', 404], [taskId(3), 200]]);
    for (const r of answer.filter((r) => r.status === 200)) expect(r.entry).toMatchObject({ taskId: r.id, type: 'URGE', payload: { message: '请于本周内报送进展' } });
    expect(answer[2]!.problem).toMatchObject({ status: 404, title: '任务不存在' });
    expect(await s.auditCount()).toBe(before + 3);
  });

  it('given a unit, when it sends an event to its own task and to another unit’s, then the other’s is a 404 identical to an unknown task’s, and its own is judged by who may send what', async () => {
    const unit = await s.token('unit', '市住建局');
    const own = taskId(5);
    const before = await s.auditCount();
    const answer = await results(await bulk(unit, { ids: [own, taskId(1), 'unknown-task'], type: 'URGE', message: '催' }));
    expect(answer[0]).toMatchObject({ id: own, status: 403 });
    expect(answer[1]!.status).toBe(404);
    expect(answer[1]!.problem).toEqual(answer[2]!.problem);
    expect(await s.auditCount()).toBe(before);
  });

  it('when the same request is sent again with its Idempotency-Key, then the first answer comes back and nothing is written; with another body, 422', async () => {
    const body = { ids: [taskId(10), taskId(11)], type: 'URGE', message: '请抓紧' };
    const headers = { 'Idempotency-Key': 'bulk-urge-once' };
    const first = await bulk(office, body, headers);
    const firstText = await first.text();
    expect(first.status).toBe(200);
    const count = await s.auditCount();
    const again = await bulk(office, body, headers);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(firstText);
    expect(await s.auditCount()).toBe(count);
    const other = await bulk(office, { ...body, message: '另一条' }, headers);
    expect(other.status).toBe(422);
    expect((await problemOf(other))['type']).toBe('urn:duban:problem:idempotency-key-reused');
    expect(await s.auditCount()).toBe(count);
  });

  it('when 1,001 tasks or 10,001 are named, or one twice, or an event that is not for many tasks, then the whole request is refused and nothing is written', async () => {
    const before = await s.auditCount();
    const many = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    const tooMany = await bulk(office, { ids: many(1001), type: 'URGE', message: 'x' });
    expect(tooMany.status).toBe(422);
    expect(JSON.stringify((await problemOf(tooMany))['errors'])).toContain('body.ids');
    const wayTooMany = await bulk(office, { ids: many(10_001).map((id) => `karamay-2023-fangguanfu.${id}`), type: 'URGE', message: 'x' });
    expect([413, 422]).toContain(wayTooMany.status);
    expect((await problemOf(wayTooMany))['title']).toBeTruthy();
    expect((await bulk(office, { ids: [taskId(1), taskId(1)], type: 'URGE', message: 'x' })).status).toBe(422);
    const start = await bulk(office, { ids: [taskId(1)], type: 'START' });
    expect(start.status).toBe(422);
    expect(JSON.stringify((await problemOf(start))['errors'])).toContain('body.type');
    expect(await s.auditCount()).toBe(before);
  });

  it('given two tasks with extension requests and one without, when the office approves them all, then the two get new limits and the third a 409 result', async () => {
    const lead = await s.token('unit', '市住建局');
    for (const id of [taskId(5), taskId(17)]) {
      const task = (await s.engine.getInstance(id))!;
      const leadUnit = (task.snapshot.context as { leadUnits: string[] }).leadUnits[0]!;
      const token = leadUnit === '市住建局' ? lead : await s.token('unit', leadUnit);
      const asked = await s.send(token, id, { type: 'REQUEST_EXTENSION', until: '2024-03-31', reason: '资金未到位' });
      expect(asked.status, id).toBe(200);
    }
    const answer = await results(await bulk(office, { ids: [taskId(5), taskId(17), taskId(20)], type: 'DECIDE_EXTENSION', approve: true, note: '同意' }));
    expect(answer.map((r) => r.status)).toEqual([200, 200, 409]);
    const view = (await (await s.request(`/api/tasks/${taskId(17)}`, { token: office })).json()) as { dueDate: string };
    expect(view.dueDate).toBe('2024-03-31');
  });

  it('when the office reassigns several tasks to one lead unit, then each is led by it; an unknown unit is each task’s 422', async () => {
    const answer = await results(await bulk(office, { ids: [taskId(30), taskId(31)], type: 'REASSIGN', leadUnits: ['市发改委'] }));
    expect(answer.map((r) => r.status)).toEqual([200, 200]);
    for (const id of [taskId(30), taskId(31)]) expect(((await s.engine.getInstance(id))!.snapshot.context as { leadUnits: string[] }).leadUnits).toEqual(['市发改委']);
    const unknown = await results(await bulk(office, { ids: [taskId(32)], type: 'REASSIGN', leadUnits: ['不存在的局'] }));
    expect(unknown[0]!.status).toBe(422);
  });
});
