import { describe, expect, it } from 'vitest';
import { admin, newEngine, ownerA, reopenableDatabase, t } from './support/engine-fixture.ts';

const due = Date.parse('2023-06-30T16:00:00Z');

describe('durable timers', () => {
  it('given a timer not yet due, when fireDue runs before it, then nothing fires', async () => {
    const engine = await newEngine();
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: due } }], admin, t('2023-05-10T00:00:00Z'));
    expect(await engine.fireDue(new Date(due - 1))).toEqual({ fired: [], dropped: [] });
  });

  it('given a due timer, when fireDue runs twice, then it fires exactly once as the system', async () => {
    const engine = await newEngine();
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: due } }], admin, t('2023-05-10T00:00:00Z'));
    const first = await engine.fireDue(new Date(due));
    expect(first.fired.map((e) => [e.type, e.actor.role, e.at])).toEqual([['LATE', 'system', '2023-06-30T16:00:00.000Z']]);
    expect((await engine.getInstance('t1'))?.snapshot.context.late).toBe(true);
    expect(await engine.fireDue(new Date(due + 86_400_000))).toEqual({ fired: [], dropped: [] });
    expect(await engine.timers('t1')).toEqual([]);
  });

  it('given a timer whose condition no longer holds, then it is dropped, never fired', async () => {
    const engine = await newEngine();
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: due } }], admin, t('2023-05-10T00:00:00Z'));
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T08:00:00Z'));
    await engine.send('t1', { type: 'DONE' }, ownerA, t('2023-05-13T08:00:00Z'));
    expect(await engine.timers('t1')).toEqual([]);
    expect((await engine.fireDue(new Date(due + 1))).fired).toEqual([]);
    expect((await engine.history('t1')).map((e) => e.type)).toEqual(['CREATE', 'WORK', 'DONE']);
  });

  it('given a restart between arming and the due time, then the timer still fires once after reopening', async () => {
    const file = await reopenableDatabase();
    const first = await newEngine({ file });
    await first.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: due } }], admin, t('2023-05-10T00:00:00Z'));
    await first.close();
    const second = await newEngine({ file });
    expect((await second.fireDue(new Date(due + 10))).fired).toHaveLength(1);
    await second.close();
    const third = await newEngine({ file });
    expect((await third.fireDue(new Date(due + 20))).fired).toHaveLength(0);
    await third.close();
  });

  it('given many due timers, then each fires once, in due order', async () => {
    const engine = await newEngine();
    const requests = Array.from({ length: 450 }, (_, i) => ({ id: `t${String(i).padStart(3, '0')}`, workflow: 'ticket', input: { owner: 'A', dueAt: due + (450 - i) * 1000 } }));
    await engine.create(requests, admin, t('2023-05-10T00:00:00Z'));
    const { fired } = await engine.fireDue(new Date(due + 10_000_000));
    expect(fired).toHaveLength(450);
    expect(new Set(fired.map((e) => e.instanceId)).size).toBe(450);
    expect(fired[0]?.instanceId).toBe('t449');
  });
});
