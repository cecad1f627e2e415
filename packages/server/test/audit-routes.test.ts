import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './support/test-server.ts';
import { problemOf, startTestServer, taskId } from './support/test-server.ts';

interface Entry {
  seq: number;
  taskId: string;
  type: string;
  from: string | null;
  to: string;
  hash: string;
  prevHash: string;
}

describe('history, audit and replay over HTTP', () => {
  let s: TestServer;
  let reviewer: string;
  let water: string;
  beforeAll(async () => {
    s = await startTestServer();
    reviewer = await s.token('reviewer');
    water = await s.token('unit', '市水务局');
    s.clock.set('2023-05-11T10:00:00+08:00');
    await s.send(water, taskId(7), { type: 'START' });
    s.clock.set('2023-05-20T10:00:00+08:00');
    await s.send(water, taskId(7), { type: 'PROGRESS', summary: '过半', percent: 50 });
  });
  afterAll(() => s.close());

  it('when a unit asks GET /api/tasks/:id/history of its task, then it gets the task\'s entries, oldest first, each with taskId', async () => {
    const response = await s.request(`/api/tasks/${taskId(7)}/history`, { token: water });
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Entry[] };
    expect(items.map((e) => e.type)).toEqual(['CREATE', 'START', 'PROGRESS']);
    expect(items.every((e) => e.taskId === taskId(7))).toBe(true);
  });

  it('when a reviewer pages through GET /api/audit by seq with `next`, then every entry comes once and chains to the one before', async () => {
    const seen: Entry[] = [];
    let after = 0;
    for (;;) {
      const page = (await (await s.request(`/api/audit?after=${after}&limit=20`, { token: reviewer })).json()) as { items: Entry[]; next: number | null };
      seen.push(...page.items);
      if (page.next === null) break;
      after = page.next;
    }
    expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: 73 }, (_, i) => i + 1));
    for (let i = 1; i < seen.length; i += 1) expect(seen[i]!.prevHash).toBe(seen[i - 1]!.hash);
  });

  it('when a unit asks for the whole log, its verification or a replay, then it gets 403', async () => {
    for (const path of ['/api/audit', '/api/audit/verify', '/api/replay']) {
      const response = await s.request(path, { token: water });
      expect(response.status, path).toBe(403);
      await problemOf(response);
    }
  });

  it('when a reviewer asks GET /api/audit/verify, then it says the chain is intact', async () => {
    expect(await (await s.request('/api/audit/verify', { token: reviewer })).json()).toEqual({ ok: true, entries: 73, checkpoints: 0, files: { checked: 0, broken: [] } });
  });

  it('when a reviewer asks GET /api/replay?asOf=, then it gets the states as they stood then, and 422 for an instant that is none', async () => {
    const before = (await (await s.request(`/api/replay?asOf=${encodeURIComponent('2023-05-10T12:00:00+08:00')}`, { token: reviewer })).json()) as { items: { taskId: string; state: string; version: number }[] };
    expect(before.items.find((i) => i.taskId === taskId(7))).toEqual({ taskId: taskId(7), state: 'assigned', version: 1 });
    const after = (await (await s.request(`/api/replay?asOf=${encodeURIComponent('2023-05-12T00:00:00Z')}`, { token: reviewer })).json()) as { items: { taskId: string; state: string; version: number }[] };
    expect(after.items.find((i) => i.taskId === taskId(7))).toEqual({ taskId: taskId(7), state: 'in_progress', version: 2 });
    expect((await s.request('/api/replay?asOf=yesterday', { token: reviewer })).status).toBe(422);
  });
});
