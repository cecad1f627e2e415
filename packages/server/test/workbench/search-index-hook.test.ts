import type { AuditEntry, InstanceRecord, StoreTransaction } from '@duban/engine';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDatabase } from '../../src/db/server-tables.ts';
import { searchIndexHook } from '../../src/tasks/search-index-hook.ts';
import { indexTasks } from '../../src/tasks/search-rows.ts';
import type { TestServer } from '../support/test-server.ts';
import { onPostgres, startTestServer } from '../support/test-server.ts';

/** Version `version` of one reform task, its latest progress line `progress`. */
function version(version: number, progress: string): InstanceRecord {
  const context = { planId: 'p-hook', number: 1, part: '一', measure: '措施', text: '巡查雪线', leadUnits: ['市住建局'], responsibleUnits: [], lastProgress: { summary: progress }, lastReport: null };
  return { id: 'p-hook.1', workflowId: 'reform-task', version, snapshot: { value: 'in_progress', context } } as unknown as InstanceRecord;
}

describe('the search hook writes a row without reading it only when it knows the row as stored', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ seed: async () => {} });
  });
  afterAll(() => s.close());

  const dialect = onPostgres ? 'postgres' : 'sqlite';
  const hook = searchIndexHook(dialect);
  /** Runs the hook for `record` in a transaction, then commits it (running what waited for the commit) or rolls it back. */
  const transition = async (record: InstanceRecord, outcome: 'commit' | 'rollback' = 'commit') => {
    const committed: (() => void)[] = [];
    const rolledBack = new Error('rolled back');
    await s.db
      .transaction()
      .execute(async (tx) => {
        await hook({ kysely: tx, afterCommit: (callback: () => void) => committed.push(callback) } as unknown as StoreTransaction, { instance: record, entry: {} as AuditEntry });
        if (outcome === 'rollback') throw rolledBack;
      })
      .catch((error: unknown) => {
        if (error !== rolledBack) throw error;
      });
    if (outcome === 'commit') for (const callback of committed) callback();
  };
  const found = async (text: string) => {
    const ids: string[] = [];
    for await (const piece of s.duban.search.inPlanOrder(text, [], { first: 10 })) ids.push(...piece.map((place) => place.id));
    return ids;
  };

  it('given its own transition at version 1, another process’s at version 2 and its own at 3 with version 1’s line, then the row holds version 3’s line', async () => {
    await transition(version(1, '冰川测绘甲稿'));
    await s.db.transaction().execute((tx) => indexTasks(tx as Kysely<ServerDatabase>, dialect, [version(2, '冰川测绘乙稿')]));
    await transition(version(3, '冰川测绘甲稿'));
    expect(await found('冰川测绘甲稿')).toEqual(['p-hook.1']);
    expect(await found('冰川测绘乙稿')).toEqual([]);
  });

  it('when the next version changes only the line, then the old line is found no more and the new one is; when a transaction is rolled back, then its line is forgotten', async () => {
    await transition(version(4, '冰川测绘丙稿'));
    expect(await found('冰川测绘丙稿')).toEqual(['p-hook.1']);
    expect(await found('冰川测绘甲稿')).toEqual([]);
    await transition(version(5, '冰川测绘丁稿'), 'rollback');
    expect(await found('冰川测绘丁稿')).toEqual([]);
    await transition(version(5, '冰川测绘丙稿'));
    await transition(version(6, '冰川测绘戊稿'));
    expect(await found('冰川测绘戊稿')).toEqual(['p-hook.1']);
    expect(await found('冰川测绘丙稿')).toEqual([]);
  });
});
