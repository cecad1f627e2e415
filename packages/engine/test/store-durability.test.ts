import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { admin, newEngine, onPostgres, ownerA, reopenableDatabase, t, tempDbFile } from './support/engine-fixture.ts';

describe('the store', () => {
  // SQLite-only (they open the file themselves); packages/engine/test/postgres/ checks PostgreSQL's equivalents.
  it.skipIf(onPostgres)('given a database file, when opened, then WAL and synchronous=FULL are in force', async () => {
    const file = tempDbFile();
    const engine = await newEngine({ file });
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    await engine.close();
    const raw = new BetterSqlite3(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it.skipIf(onPostgres)('given concurrent sends on a file, when they have been answered, then their commits were synced and the connection is back to synchronous=FULL for every other writer', async () => {
    const file = tempDbFile();
    const engine = await newEngine({ file });
    await engine.create([1, 2, 3].map((n) => ({ id: `t${n}`, workflow: 'ticket', input: { owner: 'A', dueAt: null } })), admin, t('2023-05-10T00:00:00Z'));
    await Promise.all([1, 2, 3].map((n) => engine.send(`t${n}`, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'))));
    const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(engine.store.kysely);
    expect(rows[0]?.synchronous).toBe(2);
    await engine.close();
    const raw = new BetterSqlite3(file);
    expect(raw.prepare("SELECT count(*) AS n FROM audit_log WHERE type = 'WORK'").get()).toEqual({ n: 3 });
    raw.close();
  });

  it.skipIf(onPostgres)('given the audit log, when anyone tries UPDATE or DELETE on it, then the database refuses', async () => {
    const file = tempDbFile();
    const engine = await newEngine({ file });
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    await engine.close();
    const raw = new BetterSqlite3(file);
    expect(() => raw.prepare("UPDATE audit_log SET type = 'X'").run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(raw.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
    raw.close();
  });

  it('given an error after the audit entry is written but before the commit ends, then neither entry nor state is kept', async () => {
    let fail = false;
    const engine = await newEngine({
      engine: {
        onCommit: async () => {
          if (fail) throw new Error('crash between the entry and the snapshot');
        },
      },
    });
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: 5 } }], admin, t('2023-05-10T00:00:00Z'));
    const before = { instance: await engine.getInstance('t1'), audit: await engine.readAudit(0, 100), timers: await engine.timers('t1') };
    fail = true;
    await expect(engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T08:00:00Z'))).rejects.toThrow(/crash/);
    expect({ instance: await engine.getInstance('t1'), audit: await engine.readAudit(0, 100), timers: await engine.timers('t1') }).toEqual(before);
    fail = false;
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T08:00:00Z'));
    expect((await engine.verify()).ok).toBe(true);
  });

  it('given a closed and reopened database, then instances, log and timers are all there', async () => {
    const file = await reopenableDatabase();
    const first = await newEngine({ file });
    await first.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: Date.parse('2023-06-30T16:00:00Z') } }], admin, t('2023-05-10T00:00:00Z'));
    await first.send('t1', { type: 'WORK' }, ownerA, t('2023-05-12T08:00:00Z'));
    await first.close();
    const second = await newEngine({ file });
    expect((await second.getInstance('t1'))?.snapshot.value).toBe('working');
    expect(await second.timers('t1')).toEqual([{ instanceId: 't1', key: 'LATE', dueAt: Date.parse('2023-06-30T16:00:00Z'), event: { type: 'LATE' } }]);
    expect((await second.verify())).toMatchObject({ ok: true, entries: 2 });
    await second.close();
  });
});
