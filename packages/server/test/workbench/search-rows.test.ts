import type { InstanceRecord } from '@duban/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexTasks } from '../../src/tasks/search-rows.ts';
import type { TestServer } from '../support/test-server.ts';
import { onPostgres, startTestServer } from '../support/test-server.ts';

/** A reform task's stored record holding only what its search row is made of. */
function record(planId: string, number: number, text = '巡查雪线'): InstanceRecord {
  const context = { planId, number, part: '一', measure: '措施', text, leadUnits: ['市住建局'], responsibleUnits: [], lastProgress: null, lastReport: null };
  return { id: `${planId}.${number}`, workflowId: 'reform-task', snapshot: { value: 'assigned', context } } as unknown as InstanceRecord;
}

describe('the search rows keep plan order (plan id, number, id) however they are written', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ seed: async () => {} });
  });
  afterAll(() => s.close());

  const dialect = onPostgres ? 'postgres' : 'sqlite';
  const write = (records: InstanceRecord[]) => s.db.transaction().execute((tx) => indexTasks(tx, dialect, records));
  const inPlanOrder = (a: InstanceRecord, b: InstanceRecord) => {
    const [x, y] = [a.snapshot.context as { planId: string; number: number }, b.snapshot.context as { planId: string; number: number }];
    return x.planId < y.planId ? -1 : x.planId > y.planId ? 1 : x.number - y.number;
  };
  /** What the search walks, whole, in plan order; and on SQLite the rows by rowid, which must be the same. */
  const walked = async (text: string) => {
    const ids: string[] = [];
    for await (const piece of s.duban.search.inPlanOrder(text, [], { first: 3 })) ids.push(...piece.map((place) => place.id));
    if (!onPostgres) {
      const byRowid = (await sql<{ task_id: string }>`SELECT task_id FROM task_search ORDER BY rowid`.execute(s.db)).rows.map((row) => row.task_id);
      expect(byRowid.filter((id) => ids.includes(id))).toEqual(ids);
    }
    return ids;
  };

  it('given rows of a later plan, then rows of an earlier plan, then forty rows each between the first and the one before (no room left: the rows are laid out again), then the walk and the rowids follow plan order', async () => {
    const written = [record('p-later', 1), record('p-later', 2), record('p-earlier', 0), record('p-earlier', 1000)];
    await write(written.slice(0, 2));
    await write(written.slice(2));
    for (let number = 999; number > 959; number--) {
      written.push(record('p-earlier', number));
      await write([written.at(-1)!]);
    }
    expect(await walked('雪线')).toEqual([...written].sort(inPlanOrder).map((task) => task.id));
    expect(await walked('巡查雪')).toEqual([...written].sort(inPlanOrder).map((task) => task.id));
  });

  it('when a task’s number changes, then its row moves to its new place; when only its text changes, then it stays and is found by the new text', async () => {
    await write([{ ...record('p-earlier', 0), snapshot: record('p-later', 3).snapshot } as InstanceRecord]);
    const ids = await walked('雪线');
    expect(ids.at(-1)).toBe('p-earlier.0');
    await write([{ ...record('p-earlier', 1000, '冰川监测'), snapshot: record('p-earlier', 1000, '冰川监测').snapshot }]);
    expect(await walked('冰川监测')).toEqual(['p-earlier.1000']);
    expect(await walked('雪线')).toEqual(ids.filter((id) => id !== 'p-earlier.1000'));
  });

  it('when the walk starts after a task, descending or not, then it gives exactly the matches beyond it', async () => {
    const all = await walked('雪线');
    const after = { id: 'p-earlier.980', planId: 'p-earlier', number: 980 };
    const from = all.indexOf(after.id);
    const collect = async (descending: boolean) => {
      const ids: string[] = [];
      for await (const piece of s.duban.search.inPlanOrder('雪线', [], { after, descending, first: 2 })) ids.push(...piece.map((place) => place.id));
      return ids;
    };
    expect(await collect(false)).toEqual(all.slice(from + 1));
    expect(await collect(true)).toEqual(all.slice(0, from).reverse());
  });
});
