import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from './support/run-cli.ts';
import { openDuban } from '../src/app/open-duban.ts';
import { reopenableDatabase } from './support/test-server.ts';

describe('duban CLI (in process)', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-cli-'));
    // A SQLite file, or under DUBAN_TEST_DB=postgres a postgres:// URL, which every --db takes.
    db = await reopenableDatabase();
    await (await openDuban(db, { create: true })).close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a bad argument, when any command runs, then it prints one line naming it and the usage, exits 2 and shows no stack', async () => {
    const cases: [string[], RegExp][] = [
      [['fly'], /unknown command "fly"/],
      [['toString'], /unknown command "toString"/],
      [['__proto__'], /unknown command "__proto__"/],
      [['serve'], /--db is required/],
      [['serve', '--db', db, '--port', '99999'], /--port must be an integer from 0 to 65535/],
      [['serve', '--db', db, '--clock', '2023-02-30'], /--clock must be an ISO 8601 instant/],
      [['serve', '--db', db, '--bogus'], /Unknown option '--bogus'/],
      [['serve', '--db', db, '--trust-proxy', 'true'], /--trust-proxy true would trust every proxy: any client could then forge X-Forwarded-For/],
      [['serve', '--db', db, '--trust-proxy', 'proxy.example'], /--trust-proxy must be a hop count, or addresses and subnets .* got "proxy\.example": invalid IP address/],
      [['start', '--trust-proxy', 'true'], /--trust-proxy true would trust every proxy/],
      [['serve', '--db', db, '--smtp-port', '25'], /--smtp-port needs --smtp-host/],
      [['serve', '--db', db, '--smtp-host', '127.0.0.1'], /--smtp-from ADDRESS is required with --smtp-host/],
      [['serve', '--db', db, '--smtp-host', '127.0.0.1', '--smtp-from', '督办'], /--smtp-from must be an e-mail address/],
      [['serve', '--db', db, '--smtp-host', '127.0.0.1', '--smtp-from', 'a@b.cn', '--smtp-password-file', 'x'], /--smtp-password-file needs --smtp-user/],
      [['serve', '--db', db, '--smtp-host', 'a b', '--smtp-from', 'a@b.cn'], /--smtp-host must be an address or host name/],
      [['token'], /token needs a subcommand/],
      [['token', 'create', '--db', db, '--role', 'king'], /--role must be one of office, reviewer, unit, admin/],
      [['token', 'create', '--db', db, '--role', 'unit'], /a unit token needs --unit/],
      [['token', 'create', '--db', db, '--role', 'office', '--unit', '市水务局'], /acts for no unit/],
      [['token', 'create', '--db', db, '--role', 'unit', '--unit', '火星局'], /unknown unit "火星局"/],
      [['token', 'create', '--db', db, '--role', 'unit', '--unit', '各区人民政府'], /stands for several units/],
      [['token', 'revoke', 'abc', '--db', db], /token ID must be a number/],
      [['timers', 'run', '--db', db, '--now', 'tomorrow'], /--now must be an ISO 8601 instant/],
      [['timers', 'run', '--db', db], /--now is required/],
      [['replay', '--db', db, '--as-of', '2023-13-01'], /--as-of must be an ISO 8601 instant/],
      [['replay', '--db', db, '--workers', '0'], /--workers must be an integer from 1 to 256/],
      [['plan', 'parse'], /missing FILE/],
      [['plan', 'parse', 'a', 'b'], /unexpected argument "b"/],
    ];
    for (const [argv, message] of cases) {
      const { code, err } = await run(...argv);
      expect(code, argv.join(' ')).toBe(2);
      const [first, ...rest] = err.split('\n');
      expect(first, argv.join(' ')).toMatch(message);
      expect(first).toMatch(/^duban: /);
      expect(rest.join('\n')).toContain('Usage: duban <command>');
      expect(err).not.toMatch(/\n\s+at /);
    }
  });

  it('given a missing database, a plan with no task or a UTF-16 file, when the command runs, then it prints a message, exits 1 and shows no stack', async () => {
    const missing = await run('audit', 'verify', '--db', join(dir, 'nope.db'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no database at .*nope\.db/);
    const empty = join(dir, 'empty.md');
    writeFileSync(empty, '# 没有任务的文件\n\n只有一段话。\n');
    const none = await run('plan', 'parse', empty);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/未找到任何任务/);
    const utf16 = join(dir, 'utf16.md');
    writeFileSync(utf16, Buffer.from([0xff, 0xfe, 0x31, 0x00]));
    const bad = await run('plan', 'parse', utf16);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/UTF-16/);
    for (const r of [missing, none, bad]) expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('when a unit token is created under an alias, listed and revoked twice, then the token prints last, the unit is listed by its canonical name without the secret, and the second revoke fails', async () => {
    const created = await run('token', 'create', '--db', db, '--role', 'unit', '--unit', '市住房公积金中心', '--label', '联络员');
    expect(created.code).toBe(0);
    const token = created.out.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^dbn_unit_[A-Za-z0-9_-]{32}$/);
    const listed = await run('token', 'list', '--db', db);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('市住房公积金管理中心');
    expect(listed.out).not.toContain(token.slice(9));
    const id = /created token (\d+)/.exec(created.out)?.[1];
    expect((await run('token', 'revoke', id!, '--db', db)).code).toBe(0);
    const again = await run('token', 'revoke', id!, '--db', db);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/no live token/);
  });

  it('given the Karamay plan, when plan parse runs, then it prints Plan JSON with its 71 tasks', async () => {
    const parsed = await run('plan', 'parse', join(import.meta.dirname, '..', '..', '..', 'data', 'plans', 'karamay-2023-fangguanfu.md'));
    expect(parsed.code).toBe(0);
    const plan = JSON.parse(parsed.out) as { tasks: unknown[]; issuedOn: string };
    expect(plan.tasks).toHaveLength(71);
    expect(plan.issuedOn).toBe('2023-05-10');
  });
});
