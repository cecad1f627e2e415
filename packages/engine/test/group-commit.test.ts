import { describe, expect, it, vi } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { Engine, Forbidden, openStore, StoreUnavailable, TransitionNotAllowed } from '../src/index.ts';
import type { Store } from '../src/index.ts';
import { admin, ownerA, ownerB, t } from './support/engine-fixture.ts';
import { freshDatabase } from './support/test-database.ts';
import { ticketV1 } from './support/ticket-workflow.ts';

/** A store that counts its transactions. */
async function countingStore(): Promise<{ store: Store; transactions: () => number }> {
  const store = await openStore(await freshDatabase());
  let count = 0;
  const transact = store.transact.bind(store);
  store.transact = (work) => {
    count += 1;
    return transact(work);
  };
  return { store, transactions: () => count };
}

async function engineWithTickets(n: number, onCommit?: ConstructorParameters<typeof Engine>[2]) {
  const { store, transactions } = await countingStore();
  const engine = new Engine(store, [ticketV1], onCommit);
  await engine.create(Array.from({ length: n }, (_, i) => ({ id: `t${i}`, workflow: 'ticket', input: { owner: 'A', dueAt: null } })), admin, t('2023-05-10T00:00:00Z'));
  return { engine, transactions };
}

describe('group commit', () => {
  it('given 50 concurrent sends, then they commit in far fewer transactions, each with its own entry', async () => {
    const { engine, transactions } = await engineWithTickets(50);
    const before = transactions();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => engine.send(`t${i}`, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'))));
    expect(transactions() - before).toBeLessThan(5);
    expect(new Set(results.map((r) => r.entry.seq)).size).toBe(50);
    expect((await engine.verify()).ok).toBe(true);
    expect((await engine.replay()).differences).toEqual([]);
  });

  it('given refusals mixed into a batch, then the others commit and the refusals write nothing', async () => {
    const { engine } = await engineWithTickets(10);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => engine.send(`t${i}`, { type: i % 3 === 0 ? 'DONE' : 'WORK' }, i % 4 === 0 ? ownerB : ownerA, t('2023-05-11T00:00:00Z'))),
    );
    const refused = outcomes.map((o, i) => (o.status === 'rejected' ? i : -1)).filter((i) => i >= 0);
    expect(refused).toEqual([0, 3, 4, 6, 8, 9]);
    expect((outcomes[4] as PromiseRejectedResult).reason).toBeInstanceOf(Forbidden);
    expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(TransitionNotAllowed);
    for (let i = 0; i < 10; i++) expect((await engine.getInstance(`t${i}`))?.version).toBe(refused.includes(i) ? 1 : 2);
    expect((await engine.readAudit(0, 100)).length).toBe(10 + 4);
  });

  it('given a job that fails after writing, then only it fails and the batch is otherwise committed', async () => {
    const { engine } = await engineWithTickets(8, {
      onCommit: async (_tx, { entry }) => {
        if (entry.instanceId === 't5' && entry.type === 'WORK') throw new Error('disk trouble for t5');
      },
    });
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => engine.send(`t${i}`, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((await engine.getInstance('t5'))?.version).toBe(1);
    expect((await engine.history('t5')).map((e) => e.type)).toEqual(['CREATE']);
    expect((await engine.verify())).toMatchObject({ ok: true, entries: 8 + 7 });
    expect((await engine.replay()).differences).toEqual([]);
  });
});

describe('after the commit', () => {
  it('given a batch with one job that fails after writing, when it commits, then afterCommit runs once per committed entry, after COMMIT, and never for the rolled-back attempt', async () => {
    const seen: { seq: number; committed: boolean }[] = [];
    let engine!: Engine;
    const { engine: built } = await engineWithTickets(6, {
      onCommit: async (tx, { entry }) => {
        if (entry.instanceId === 't3' && entry.type === 'WORK') throw new Error('the hook fails after the entry was written');
        tx.afterCommit(() => void engine.readAudit(entry.seq - 1, 1).then((rows) => seen.push({ seq: entry.seq, committed: rows.length === 1 })));
      },
    });
    engine = built;
    const before = seen.length;
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => engine.send(`t${i}`, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    await expect.poll(() => seen.length - before).toBe(5);
    const committed = seen.slice(before);
    expect(committed.every((s) => s.committed)).toBe(true);
    expect(committed.map((s) => s.seq).sort((a, b) => a - b)).toEqual([7, 8, 9, 10, 11]);
  });

  it('given two checkpoints issued at once by one engine, then each reads the new entries once and both verify', async () => {
    const { engine } = await engineWithTickets(5);
    const key = generateKeyPairSync('ed25519');
    const signer = { origin: 'duban.test/group', privateKey: key.privateKey };
    await Promise.all(Array.from({ length: 5 }, (_, i) => engine.send(`t${i}`, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'))));
    const issued = await Promise.all([engine.issueCheckpoint(signer, t('2023-05-12T00:00:00Z')), engine.issueCheckpoint(signer, t('2023-05-12T00:00:00Z'))]);
    expect(issued.map((c) => c?.size)).toEqual([10, undefined]);
    expect(await engine.verifyWithCheckpoints(key.publicKey)).toMatchObject({ ok: true });
  });
});

describe('a send with its own writes (SendOptions.inTransaction)', () => {
  it('given concurrent sends, one carrying writes that fail, then that send leaves no entry and no state while the others commit; a send whose writes succeed commits them with its entry', async () => {
    const { engine } = await engineWithTickets(4);
    const written: number[] = [];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) =>
        engine.send(`t${i}`, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'), {
          inTransaction: async (tx, { entry }) => {
            if (i === 2) throw new Error('the change this entry records was refused');
            written.push(entry.seq);
            expect(tx.writes).toBeGreaterThan(0);
          },
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((await engine.getInstance('t2'))?.version).toBe(1);
    expect((await engine.history('t2')).map((entry) => entry.type)).toEqual(['CREATE']);
    for (const i of [0, 1, 3]) expect((await engine.getInstance(`t${i}`))?.version).toBe(2);
    expect((await engine.verify()).ok).toBe(true);
  });

  it('given a batch committed, when its sync to disk has not finished, then no send of it is answered until it has', async () => {
    const store = await openStore(await freshDatabase());
    const synced = store.synced.bind(store);
    let release: (() => void) | undefined;
    store.synced = async () => {
      await new Promise<void>((resolve) => (release = resolve));
      await synced();
    };
    const engine = new Engine(store, [ticketV1]);
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }, { id: 't2', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    let answered = 0;
    const sends = [engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z')), engine.send('t2', { type: 'NOTE', payload: { text: 'x' } }, ownerA, t('2023-05-11T00:00:00Z'))];
    for (const send of sends) void send.then(() => (answered += 1), () => (answered += 1));
    // Until the batch has committed and waits on its sync: by the clock, since on PostgreSQL the commit is round trips away.
    await vi.waitFor(() => expect(release).toBeDefined(), { timeout: 10_000, interval: 5 });
    // Committed (another reader sees it) but not yet durable: nobody has an answer, the refusal neither.
    expect((await engine.getInstance('t1'))?.version).toBe(2);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(0);
    release?.();
    await expect(sends[0]).resolves.toMatchObject({ instance: { version: 2 } });
    await expect(sends[1]).rejects.toBeInstanceOf(TransitionNotAllowed);
    await engine.close();
  });

  it('given the sync to disk fails, then the sends of its batch fail with StoreUnavailable, and a retry with its idempotency key gets the committed answer', async () => {
    const store = await openStore(await freshDatabase());
    const synced = store.synced.bind(store);
    let failures = 1;
    store.synced = () => (failures-- > 0 ? Promise.reject(new StoreUnavailable('database unavailable: fsync failed')) : synced());
    const engine = new Engine(store, [ticketV1]);
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    const options = { idempotencyKey: 'k1', fingerprint: 'f1' };
    await expect(engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'), options)).rejects.toBeInstanceOf(StoreUnavailable);
    const retry = await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'), options);
    expect(retry).toMatchObject({ replayed: true, instance: { version: 2 } });
    expect((await engine.readAudit(0, 10)).length).toBe(2);
    await engine.close();
  });
});
