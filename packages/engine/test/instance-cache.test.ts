import { describe, expect, it } from 'vitest';
import { TransitionNotAllowed, VersionConflict } from '../src/index.ts';
import { InstanceCache } from '../src/store/instance-cache.ts';
import type { InstanceRecord } from '../src/store/store.ts';
import { admin, newEngine, ownerA, reopenableDatabase, t } from './support/engine-fixture.ts';

describe('instances kept in memory between transitions', () => {
  it('given two engines on one database, when each in turn writes the same instance, then each decides from the other\'s latest write', async () => {
    const file = await reopenableDatabase();
    const first = await newEngine({ file });
    const second = await newEngine({ file });
    await first.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    await first.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
    await first.send('t1', { type: 'NOTE', payload: { text: 'one' } }, ownerA, t('2023-05-11T01:00:00Z'));

    // The second engine writes behind the first one's back: version 4, two notes.
    await second.send('t1', { type: 'NOTE', payload: { text: 'two' } }, ownerA, t('2023-05-11T02:00:00Z'));

    const third = await first.send('t1', { type: 'NOTE', payload: { text: 'three' } }, ownerA, t('2023-05-11T03:00:00Z'), { expectedVersion: 4 });
    expect(third.instance).toMatchObject({ version: 5, snapshot: { context: { notes: 3 } } });
    await expect(first.send('t1', { type: 'NOTE', payload: { text: 'stale' } }, ownerA, t('2023-05-11T04:00:00Z'), { expectedVersion: 4 })).rejects.toBeInstanceOf(VersionConflict);

    // Closed by the second engine: the first refuses what a working ticket would have taken.
    await second.send('t1', { type: 'DONE' }, ownerA, t('2023-05-11T05:00:00Z'));
    await expect(first.send('t1', { type: 'NOTE', payload: { text: 'late' } }, ownerA, t('2023-05-11T06:00:00Z'))).rejects.toBeInstanceOf(TransitionNotAllowed);

    expect(await first.getInstance('t1')).toMatchObject({ version: 6, snapshot: { value: 'done', context: { notes: 3 } } });
    expect(await first.verify()).toMatchObject({ ok: true, entries: 6 });
    const replay = await second.replay();
    expect(replay.differences).toEqual([]);
    await first.close();
    await second.close();
  });

  it('given a transition rolled back after it wrote the instance, when the next one comes, then it starts from the stored state', async () => {
    let fail = false;
    const engine = await newEngine({ engine: { onCommit: async () => { if (fail) throw new Error('rolled back after writing'); } } });
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
    fail = true;
    await expect(engine.send('t1', { type: 'NOTE', payload: { text: 'lost' } }, ownerA, t('2023-05-11T01:00:00Z'))).rejects.toThrow(/rolled back/);
    fail = false;
    const kept = await engine.send('t1', { type: 'NOTE', payload: { text: 'kept' } }, ownerA, t('2023-05-11T02:00:00Z'), { expectedVersion: 2 });
    expect(kept.instance).toMatchObject({ version: 3, snapshot: { context: { notes: 1 } } });
    expect((await engine.replay()).differences).toEqual([]);
    await engine.close();
  });

  it('given a full cache, when another instance is kept, then the least recently used one is dropped', () => {
    const cache = new InstanceCache(2);
    const record = (id: string) => ({ id, version: 1 }) as InstanceRecord;
    cache.set(record('a'));
    cache.set(record('b'));
    cache.get('a');
    cache.set(record('c'));
    expect([cache.get('a')?.id, cache.get('b')?.id, cache.get('c')?.id]).toEqual(['a', undefined, 'c']);
  });
});
