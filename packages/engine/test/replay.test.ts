import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { admin, newEngine, onPostgres, ownerA, reopenableDatabase, t, tempDbFile } from './support/engine-fixture.ts';
import { ticketV1, ticketV2 } from './support/ticket-workflow.ts';

describe('replay', () => {
  it('given instances started on v1 and v2, then each replays through its own version and matches the store', async () => {
    const file = await reopenableDatabase();
    const old = await newEngine({ file, workflows: [ticketV1] });
    await old.create([{ id: 'old', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    await old.send('old', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
    await old.close();

    const upgraded = await newEngine({ file, workflows: [ticketV1, ticketV2] });
    await upgraded.create([{ id: 'new', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-12T00:00:00Z'));
    await upgraded.send('new', { type: 'WORK' }, ownerA, t('2023-05-12T01:00:00Z'));
    for (const id of ['old', 'new']) await upgraded.send(id, { type: 'NOTE', payload: { text: 'n' } }, ownerA, t('2023-05-13T00:00:00Z'));

    expect((await upgraded.getInstance('old'))).toMatchObject({ workflowVersion: 1, snapshot: { context: { notes: 1 } } });
    expect((await upgraded.getInstance('new'))).toMatchObject({ workflowVersion: 2, snapshot: { context: { notes: 2 } } });
    const report = await upgraded.replay();
    expect(report.differences).toEqual([]);
    expect(report.instances).toEqual([
      { instanceId: 'new', state: 'working', version: 3 },
      { instanceId: 'old', state: 'working', version: 3 },
    ]);
    await upgraded.close();
  });

  it('given an instant, then replay shows the states as they stood then', async () => {
    const engine = await newEngine();
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-20T00:00:00Z'));
    await engine.send('t1', { type: 'DONE' }, ownerA, t('2023-06-20T00:00:00Z'));
    expect((await engine.replay(t('2023-05-09T00:00:00Z'))).instances).toEqual([]);
    expect((await engine.replay(t('2023-05-15T00:00:00Z'))).instances).toEqual([{ instanceId: 't1', state: 'open', version: 1 }]);
    expect((await engine.replay(t('2023-06-01T00:00:00Z'))).instances).toEqual([{ instanceId: 't1', state: 'working', version: 2 }]);
    expect((await engine.replay(t('2023-06-20T00:00:00Z'))).instances).toEqual([{ instanceId: 't1', state: 'done', version: 3 }]);
  });

  // SQLite-only (it edits the file); packages/engine/test/postgres/ does the same on PostgreSQL.
  it.skipIf(onPostgres)('given the instance table edited behind the engine, then replay reports the difference', async () => {
    const file = tempDbFile();
    const engine = await newEngine({ file });
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }, { id: 't2', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-20T00:00:00Z'));
    await engine.close();
    const raw = new BetterSqlite3(file);
    raw.prepare(`UPDATE workflow_instance SET snapshot = json_set(snapshot, '$.value', 'done') WHERE id = 't1'`).run();
    raw.close();
    const reopened = await newEngine({ file });
    const report = await reopened.replay();
    expect(report.differences).toHaveLength(1);
    expect(report.differences[0]).toMatchObject({ instanceId: 't1' });
    await reopened.close();
  });
});
