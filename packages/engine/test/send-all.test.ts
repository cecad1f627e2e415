import { describe, expect, it } from 'vitest';
import { IdempotencyKeyReused, InstanceConflict, TransitionNotAllowed } from '../src/index.ts';
import { admin, newEngine, ownerA, t } from './support/engine-fixture.ts';

async function engineWithTickets() {
  const engine = await newEngine();
  await engine.create([
    { id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } },
    { id: 't2', workflow: 'ticket', input: { owner: 'A', dueAt: null } },
  ], admin, t('2023-05-10T00:00:00Z'));
  return engine;
}

describe('a batch of creations and events (sendAll)', () => {
  it('given two tickets, when a batch creates one and sends to both, then every entry is written in order and chained', async () => {
    const engine = await engineWithTickets();
    const result = await engine.sendAll(
      { create: [{ id: 't3', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], send: [{ instanceId: 't1', event: { type: 'WORK' } }, { instanceId: 't2', event: { type: 'WORK' }, expectedVersion: 1 }] },
      ownerA,
      t('2023-05-11T00:00:00Z'),
    );
    expect(result.created).toEqual(['t3']);
    expect(result.entries.map((entry) => [entry.instanceId, entry.type])).toEqual([['t3', 'CREATE'], ['t1', 'WORK'], ['t2', 'WORK']]);
    expect((await engine.getInstance('t2'))?.snapshot.value).toBe('working');
    expect((await engine.verify()).ok).toBe(true);
  });

  it('given a batch whose last event the machine refuses, when sent, then nothing of it is written', async () => {
    const engine = await engineWithTickets();
    await engine.send('t2', { type: 'WORK' }, ownerA, t('2023-05-10T01:00:00Z'));
    const before = (await engine.readAudit(0, 100)).length;
    const attempt = engine.sendAll(
      { create: [{ id: 't3', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], send: [{ instanceId: 't1', event: { type: 'WORK' } }, { instanceId: 't2', event: { type: 'WORK' } }] },
      ownerA,
      t('2023-05-11T00:00:00Z'),
    );
    await expect(attempt).rejects.toBeInstanceOf(TransitionNotAllowed);
    expect((await engine.readAudit(0, 100)).length).toBe(before);
    expect(await engine.getInstance('t3')).toBeUndefined();
    expect((await engine.getInstance('t1'))?.snapshot.value).toBe('open');
  });

  it('given a batch creating an id that exists, then InstanceConflict and nothing written', async () => {
    const engine = await engineWithTickets();
    const attempt = engine.sendAll({ create: [{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], send: [{ instanceId: 't2', event: { type: 'WORK' } }] }, ownerA, t('2023-05-11T00:00:00Z'));
    await expect(attempt).rejects.toBeInstanceOf(InstanceConflict);
    expect((await engine.getInstance('t2'))?.snapshot.value).toBe('open');
  });

  it('given a key, when the same batch is retried, then the first result comes back and nothing more is written; another batch under the key is refused', async () => {
    const engine = await engineWithTickets();
    const batch = { create: [], send: [{ instanceId: 't1', event: { type: 'WORK' } }] };
    const first = await engine.sendAll(batch, ownerA, t('2023-05-11T00:00:00Z'), { idempotencyKey: 'k1', fingerprint: 'f1' });
    const again = await engine.sendAll(batch, ownerA, t('2023-05-11T00:01:00Z'), { idempotencyKey: 'k1', fingerprint: 'f1' });
    expect(again.replayed).toBe(true);
    expect(again.entries.map((entry) => entry.seq)).toEqual(first.entries.map((entry) => entry.seq));
    expect((await engine.readAudit(0, 100)).length).toBe(3);
    await expect(engine.sendAll(batch, ownerA, t('2023-05-11T00:02:00Z'), { idempotencyKey: 'k1', fingerprint: 'f2' })).rejects.toBeInstanceOf(IdempotencyKeyReused);
  });
});
