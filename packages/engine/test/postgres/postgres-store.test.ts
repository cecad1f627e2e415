import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.ts';
import { openStore } from '../../src/index.ts';
import { admin, newEngine, ownerA, t } from '../support/engine-fixture.ts';
import { freshPostgresSchema, inSchema, postgresSkipReason, postgresUrl, schemaOf } from '../support/test-database.ts';

const key = generateKeyPairSync('ed25519');
const signer = { origin: 'duban.test/pg', privateKey: key.privateKey };

/** Given a schema of its own with 10 entries and checkpoints after entries 4 and 10. */
async function loggedEngine(): Promise<Engine> {
  const engine = await newEngine({ file: await freshPostgresSchema() });
  await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }, { id: 't2', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
  await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
  await engine.send('t2', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
  await engine.issueCheckpoint(signer, t('2023-05-11T01:00:00Z'));
  for (let i = 0; i < 6; i++) await engine.send(i % 2 ? 't1' : 't2', { type: 'NOTE', payload: { text: `第${i}次` } }, ownerA, t(`2023-05-${12 + i}T00:00:00Z`));
  await engine.issueCheckpoint(signer, t('2023-05-20T00:00:00Z'));
  return engine;
}

describe.skipIf(postgresUrl === undefined)(`the PostgreSQL store${postgresSkipReason}`, () => {
  it('given the audit log, when anyone tries UPDATE, DELETE or TRUNCATE, then the database refuses each and every entry stays', async () => {
    const engine = await loggedEngine();
    const db = engine.store.kysely;
    for (const statement of ["UPDATE audit_log SET type = 'X' WHERE seq = 3", 'DELETE FROM audit_log WHERE seq > 8', 'TRUNCATE audit_log']) {
      await expect(sql.raw(statement).execute(db), statement).rejects.toThrow(/audit_log is append-only/);
    }
    expect(await engine.verifyWithCheckpoints(key.publicKey)).toMatchObject({ ok: true });
    expect(await engine.auditSize()).toBe(10);
    await engine.close();
  });

  it('given a superuser who drops the trigger and edits an entry, then verification names it', async () => {
    const engine = await loggedEngine();
    await sql`DROP TRIGGER audit_log_no_change ON audit_log`.execute(engine.store.kysely);
    await sql`UPDATE audit_log SET payload = '{"text":"伪造"}' WHERE seq = 7`.execute(engine.store.kysely);
    expect(await engine.verify()).toMatchObject({ ok: false, firstBadSeq: 7 });
    expect(await engine.verifyWithCheckpoints(key.publicKey)).toMatchObject({ ok: false, firstBadSeq: 7 });
    await engine.close();
  });

  it('given the tail deleted by a superuser, then the chain passes but the checkpoints do not', async () => {
    const engine = await loggedEngine();
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`.execute(engine.store.kysely);
    await sql`DELETE FROM audit_log WHERE seq > 6`.execute(engine.store.kysely);
    expect(await engine.verify()).toMatchObject({ ok: true, entries: 6 });
    expect(await engine.verifyWithCheckpoints(key.publicKey)).toMatchObject({ ok: false, firstBadSeq: 7 });
    await engine.close();
  });

  it('given the instance table edited behind the engine, then replay reports the difference', async () => {
    const engine = await loggedEngine();
    await sql`UPDATE workflow_instance SET snapshot = jsonb_set(snapshot::jsonb, '{value}', '"done"')::text WHERE id = 't1'`.execute(engine.store.kysely);
    expect((await engine.replay()).differences).toEqual([expect.objectContaining({ instanceId: 't1' })]);
    await engine.close();
  });

  it('given a statement that failed inside a transaction, then the transaction is never reported committed', async () => {
    // PostgreSQL would answer the COMMIT with a silent ROLLBACK; the store must not call that a success.
    const engine = await newEngine({ file: await freshPostgresSchema() });
    const work = engine.store.transact(async (tx) => {
      await tx.kysely.insertInto('idempotency').values({ key: 'k', fingerprint: 'f', outcome: '{}', created_at: '2023-05-10T00:00:00Z' }).execute();
      await sql`SELECT * FROM no_such_table`.execute(tx.kysely).catch(() => undefined);
      return 'committed';
    });
    await expect(work).rejects.toThrow(/rolled the transaction back at COMMIT/);
    expect(await engine.store.kysely.selectFrom('idempotency').selectAll().execute()).toEqual([]);
    await engine.close();
  });

  it('given two schemas in one database, then each has its own tables, log and migrations', async () => {
    const [first, second] = await Promise.all([freshPostgresSchema(), freshPostgresSchema()]);
    const a = await newEngine({ file: first });
    await a.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    const b = await newEngine({ file: second });
    expect(await b.listInstances({ limit: 10 })).toEqual([]);
    expect(await b.auditSize()).toBe(0);
    await b.create([{ id: 't1', workflow: 'ticket', input: { owner: 'B', dueAt: null } }], admin, t('2023-05-12T00:00:00Z'));
    expect((await a.getInstance('t1'))?.snapshot.context).toMatchObject({ owner: 'A' });
    expect((await b.getInstance('t1'))?.snapshot.context).toMatchObject({ owner: 'B' });
    const tables = await sql<{ schema: string }>`SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'schema_migration' AND table_schema IN (${schemaOf(first)}, ${schemaOf(second)})`.execute(a.store.kysely);
    expect(tables.rows.map((r) => r.schema).sort()).toEqual([schemaOf(first), schemaOf(second)].sort());
    await Promise.all([a.close(), b.close()]);
  });

  it('given a pool size, then the store never holds more connections than that', async () => {
    const store = await openStore(await freshPostgresSchema(), { poolSize: 2 });
    const backends = await Promise.all(Array.from({ length: 8 }, () => sql<{ pid: number }>`SELECT pg_backend_pid() AS pid, pg_sleep(0.05)`.execute(store.kysely)));
    expect(new Set(backends.map((r) => r.rows[0]!.pid)).size).toBeLessThanOrEqual(2);
    await store.close();
  });

  it('given a URL whose search_path names no schema, then opening is refused with the reason', async () => {
    await expect(openStore(inSchema(postgresUrl!, 'duban_t_does_not_exist'))).rejects.toThrow(/search_path names no schema that exists/);
  });

  it('given synchronous_commit off for the connection, then opening is refused: an acknowledged commit could be lost', async () => {
    const url = new URL(await freshPostgresSchema());
    url.searchParams.set('options', `${url.searchParams.get('options')} -c synchronous_commit=off`);
    await expect(openStore(url.toString())).rejects.toThrow(/synchronous_commit is off/);
  });
});
