import { partyUnits } from '@duban/reform-task';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './support/test-server.ts';
import { startTestServer, taskId } from './support/test-server.ts';

interface Page {
  items: { id: string; state: string; light: string; leadUnits: string[]; responsibleUnits: string[]; allowedEvents: string[] }[];
  nextCursor: string | null;
}

describe('GET /api/tasks', () => {
  let s: TestServer;
  let office: string;
  beforeAll(async () => {
    s = await startTestServer();
    office = await s.token('office');
  });
  afterAll(() => s.close());

  async function all(token: string, query = '', limit = 7): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await s.request(`/api/tasks?limit=${limit}${query}${cursor === null ? '' : `&cursor=${cursor}`}`, { token });
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(100);
    } while (cursor !== null);
    return { ids, pages };
  }

  it('when the office pages through the list, then every task of the Karamay plan comes once, with no gap', async () => {
    const { ids, pages } = await all(office);
    const expected = Array.from({ length: 71 }, (_, i) => taskId(i + 1));
    expect(ids).toEqual(expected);
    expect(pages).toBe(Math.ceil(71 / 7));
  });

  it('when a page ends exactly at the last task, then it says there is no next page', async () => {
    const response = await s.request('/api/tasks?limit=71', { token: office });
    expect(((await response.json()) as Page).nextCursor).toBeNull();
    const first = (await (await s.request('/api/tasks?limit=70', { token: office })).json()) as Page;
    expect(first.nextCursor).not.toBeNull();
    const last = (await (await s.request(`/api/tasks?limit=70&cursor=${first.nextCursor}`, { token: office })).json()) as Page;
    expect(last.items.map((t) => t.id)).toEqual([taskId(71)]);
    expect(last.nextCursor).toBeNull();
  });

  it('when no limit is given, then a page holds up to 100; when more than 1000 are asked, then 422', async () => {
    const page = (await (await s.request('/api/tasks', { token: office })).json()) as Page;
    expect(page.items).toHaveLength(71);
    expect((await s.request('/api/tasks?limit=1000', { token: office })).status).toBe(200);
    expect((await s.request('/api/tasks?limit=1001', { token: office })).status).toBe(422);
  });

  it('when a unit pages through the list, then it gets exactly the tasks it is a party to, including through a collective', async () => {
    for (const unit of ['市水务局', '市林草局', '独山子区人民政府', '市医保局']) {
      const token = await s.token('unit', unit);
      const { ids } = await all(token, '', 5);
      expect(ids.length, unit).toBeGreaterThan(0);
      for (const id of ids) {
        const instance = (await s.engine.getInstance(id))!;
        const context = instance.snapshot.context as Parameters<typeof partyUnits>[0];
        expect(partyUnits(context), `${unit} sees ${id}`).toContain(unit);
      }
      // and it misses none of them
      const everything = await s.engine.listInstances({ limit: 1000 });
      const own = everything.filter((i) => partyUnits(i.snapshot.context as Parameters<typeof partyUnits>[0]).includes(unit)).map((i) => i.id);
      expect(ids).toEqual(own);
    }
  });

  it('given a district government, when it lists the tasks and reports progress on one of 各区人民政府, then it sees the task and the progress is accepted', async () => {
    const token = await s.token('unit', '独山子区人民政府');
    const { ids } = await all(token, '', 100);
    expect(ids).toContain(taskId(1));
    const lead = await s.token('unit', '市发改委');
    expect((await s.send(lead, taskId(1), { type: 'START' })).status).toBe(200);
    expect((await s.send(token, taskId(1), { type: 'PROGRESS', summary: '独山子区进展' })).status).toBe(200);
  });

  it('when the office filters by state, light or unit (an alias), then it gets exactly the matching tasks', async () => {
    const water = await s.token('unit', '市水务局');
    await s.send(water, taskId(7), { type: 'START' });
    const inProgress = await all(office, '&state=in_progress', 100);
    expect(inProgress.ids).toEqual(expect.arrayContaining([taskId(7)]));
    for (const id of inProgress.ids) expect((await s.engine.getInstance(id))!.snapshot.value).toBe('in_progress');
    const fund = await all(office, `&unit=${encodeURIComponent('市住房公积金中心')}`, 100);
    const everything = await s.engine.listInstances({ limit: 1000 });
    const fundTasks = everything.filter((i) => partyUnits(i.snapshot.context as Parameters<typeof partyUnits>[0]).includes('市住房公积金管理中心')).map((i) => i.id);
    expect(fund.ids).toEqual(fundTasks);
    expect(fund.ids).toEqual(expect.arrayContaining([taskId(19), taskId(20)]));
    const green = await all(office, '&light=green', 100);
    expect(green.ids).toHaveLength(71);
    expect((await all(office, '&light=red', 100)).ids).toEqual([]);
  });

  it('when a reviewer lists the tasks, then each shows no event it may send', async () => {
    const reviewer = await s.token('reviewer');
    const page = (await (await s.request(`/api/tasks?limit=3`, { token: reviewer })).json()) as Page;
    for (const task of page.items) expect(task.allowedEvents).toEqual([]);
  });
});
