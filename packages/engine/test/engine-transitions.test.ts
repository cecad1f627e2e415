import { describe, expect, it } from 'vitest';
import { Forbidden, IdempotencyKeyReused, InstanceConflict, InstanceNotFound, InvalidPayload, TransitionNotAllowed, UnknownEvent, VersionConflict } from '../src/index.ts';
import { admin, newEngine, ownerA, ownerB, t } from './support/engine-fixture.ts';

async function engineWithTicket() {
  const engine = await newEngine();
  await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
  return engine;
}

async function auditCount(engine: Awaited<ReturnType<typeof newEngine>>) {
  return (await engine.readAudit(0, 1000)).length;
}

describe('creating instances', () => {
  it('given a new id, when created, then a version-1 instance and its CREATE entry exist', async () => {
    const engine = await engineWithTicket();
    const instance = await engine.getInstance('t1');
    expect(instance).toMatchObject({ version: 1, workflowId: 'ticket', workflowVersion: 1, snapshot: { value: 'open' } });
    const [entry] = await engine.history('t1');
    expect(entry).toMatchObject({ seq: 1, version: 1, type: 'CREATE', from: null, to: 'open', actor: admin, at: '2023-05-10T00:00:00.000Z' });
    expect(entry?.payload).toEqual({ workflow: 'ticket', workflowVersion: 1, input: { owner: 'A', dueAt: null } });
  });

  it('given an existing instance, when the same request is imported again, then nothing new is written', async () => {
    const engine = await engineWithTicket();
    const result = await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }, { id: 't2', workflow: 'ticket', input: { owner: 'B', dueAt: null } }], admin, t('2023-05-11T00:00:00Z'));
    expect(result).toEqual({ created: ['t2'], existing: ['t1'] });
    expect(await auditCount(engine)).toBe(2);
  });

  it('given an existing instance, when imported with other content, then the whole import is refused', async () => {
    const engine = await engineWithTicket();
    const attempt = engine.create([{ id: 't2', workflow: 'ticket', input: { owner: 'B', dueAt: null } }, { id: 't1', workflow: 'ticket', input: { owner: 'Z', dueAt: null } }], admin, t('2023-05-11T00:00:00Z'));
    await expect(attempt).rejects.toBeInstanceOf(InstanceConflict);
    expect(await engine.getInstance('t2')).toBeUndefined();
    expect(await auditCount(engine)).toBe(1);
  });

  it('given some ids, when read together, then the instances of those that exist, each as getInstance reads it', async () => {
    const engine = await engineWithTicket();
    await engine.create([{ id: 't2', workflow: 'ticket', input: { owner: 'B', dueAt: null } }, { id: 't3', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-11T00:00:00Z'));
    const read = await engine.getInstances(['t3', 'missing', 't1']);
    expect(read.map((i) => i.id).sort()).toEqual(['t1', 't3']);
    expect(read.find((i) => i.id === 't3')).toEqual(await engine.getInstance('t3'));
    expect(await engine.getInstances([])).toEqual([]);
  });

  it('given invalid input, when created, then InvalidPayload and nothing written', async () => {
    const engine = await newEngine();
    await expect(engine.create([{ id: 'x', workflow: 'ticket', input: { owner: '' } as never }], admin, t('2023-05-10T00:00:00Z'))).rejects.toBeInstanceOf(InvalidPayload);
    expect(await auditCount(engine)).toBe(0);
  });
});

describe('sending events', () => {
  it('given an open ticket, when its owner starts work, then state, version and the chained entry move together', async () => {
    const engine = await engineWithTicket();
    const { instance, entry, replayed } = await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T08:00:00Z'));
    expect(replayed).toBe(false);
    expect(instance).toMatchObject({ version: 2, snapshot: { value: 'working' }, updatedAt: '2023-05-12T08:00:00.000Z' });
    const [first] = await engine.history('t1');
    expect(entry).toMatchObject({ seq: 2, version: 2, type: 'WORK', from: 'open', to: 'working', prevHash: first?.hash });
    expect(await engine.getInstance('t1')).toEqual(instance);
  });

  it.each([
    ['unknown instance', 'nope', { type: 'WORK' }, ownerA, InstanceNotFound],
    ['unknown event type', 't1', { type: 'FLY' }, ownerA, UnknownEvent],
    ['reserved CREATE', 't1', { type: 'CREATE' }, ownerA, UnknownEvent],
    ['another unit', 't1', { type: 'WORK' }, ownerB, Forbidden],
    ['system-only event from a unit', 't1', { type: 'LATE' }, ownerA, Forbidden],
    ['unit event from the system', 't1', { type: 'WORK' }, { role: 'system', unit: null }, Forbidden],
    ['payload with an unknown key', 't1', { type: 'WORK', payload: { x: 1 } }, ownerA, InvalidPayload],
    ['event not allowed in this state', 't1', { type: 'DONE' }, ownerA, TransitionNotAllowed],
  ] as const)('given %s, when sent, then it is refused and nothing is written', async (_name, id, event, actor, errorClass) => {
    const engine = await engineWithTicket();
    const before = await engine.getInstance('t1');
    await expect(engine.send(id, event, actor, t('2023-05-12T08:00:00Z'))).rejects.toBeInstanceOf(errorClass);
    expect(await engine.getInstance('t1')).toEqual(before);
    expect(await auditCount(engine)).toBe(1);
  });

  it('given onlyIfVisible, when the actor may not see the instance, then InstanceNotFound before any other refusal and nothing written', async () => {
    const engine = await engineWithTicket();
    const at = t('2023-05-12T08:00:00Z');
    await expect(engine.send('t1', { type: 'WORK' }, ownerB, at, { onlyIfVisible: true, expectedVersion: 7, idempotencyKey: 'k' })).rejects.toBeInstanceOf(InstanceNotFound);
    await expect(engine.send('t1', { type: 'WORK' }, ownerB, at)).rejects.toBeInstanceOf(Forbidden);
    expect(await auditCount(engine)).toBe(1);
    await engine.send('t1', { type: 'WORK' }, ownerA, at, { onlyIfVisible: true });
    expect(await auditCount(engine)).toBe(2);
  });

  it('given a refusal for state, then it lists the events the actor may send now', async () => {
    const engine = await engineWithTicket();
    const error = await engine.send('t1', { type: 'DONE' }, ownerA, t('2023-05-12T08:00:00Z')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransitionNotAllowed);
    expect((error as TransitionNotAllowed).allowedEvents).toEqual(['WORK']);
  });

  it('given a stale expected version, then VersionConflict and nothing written', async () => {
    const engine = await engineWithTicket();
    await expect(engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T08:00:00Z'), { expectedVersion: 7 })).rejects.toBeInstanceOf(VersionConflict);
    expect(await auditCount(engine)).toBe(1);
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T08:00:00Z'), { expectedVersion: 1 });
    expect(await auditCount(engine)).toBe(2);
  });

  it('given a final instance, then nothing is allowed', async () => {
    const engine = await engineWithTicket();
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T08:00:00Z'));
    await engine.send('t1', { type: 'DONE' }, ownerA, t('2023-05-12T09:00:00Z'));
    const instance = await engine.getInstance('t1');
    expect(instance?.snapshot.status).toBe('done');
    expect(engine.allowedEvents(instance!, ownerA, t('2023-05-12T10:00:00Z'))).toEqual([]);
    await expect(engine.send('t1', { type: 'NOTE', payload: { text: 'x' } }, ownerA, t('2023-05-12T10:00:00Z'))).rejects.toBeInstanceOf(TransitionNotAllowed);
  });
});

describe('idempotency', () => {
  it('given the same key and fingerprint, then the first result comes back and no second entry is written', async () => {
    const engine = await engineWithTicket();
    const options = { idempotencyKey: 'k1', fingerprint: 'f1' };
    const first = await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T08:00:00Z'), options);
    const again = await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T09:00:00Z'), options);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await auditCount(engine)).toBe(2);
  });

  it('given the same key with another fingerprint, then IdempotencyKeyReused', async () => {
    const engine = await engineWithTicket();
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T08:00:00Z'), { idempotencyKey: 'k1', fingerprint: 'f1' });
    await expect(engine.send('t1', { type: 'NOTE', payload: { text: 'x' } }, ownerA, t('2023-05-12T08:00:00Z'), { idempotencyKey: 'k1', fingerprint: 'f2' })).rejects.toBeInstanceOf(IdempotencyKeyReused);
  });

  it('given two concurrent sends with one key, then one runs and both get its result', async () => {
    const engine = await engineWithTicket();
    const options = { idempotencyKey: 'k1', fingerprint: 'f1' };
    const [a, b] = await Promise.all([
      engine.send('t1', { type: 'NOTE', payload: { text: 'x' } }, ownerA, t('2023-05-12T08:00:00Z'), options).catch((e: unknown) => e),
      engine.send('t1', { type: 'NOTE', payload: { text: 'x' } }, ownerA, t('2023-05-12T08:00:00Z'), options).catch((e: unknown) => e),
    ]);
    // The ticket is open, so NOTE is refused: refusals are not remembered, both are refused alike.
    expect(a).toBeInstanceOf(TransitionNotAllowed);
    expect(b).toBeInstanceOf(TransitionNotAllowed);
    const [c, d] = await Promise.all([
      engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T08:00:00Z'), { idempotencyKey: 'k2', fingerprint: 'f' }),
      engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T08:00:00Z'), { idempotencyKey: 'k2', fingerprint: 'f' }),
    ]);
    expect([c.replayed, d.replayed].sort()).toEqual([false, true]);
    expect(c.entry).toEqual(d.entry);
    expect(await auditCount(engine)).toBe(2);
  });
});
