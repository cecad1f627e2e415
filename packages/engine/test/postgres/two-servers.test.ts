import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AnyWorkflowDefinition, AuditEntry, EngineOptions } from '../../src/index.ts';
import { CheckpointKeyMismatch, Engine, GENESIS_HASH, keyName, openStore, SYSTEM_ACTOR } from '../../src/index.ts';
import { admin, ownerA, t } from '../support/engine-fixture.ts';
import { freshPostgresSchema, postgresSkipReason, postgresUrl } from '../support/test-database.ts';
import { ticketV1 } from '../support/ticket-workflow.ts';
import { beaconV1 } from './support/beacon-workflow.ts';

/** Given one fresh schema and two engines on it, each with its own pool: two servers, opened at the same moment. */
async function twoServers(options: { workflows?: AnyWorkflowDefinition[]; a?: EngineOptions } = {}) {
  const url = await freshPostgresSchema();
  const workflows = options.workflows ?? [ticketV1];
  const [a, b] = await Promise.all([openStore(url).then((s) => new Engine(s, workflows, options.a)), openStore(url).then((s) => new Engine(s, workflows))]);
  return { url, a, b, close: () => Promise.all([a.close(), b.close()]) };
}

async function allEntries(engine: Engine): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for await (const entry of engine.entries()) entries.push(entry);
  return entries;
}

/** The log is one line: seq 1..n without a gap, each entry chained to the one before. */
function expectOneLine(entries: AuditEntry[]): void {
  expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
  entries.forEach((e, i) => expect(e.prevHash, `seq ${e.seq}`).toBe(i === 0 ? GENESIS_HASH : entries[i - 1]!.hash));
}

const tickets = (n: number, dueAt: number | null = null) => Array.from({ length: n }, (_, i) => ({ id: `t${String(i).padStart(2, '0')}`, workflow: 'ticket', input: { owner: 'A', dueAt } }));

describe.skipIf(postgresUrl === undefined)(`two servers on one PostgreSQL database${postgresSkipReason}`, () => {
  it('when both hammer the same instances at once, then every send commits and the log is one chain that verifies and replays', async () => {
    const { a, b, close } = await twoServers();
    await a.create(tickets(20), admin, t('2023-05-10T00:00:00Z'));
    await Promise.all(tickets(20).map(({ id }, i) => (i % 2 ? a : b).send(id, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'))));
    const key = generateKeyPairSync('ed25519');
    const signer = { origin: 'duban.test/two', privateKey: key.privateKey };
    const checkpoints: unknown[] = [];
    for (let round = 0; round < 8; round++) {
      const at = t(`2023-05-${12 + round}T00:00:00Z`);
      // Every instance gets a NOTE from each server in the same instant, while both sign checkpoints.
      const sends = tickets(20).flatMap(({ id }) => [a, b].map((engine, s) => engine.send(id, { type: 'NOTE', payload: { text: `r${round}s${s}` } }, ownerA, at)));
      const signing = [a, b].map((engine) => engine.issueCheckpoint(signer, at));
      await Promise.all(sends);
      checkpoints.push(...(await Promise.all(signing)));
    }

    const entries = await allEntries(a);
    expect(entries).toHaveLength(20 + 20 + 8 * 40);
    expectOneLine(entries);
    for (const { id } of tickets(20)) {
      const versions = entries.filter((e) => e.instanceId === id).map((e) => e.version);
      expect(versions, id).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
      expect((await b.getInstance(id))?.snapshot.context.notes).toBe(16);
    }
    expect(await b.verify()).toMatchObject({ ok: true, entries: entries.length });
    expect((await b.replay()).differences).toEqual([]);
    // Checkpoints: signed by one server at a time, never two of one size, all consistent with the log.
    const sizes = (await a.checkpoints()).map((c) => c.size);
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes).toEqual([...new Set(sizes)].sort((x, y) => x - y));
    expect(await a.verifyWithCheckpoints(key.publicKey)).toMatchObject({ ok: true });
    await close();
  });

  it('when both sign a checkpoint after every commit (afterCommit), then each sees its entry committed, every entry is covered and no size is signed twice', async () => {
    const key = generateKeyPairSync('ed25519');
    const signer = { origin: 'duban.test/after-commit', privateKey: key.privateKey };
    const signing: Promise<unknown>[] = [];
    const engines: Engine[] = [];
    const covered: boolean[] = [];
    // Each server signs right after its own commit, as the server's checkpoint issuer does when the log is quiet.
    const afterEachCommit = (server: number): EngineOptions => ({
      onCommit: async (tx, { entry }) =>
        tx.afterCommit(() => signing.push(engines[server]!.issueCheckpoint(signer, t('2023-05-12T00:00:00Z')).then(async () => covered.push((await engines[server]!.checkpoints()).at(-1)!.size >= entry.seq)))),
    });
    const url = await freshPostgresSchema();
    engines.push(...(await Promise.all([0, 1].map((s) => openStore(url).then((store) => new Engine(store, [ticketV1], afterEachCommit(s)))))));
    const [a, b] = engines as [Engine, Engine];
    await a.create(tickets(10), admin, t('2023-05-10T00:00:00Z'));
    await Promise.all(tickets(10).map(({ id }, i) => (i % 2 ? a : b).send(id, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'))));
    for (let round = 0; round < 4; round++) {
      await Promise.all(tickets(10).flatMap(({ id }) => [a, b].map((engine, s) => engine.send(id, { type: 'NOTE', payload: { text: `r${round}s${s}` } }, ownerA, t('2023-05-11T00:00:00Z')))));
    }
    await Promise.all(signing);
    expect(covered.length).toBe(10 + 10 + 4 * 20);
    expect(covered.every(Boolean)).toBe(true);
    const sizes = (await a.checkpoints()).map((c) => c.size);
    expect(sizes.at(-1)).toBe(await a.auditSize());
    expect(sizes).toEqual([...new Set(sizes)].sort((x, y) => x - y));
    expect(await b.verifyWithCheckpoints(key.publicKey)).toMatchObject({ ok: true });
    await Promise.all([a.close(), b.close()]);
  });

  it('when both claim the checkpoint key at once with keys of their own, then one key is recorded and the other refused', async () => {
    for (let round = 0; round < 5; round++) {
      const { a, b, close } = await twoServers();
      const keys = [generateKeyPairSync('ed25519'), generateKeyPairSync('ed25519')];
      const claims = await Promise.allSettled([a.claimCheckpointKey(keys[0]!.publicKey), b.claimCheckpointKey(keys[1]!.publicKey)]);
      const won = claims.findIndex((c) => c.status === 'fulfilled');
      expect(claims.map((c) => c.status).sort(), `round ${round}`).toEqual(['fulfilled', 'rejected']);
      expect((claims[1 - won] as PromiseRejectedResult).reason).toBeInstanceOf(CheckpointKeyMismatch);
      const rows = await a.store.kysely.selectFrom('checkpoint_key').select('key_name').execute();
      expect(rows).toEqual([{ key_name: keyName(keys[won]!.publicKey) }]);
      await close();
    }
  });

  it('when both fire the same due timers at once, then each timer fires exactly once', async () => {
    // The beacon's timer stays armed after it fired: only the claim keeps the second server from firing it again.
    const { a, b, close } = await twoServers({ workflows: [beaconV1] });
    const due = Date.parse('2023-06-30T16:00:00Z');
    const beacons = Array.from({ length: 60 }, (_, i) => ({ id: `b${String(i).padStart(2, '0')}`, workflow: 'beacon', input: { dueAt: due + i } }));
    await a.create(beacons, admin, t('2023-05-10T00:00:00Z'));
    const rounds = await Promise.all([a.fireDue(new Date(due + 1000)), b.fireDue(new Date(due + 1000)), a.fireDue(new Date(due + 2000)), b.fireDue(new Date(due + 2000))]);

    const fired = rounds.flatMap((r) => r.fired.map((e) => e.instanceId));
    expect(fired.sort()).toEqual(beacons.map((x) => x.id));
    expect(rounds.flatMap((r) => r.dropped)).toEqual([]);
    for (const { id } of beacons) expect((await b.getInstance(id))?.snapshot.context.pings, id).toBe(1);
    expect(await a.fireDue(new Date(due + 3000))).toEqual({ fired: [], dropped: [] });
    expectOneLine(await allEntries(b));
    await close();
  });

  it('when the same idempotency key reaches both at once, then one entry is written and both answer with it', async () => {
    const { a, b, close } = await twoServers();
    await a.create(tickets(10), admin, t('2023-05-10T00:00:00Z'));
    const results = await Promise.all(
      tickets(10).flatMap(({ id }) => [a, b].map((engine) => engine.send(id, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'), { idempotencyKey: `start-${id}`, fingerprint: 'same' }))),
    );
    for (let i = 0; i < 10; i++) {
      const [first, second] = [results[2 * i]!, results[2 * i + 1]!];
      expect(first.entry).toEqual(second.entry);
      expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
    }
    expect(await a.auditSize()).toBe(20);
    await close();
  });

  it('given another server stored the key between our check and our insert, then the send runs again and answers with the stored result', async () => {
    // The other server's commit lands inside our transaction, after our check: our insert then meets its key.
    let rival: Engine | undefined;
    const { url, a, close } = await twoServers({
      a: {
        groupCommit: false,
        onCommit: async (_tx, { instance, entry }) => {
          if (entry.type !== 'WORK' || rival === undefined) return;
          const theirs = { instance: { ...instance, updatedAt: 'theirs' }, entry };
          await rival.store.kysely.insertInto('idempotency').values({ key: 'k1', fingerprint: 'f', outcome: JSON.stringify(theirs), created_at: entry.at }).execute();
          rival = undefined;
        },
      },
    });
    rival = new Engine(await openStore(url), [ticketV1]);
    const other = rival;
    await a.create(tickets(1), admin, t('2023-05-10T00:00:00Z'));
    const result = await a.send('t00', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'), { idempotencyKey: 'k1', fingerprint: 'f' });
    expect(result).toMatchObject({ replayed: true, instance: { updatedAt: 'theirs' } });
    // Our own attempt was rolled back whole: only the creation is in the log, the instance is untouched.
    expect(await a.auditSize()).toBe(1);
    expect((await a.getInstance('t00'))?.version).toBe(1);
    await Promise.all([close(), other.close()]);
  });

  it('when both import the same instances at once, then each is created once and neither fails', async () => {
    const { a, b, close } = await twoServers();
    const [fromA, fromB] = await Promise.all([a.create(tickets(30), admin, t('2023-05-10T00:00:00Z')), b.create(tickets(30), admin, t('2023-05-10T00:00:00Z'))]);
    expect([...fromA.created, ...fromB.created].sort()).toEqual(tickets(30).map((x) => x.id));
    expect([...fromA.existing, ...fromB.existing].sort()).toEqual(tickets(30).map((x) => x.id));
    expect(await a.auditSize()).toBe(30);
    await close();
  });

  it('when one fires timers while the other sends to the same instances, then both commit into one chain that replays', async () => {
    const { a, b, close } = await twoServers();
    const due = Date.parse('2023-06-30T16:00:00Z');
    await a.create(tickets(20, due), admin, t('2023-05-10T00:00:00Z'));
    await Promise.all([a.fireDue(new Date(due)), ...tickets(20).map(({ id }) => b.send(id, { type: 'WORK' }, ownerA, new Date(due)))]);
    const entries = await allEntries(a);
    expectOneLine(entries);
    expect(entries.filter((e) => e.type === 'LATE' && e.actor.role === SYSTEM_ACTOR.role)).toHaveLength(20);
    expect((await a.replay()).differences).toEqual([]);
    await close();
  });
});

