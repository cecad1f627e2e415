import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Engine, openStore, TransitionNotAllowed } from '../src/index.ts';
import { admin, ownerA, reopenableDatabase, t } from './support/engine-fixture.ts';
import { ticketV1 } from './support/ticket-workflow.ts';

// The write path's shortcuts on either database: instances decided from memory, and (on PostgreSQL)
// a batch's instance writes and entries sent together at its end. Each must leave what the plain path would.

const ticket = (id: string) => ({ id, workflow: 'ticket', input: { owner: 'A', dueAt: null } });

describe('the write path', () => {
  it('given an instance rewritten behind the engine with no entry (nothing tells its cache), when the engine sends to it, then it decides on the stored record', async () => {
    const db = await reopenableDatabase();
    const engine = new Engine(await openStore(db), [ticketV1]);
    await engine.create([ticket('t1')], admin, t('2023-05-10T00:00:00Z'));
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
    // Version 3 with 7 notes, written by hand: the chain's head does not move.
    const stored = (await engine.getInstance('t1'))!;
    const edited = { ...stored.snapshot, context: { ...stored.snapshot.context, notes: 7 } };
    await sql`UPDATE workflow_instance SET version = 3, snapshot = ${JSON.stringify(edited)} WHERE id = 't1'`.execute(engine.store.kysely);

    const sent = await engine.send('t1', { type: 'NOTE', payload: { text: 'after the edit' } }, ownerA, t('2023-05-11T01:00:00Z'));

    expect(sent.instance).toMatchObject({ version: 4, snapshot: { context: { notes: 8 } } });
    expect(sent.entry.version).toBe(4);
    expect(await engine.getInstance('t1')).toMatchObject({ version: 4, snapshot: { context: { notes: 8 } } });
    expect(await engine.verify()).toMatchObject({ ok: true, entries: 3 });
    await engine.close();
  });

  it('given many sends to a few instances at once (several to one instance in a batch) with refusals among them, then each instance ends at its last version and the log is one chain that replays', async () => {
    const engine = new Engine(await openStore(await reopenableDatabase()), [ticketV1]);
    await engine.create(['a', 'b', 'c'].map(ticket), admin, t('2023-05-10T00:00:00Z'));
    await Promise.all(['a', 'b'].map((id) => engine.send(id, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'))));

    // c is still open: its NOTEs are refused; a and b take ten each, interleaved, all in flight together.
    const sends = Array.from({ length: 30 }, (_, i) => engine.send(['a', 'b', 'c'][i % 3]!, { type: 'NOTE', payload: { text: `n${i}` } }, ownerA, t('2023-05-12T00:00:00Z')));
    const outcomes = await Promise.allSettled(sends);

    const refused = outcomes.filter((o, i) => i % 3 === 2 && o.status === 'rejected' && o.reason instanceof TransitionNotAllowed);
    expect(refused).toHaveLength(10);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(20);
    for (const id of ['a', 'b']) expect(await engine.getInstance(id), id).toMatchObject({ version: 12, snapshot: { context: { notes: 10 } } });
    expect(await engine.getInstance('c')).toMatchObject({ version: 1 });
    const history = await engine.history('a');
    expect(history.map((e) => e.version)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await engine.verify()).toMatchObject({ ok: true, entries: 3 + 2 + 20 });
    expect((await engine.replay()).differences).toEqual([]);
    await engine.close();
  });

  it('given a transaction whose hook reads the instances back through kysely after settle(), then it reads what the transaction wrote', async () => {
    const read: number[] = [];
    const engine = new Engine(await openStore(await reopenableDatabase()), [ticketV1], {
      onCommit: async (tx, { instance }) => {
        await tx.settle();
        const row = await tx.kysely.selectFrom('workflow_instance').select('version').where('id', '=', instance.id).executeTakeFirstOrThrow();
        const entries = await tx.kysely.selectFrom('audit_log').select('seq').where('instance_id', '=', instance.id).execute();
        read.push(Number(row.version), entries.length);
      },
    });
    await engine.create([ticket('t1')], admin, t('2023-05-10T00:00:00Z'));
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
    expect(read).toEqual([1, 1, 2, 2]);
    await engine.close();
  });
});
