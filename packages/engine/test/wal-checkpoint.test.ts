import BetterSqlite3 from 'better-sqlite3';
import { copyFileSync, existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { Engine } from '../src/index.ts';
import { admin, newEngine, onPostgres, ownerA, t, tempDbFile } from './support/engine-fixture.ts';

/** The entries of `type` in the database file alone, as a copy without its WAL holds them (0 before its schema). */
function entriesInFileAlone(file: string, type: string): number {
  const copy = tempDbFile();
  copyFileSync(file, copy);
  const raw = new BetterSqlite3(copy, { readonly: true });
  try {
    if (raw.prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'").get() === undefined) return 0;
    return (raw.prepare('SELECT count(*) AS n FROM audit_log WHERE type = ?').get(type) as { n: number }).n;
  } finally {
    raw.close();
  }
}

async function engineWithTickets(file: string, n: number, groupCommit: boolean): Promise<Engine> {
  const engine = await newEngine({ file, engine: { groupCommit } });
  await engine.create(Array.from({ length: n }, (_, i) => ({ id: `t${i}`, workflow: 'ticket', input: { owner: 'A', dueAt: null } })), admin, t('2023-05-10T00:00:00Z'));
  return engine;
}

// SQLite only: the WAL and its checkpoints are SQLite's (store/wal-checkpointer.ts).
describe.skipIf(onPostgres)('the WAL of a group commit, copied into the database off the event loop', () => {
  it('given group commits on a file, when the writer is still open, then a checkpoint thread has copied them into the database file', async () => {
    const file = tempDbFile();
    const engine = await engineWithTickets(file, 20, true);
    await Promise.all(Array.from({ length: 20 }, (_, i) => engine.send(`t${i}`, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'))));
    // Far below SQLite's own checkpoint (1,000 pages): only the checkpoint thread copies them this soon.
    await vi.waitFor(() => expect(entriesInFileAlone(file, 'WORK')).toBe(20), { timeout: 10_000, interval: 20 });
    await engine.close();
  });

  it('given commits without group commit, when the writer is still open, then they stay in the WAL until SQLite checkpoints (the contrast to the above)', async () => {
    const file = tempDbFile();
    const engine = await engineWithTickets(file, 5, false);
    for (let i = 0; i < 5; i++) await engine.send(`t${i}`, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
    expect(entriesInFileAlone(file, 'WORK')).toBe(0);
    await engine.close();
  });

  it('given group commits, when the store closes, then no WAL is left and the database file alone holds every entry', async () => {
    const file = tempDbFile();
    const engine = await engineWithTickets(file, 30, true);
    await Promise.all(Array.from({ length: 30 }, (_, i) => engine.send(`t${i}`, { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'))));
    for (let round = 0; round < 2; round++) {
      await Promise.all(Array.from({ length: 30 }, (_, i) => engine.send(`t${i}`, { type: 'NOTE', payload: { text: `n${round}` } }, ownerA, t('2023-05-11T00:00:00Z'))));
    }
    // The checkpoint thread has its connection open.
    await vi.waitFor(() => expect(entriesInFileAlone(file, 'NOTE')).toBe(60), { timeout: 10_000, interval: 20 });
    await engine.close();
    // The checkpoint thread's connection closed first: the writer's close was the last, and removed the WAL.
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(entriesInFileAlone(file, 'WORK') + entriesInFileAlone(file, 'NOTE')).toBe(90);
    const reopened = await newEngine({ file });
    expect(await reopened.verify()).toMatchObject({ ok: true, entries: 30 + 90 });
    expect((await reopened.replay()).differences).toEqual([]);
    await reopened.close();
  });
});
