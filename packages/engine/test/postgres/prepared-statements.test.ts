import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Engine, openStore } from '../../src/index.ts';
import { admin, ownerA, t } from '../support/engine-fixture.ts';
import { freshPostgresSchema, postgresSkipReason, postgresUrl } from '../support/test-database.ts';
import { ticketV1 } from '../support/ticket-workflow.ts';

describe.skipIf(postgresUrl === undefined)(`statements prepared once a connection on PostgreSQL${postgresSkipReason}`, () => {
  it('given a column added to the tables after the store has run its statements on every connection, then reads and writes still answer', async () => {
    const engine = new Engine(await openStore(await freshPostgresSchema()), [ticketV1]);
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    // Every pooled connection runs the same reads and writes (ten at once), so each has prepared them.
    await Promise.all(Array.from({ length: 10 }, () => engine.getInstance('t1')));
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
    for (const table of ['workflow_instance', 'audit_log', 'idempotency']) await sql.raw(`ALTER TABLE ${table} ADD COLUMN later_column text`).execute(engine.store.kysely);

    await Promise.all(Array.from({ length: 10 }, (_, i) => engine.send('t1', { type: 'NOTE', payload: { text: `n${i}` } }, ownerA, t('2023-05-12T00:00:00Z'), { idempotencyKey: `k${i}`, fingerprint: 'f' })));
    const read = await Promise.all(Array.from({ length: 10 }, () => engine.getInstance('t1')));

    expect(read.map((r) => r?.version)).toEqual(Array(10).fill(12));
    expect(await engine.history('t1')).toHaveLength(12);
    expect(await engine.verify()).toMatchObject({ ok: true, entries: 12 });
    await engine.close();
  });
});
