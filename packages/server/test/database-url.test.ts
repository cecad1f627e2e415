import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli as run } from './support/run-cli.ts';
import { openDuban } from '../src/app/open-duban.ts';
import { reopenableDatabase } from './support/test-server.ts';

describe('DATABASE_URL stands for --db', () => {
  const saved = process.env['DATABASE_URL'];
  let db: string;
  beforeEach(async () => {
    // A SQLite file, or a postgres:// URL under DUBAN_TEST_DB=postgres.
    db = await reopenableDatabase();
    await (await openDuban(db, { create: true })).close();
    process.env['DATABASE_URL'] = db;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env['DATABASE_URL'];
    else process.env['DATABASE_URL'] = saved;
  });

  it('given DATABASE_URL and no --db, when token, timers, audit and replay commands run, then they use it', async () => {
    const created = await run('token', 'create', '--role', 'office');
    expect(created.code, created.err).toBe(0);
    const token = created.out.trim().split('\n').at(-1)!;
    const duban = await openDuban(db, { create: false });
    expect(await duban.tokens.authenticate(token, new Date())).toMatchObject({ role: 'office' });
    await duban.close();
    for (const argv of [['token', 'list'], ['timers', 'run', '--now', '2023-07-01'], ['audit', 'verify'], ['replay']]) {
      const result = await run(...argv);
      expect(result.code, `${argv.join(' ')}: ${result.err}`).toBe(0);
    }
  });

  it('given --db as well, when a token command runs, then --db wins', async () => {
    const other = await reopenableDatabase();
    await (await openDuban(other, { create: true })).close();
    expect((await run('token', 'create', '--db', other, '--role', 'admin')).code).toBe(0);
    expect((await run('token', 'list', '--db', other)).err).toMatch(/^1 token\(s\)/m);
    expect((await run('token', 'list')).err).toMatch(/^0 token\(s\)/m);
  });

  it('given DUBAN_DB_POOL_SIZE that is not a count, when a command runs, then it says so and exits 1', async () => {
    process.env['DUBAN_DB_POOL_SIZE'] = 'lots';
    try {
      const result = await run('token', 'list');
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/DUBAN_DB_POOL_SIZE must be an integer from 1 to 1000, got "lots"/);
    } finally {
      delete process.env['DUBAN_DB_POOL_SIZE'];
    }
  });

  it('given neither, when a command runs, then the usage error names both', async () => {
    delete process.env['DATABASE_URL'];
    const result = await run('token', 'list');
    expect(result.code).toBe(2);
    expect(result.err.split('\n')[0]).toBe('duban: --db is required (or set DATABASE_URL)');
  });
});
