import type { ReformTaskContext } from '@duban/reform-task';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPaths } from '../../src/app/repo-paths.ts';
import { importPlan } from '../../src/plans/import-plan.ts';
import { loadPlanFile } from '../../src/plans/load-plan-file.ts';
import type { TestServer } from '../support/test-server.ts';
import { PLAN_ID, samplePlan, startTestServer } from '../support/test-server.ts';

interface Page {
  items: { id: string; state: string }[];
  nextCursor: string | null;
}

/** A second plan whose id sorts before the Karamay plan's: its tasks come first in plan order although their search rows are written after. */
const EARLIER_PLAN = 'aaa-earlier-plan';

describe('GET /api/tasks?q= paged in plan order (the search walks its matches in order and stops at the page)', () => {
  let s: TestServer;
  let office: string;
  let plan: { id: string; task: ReformTaskContext }[];
  beforeAll(async () => {
    s = await startTestServer({
      seed: async (duban, clock) => {
        await samplePlan(duban, clock);
        // The Karamay plan's rows exist first (a search writes any missing), then the earlier plan's are written between.
        await duban.search.matching('不动产', (await duban.engine.listInstances({ limit: 1000 })).map((record) => ({ id: record.id })));
        const { plan: tasks } = await loadPlanFile(repoPaths.samplePlan);
        await importPlan(duban.engine, tasks, EARLIER_PLAN, clock.now(), { units: duban.units });
      },
    });
    office = await s.token('office');
    plan = (await s.engine.listInstances({ limit: 1000 })).map((record) => ({ id: record.id, task: record.snapshot.context as ReformTaskContext }));
  });
  afterAll(() => s.close());

  const parties = (task: ReformTaskContext) => [...task.leadUnits, ...task.responsibleUnits, ...Object.values(task.collectives).flat()];
  /** The tasks holding `word` (and seen by `unit`, when given) in plan order — plan id, then number — worked out without the index. */
  const holding = (word: string, unit?: string) =>
    plan
      .filter(({ task }) => [task.text, task.measure, task.part, ...task.leadUnits, ...task.responsibleUnits].some((field) => field.includes(word)))
      .filter(({ task }) => unit === undefined || parties(task).includes(unit))
      .sort((a, b) => (a.task.planId < b.task.planId ? -1 : a.task.planId > b.task.planId ? 1 : a.task.number - b.task.number))
      .map(({ id }) => id);

  /** Every page of `query`, `limit` at a time, following nextCursor: the ids in the order served, and how many pages. */
  const paged = async (query: string, limit: number, token = office) => {
    const ids: string[] = [];
    let pages = 0;
    let cursor: string | null = null;
    do {
      const response = await s.request(`/api/tasks?${query}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`, { token });
      expect(response.status, query).toBe(200);
      const page = (await response.json()) as Page;
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 100);
    return { ids, pages };
  };

  it('given two plans whose rows were written out of plan order, when the office pages a three-character search 5 at a time, then the pages join into exactly the matches in plan order: no gap, no repeat', async () => {
    const expected = holding('不动产');
    expect(expected.filter((id) => id.startsWith(EARLIER_PLAN)).length).toBeGreaterThan(0);
    expect(expected.filter((id) => id.startsWith(PLAN_ID)).length).toBeGreaterThan(0);
    const { ids, pages } = await paged(`q=${encodeURIComponent('不动产')}`, 5);
    expect(pages).toBeGreaterThan(1);
    expect(ids).toEqual(expected);
  });

  it('when it pages the same search by number descending, then it gets the reverse of plan order, page boundaries included', async () => {
    const { ids, pages } = await paged(`q=${encodeURIComponent('不动产')}&sort=number&order=desc`, 4);
    expect(pages).toBeGreaterThan(1);
    expect(ids).toEqual(holding('不动产').reverse());
  });

  it('when the search is two characters (a scan, not the trigram index), then its pages join in plan order too', async () => {
    const expected = holding('审批');
    expect(expected.length).toBeGreaterThan(6);
    expect((await paged(`q=${encodeURIComponent('审批')}`, 3)).ids).toEqual(expected);
    expect((await paged(`q=${encodeURIComponent('审批')}&order=desc`, 3)).ids).toEqual(expected.reverse());
  });

  it('given a unit, when it pages a search whose matches are mostly other units’ tasks, then each page holds only its own tasks and the pages join into all of them in plan order', async () => {
    const unit = '市自然资源局';
    const expected = holding('改革', unit);
    expect(expected.length).toBeGreaterThan(4);
    expect(expected.length).toBeLessThan(holding('改革').length / 2);
    const { ids, pages } = await paged(`q=${encodeURIComponent('改革')}`, 2, await s.token('unit', unit));
    expect(pages).toBeGreaterThan(2);
    expect(ids).toEqual(expected);
  });

  it('given a search and a state filter, when the office pages it, then every task is in that state and the pages join into the matches in that state', async () => {
    const lead = await s.token('unit', '市住建局');
    const started = holding('项目', '市住建局').slice(0, 3);
    for (const id of started) expect((await s.send(lead, id, { type: 'START' })).status).toBe(200);
    const { ids } = await paged(`q=${encodeURIComponent('项目')}&state=in_progress`, 2);
    expect(ids).toEqual(started);
  });

  it('when a task’s progress gives it the searched words, then a later page finds it in its place in plan order', async () => {
    const lead = await s.token('unit', '市住建局');
    const [first, second] = holding('项目', '市住建局').slice(0, 2);
    for (const id of [first!, second!]) expect((await s.send(lead, id, { type: 'PROGRESS', summary: '雪线巡查进展顺利', percent: 30 })).status).toBe(200);
    expect((await paged(`q=${encodeURIComponent('雪线巡查')}`, 1)).ids).toEqual([first, second]);
  });

  it('when the cursor is not one of ours, then 422 with or without keywords', async () => {
    for (const query of [`q=${encodeURIComponent('不动产')}&`, '']) {
      const response = await s.request(`/api/tasks?${query}cursor=${Buffer.from('no-such-task').toString('base64url')}`, { token: office });
      expect(response.status, query).toBe(422);
    }
  });
});
