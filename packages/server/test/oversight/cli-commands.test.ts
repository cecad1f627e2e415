import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from '../support/run-cli.ts';
import type { ServerDatabase } from '../../src/db/server-tables.ts';
import { openDuban } from '../../src/app/open-duban.ts';
import { reopenableDatabase } from '../support/test-server.ts';
import { END_A, END_B, playScenario } from './support/oversight-scenario.ts';
import { startOversightServer } from './support/oversight-server.ts';
import { readSheet } from './support/read-xlsx.ts';

describe('`duban report` and `duban webhook` (in process)', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    // Given a database where the scenario was played through the API
    dir = mkdtempSync(join(tmpdir(), 'duban-oversight-cli-'));
    db = await reopenableDatabase();
    const s = await startOversightServer({ db });
    await playScenario(s);
    await s.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when report summary and report units run, then they print the JSON the API serves', async () => {
    const summary = await run('report', 'summary', '--db', db, '--as-of', '2023-08-20');
    expect(summary.code, summary.err).toBe(0);
    const parsed = JSON.parse(summary.out);
    expect(parsed).toMatchObject({ asOf: END_A, total: 4, completion: { done: 2, base: 4, percent: '50.0%' } });
    expect(parsed.overdue.map((t: { number: number; days: number }) => [t.number, t.days])).toEqual([[3, 20]]);

    const units = await run('report', 'units', '--db', db, '--as-of', '2023-09-30T23:59:59.999+08:00');
    expect(units.code, units.err).toBe(0);
    const assessment = JSON.parse(units.out);
    expect(assessment.asOf).toBe(END_B);
    expect(assessment.units.at(-1)).toMatchObject({ unit: '市司法局', score: 80 });
  });

  it('given --format md or csv, when the summary or the units are asked for, then the summary prints as Markdown and the units as CSV with shared ranks', async () => {
    const md = await run('report', 'summary', '--db', db, '--as-of', '2023-08-20', '--format', 'md');
    expect(md.code, md.err).toBe(0);
    expect(md.out).toMatch(/^# 改革任务推进情况（截至 2023-08-20 23:59/);
    expect(md.out).toContain('共 4 项任务，完成 2 项（50.0%，以未撤销的 4 项计）；逾期未完成 1 项。');
    expect(md.out).toMatch(/\| 3 \| 全面推行“双随机、一公开”监管。 \| 市司法局 \| 2023-07-31 \| 20 \| /);

    const csv = await run('report', 'units', '--db', db, '--as-of', '2023-09-30', '--format', 'csv');
    expect(csv.code, csv.err).toBe(0);
    const lines = csv.out.split('\r\n');
    expect(lines[0]).toBe('\uFEFF名次,单位,得分,加分,扣分,明细');
    expect(lines.at(-1)).toMatch(/^\d+,市司法局,80,/);
    expect((await run('report', 'units', '--db', db, '--format', 'md')).code).toBe(2);
  });

  it('when report ledger runs, then it prints CSV or JSON rows, and writes an xlsx only to a file', async () => {
    const csv = await run('report', 'ledger', '--db', db, '--as-of', '2023-08-20');
    expect(csv.code).toBe(0);
    const lines = csv.out.split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]!.startsWith('\uFEFF序号,')).toBe(true);
    expect(lines[3]).toBe('3,二、不断创新监管机制,（七）推进公正监管。,全面推行“双随机、一公开”监管。,市司法局,各区人民政府,2023年7月底前,推进中,红灯,,,20,,无,,部分 0/4 完成');

    const json = JSON.parse((await run('report', 'ledger', '--db', db, '--as-of', '2023-09-30', '--format', 'json')).out);
    expect(json.map((row: Record<string, unknown>) => [row['序号'], row['当前状态']])).toEqual([[1, '已核验'], [2, '已销号'], [3, '已移交问责'], [4, '推进中']]);

    const file = join(dir, '台账-2023-09-30.xlsx');
    const written = await run('report', 'ledger', '--db', db, '--as-of', '2023-09-30', '--format', 'xlsx', '--out', file);
    expect(written.code, written.err).toBe(0);
    expect(written.out).toBe('');
    const { rows } = await readSheet(file, '台账');
    expect(rows.slice(2).map((row) => [row[0], row[7], row[8]])).toEqual([[1, '已核验', '绿灯'], [2, '已销号', '绿灯'], [3, '已移交问责', '红灯'], [4, '推进中', '绿灯']]);
  });

  it('when report circular runs for a period, then it prints Markdown, HTML or JSON', async () => {
    const md = await run('report', 'circular', '--db', db, '--from', '2023-08', '--to', '2023-08');
    expect(md.code, md.err).toBe(0);
    expect(md.out.split('\n')[0]).toBe('# 关于2023年8月“放管服”改革工作推进情况的通报');
    const json = JSON.parse((await run('report', 'circular', '--db', db, '--from', '2023-06-01', '--to', '2023-07-31', '--format', 'json')).out);
    expect(json.sections.commended.units).toEqual([{ unit: '市市场监管局', reasons: ['第2项按时完成', '第2项获表扬'] }]);
    const html = await run('report', 'circular', '--db', db, '--from', '2023-08', '--to', '2023-08', '--format', 'html');
    expect(html.out).toMatch(/^<!DOCTYPE html>/);
  });

  it('given a bad argument, when a report or webhook command runs, then it exits 2 naming it; given a file it cannot write, then it exits 1', async () => {
    const cases: [string[], string][] = [
      [['report'], 'report needs one of: summary, units, ledger, circular'],
      [['report', 'bogus', '--db', db], 'unknown report "bogus"'],
      [['report', 'summary'], '--db is required'],
      [['report', 'ledger', '--db', db, '--format', 'xlsx'], '--format xlsx needs --out FILE'],
      [['report', 'summary', '--db', db, '--format', 'csv'], '--format for summary must be json or md, got "csv"'],
      [['report', 'units', '--db', db, '--as-of', 'someday'], '--as-of must be an ISO 8601 instant such as 2023-08-31T18:00:00+08:00 or a date such as 2023-08-31, got "someday"'],
      [['report', 'units', '--db', db, '--as-of', '2999-01-01'], "--as-of must not be after the server's current time"],
      [['report', 'circular', '--db', db, '--from', '2023-07', '--to', '2023-06'], '--from must not be after to'],
      [['report', 'circular', '--db', db, '--from', '2023-07', '--to', '2999-01'], '--to must not be after today'],
      [['report', 'circular', '--db', db, '--from', '2023-07'], '--to is required'],
      [['report', 'circular', '--db', db, '--from', '2023-07', '--to', '2023-07', '--as-of', '2023-07-01'], 'use --from and --to, not --as-of'],
      [['report', 'summary', '--db', db, '--from', '2023-07'], '--from and --to are for the circular'],
      [['webhook'], 'webhook needs a subcommand: set, list or remove'],
      [['webhook', 'set', '--db', db, '--unit', '火星局', '--url', 'http://127.0.0.1:1/hook', '--secret', 'x'.repeat(16)], 'unknown unit "火星局"'],
      [['webhook', 'set', '--db', db, '--unit', '各区人民政府', '--url', 'http://127.0.0.1:1/hook', '--secret', 'x'.repeat(16)], '各区人民政府 stands for several units'],
      [['webhook', 'set', '--db', db, '--unit', '市水务局', '--url', 'ftp://127.0.0.1/hook', '--secret', 'x'.repeat(16)], '--url: the webhook URL must use http or https, not ftp'],
      [['webhook', 'set', '--db', db, '--unit', '市水务局', '--url', 'http://127.0.0.1:1/hook', '--secret', 'short'], '--secret must be 16 to 256 printable ASCII characters'],
      [['webhook', 'set', '--db', db, '--unit', '市水务局', '--url', 'http://127.0.0.1:1/hook'], 'the webhook secret is required: --secret-file FILE (or DUBAN_WEBHOOK_SECRET)'],
      [['webhook', 'set', '--db', db, '--unit', '市水务局', '--url', 'http://127.0.0.1:1/hook', '--secret', 'x'.repeat(16), '--secret-file', join(dir, 'x')], 'give the webhook secret one way only, not --secret-file and --secret'],
      [['webhook', 'set', '--db', db, '--unit', '市水务局', '--url', 'http://127.0.0.1:1/hook', '--secret-file', ''], '--secret-file needs a file name'],
    ];
    for (const [args, message] of cases) {
      const result = await run(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.split('\n')[0]).toContain(message);
    }
    const unwritable = await run('report', 'summary', '--db', db, '--out', join(dir, 'no-such-dir', 'summary.json'));
    expect(unwritable.code).toBe(1);
    expect(unwritable.err).toMatch(/^duban: no such file or directory, open '.*summary\.json'$/);
  });

  describe('where webhook set takes the secret from', () => {
    const set = (...source: string[]) => run('webhook', 'set', '--db', db, '--unit', '市水务局', '--url', 'http://127.0.0.1:8999/hook', ...source);
    const storedSecret = async () => {
      const duban = await openDuban(db, { create: false });
      try {
        const row = await (duban.engine.store.kysely as unknown as Kysely<ServerDatabase>).selectFrom('webhook').select('secret').where('unit', '=', '市水务局').executeTakeFirst();
        return row?.secret;
      } finally {
        await duban.close();
      }
    };
    const file = (name: string, content: string, mode = 0o600) => {
      const path = join(dir, name);
      writeFileSync(path, content, { mode });
      chmodSync(path, mode); // writeFileSync's mode is filtered by the umask
      return path;
    };
    const saved = process.env['DUBAN_WEBHOOK_SECRET'];
    afterEach(async () => {
      if (saved === undefined) delete process.env['DUBAN_WEBHOOK_SECRET'];
      else process.env['DUBAN_WEBHOOK_SECRET'] = saved;
      await run('webhook', 'remove', '--db', db, '--unit', '市水务局');
    });

    it('given --secret-file, when webhook set runs, then the file\'s content is stored without its trailing newline (LF or CRLF), with no warning', async () => {
      const result = await set('--secret-file', file('secret.txt', 'from-a-file-0123456789\n'));
      expect(result.code, result.err).toBe(0);
      expect(result.out).toBe('set the webhook of 市水务局: http://127.0.0.1:8999/hook');
      expect(result.err).toBe('');
      expect(await storedSecret()).toBe('from-a-file-0123456789');
      // CRLF too, as a Windows editor writes it.
      expect((await set('--secret-file', file('crlf.txt', 'from-a-crlf-file-0123456789\r\n'))).code).toBe(0);
      expect(await storedSecret()).toBe('from-a-crlf-file-0123456789');
    });

    it('given a --secret-file that others may read, when webhook set runs, then the secret is stored, with a warning naming the file, its mode and the fix', async () => {
      const shared = file('shared.txt', 'from-a-shared-file-0123\n', 0o644);
      const result = await set('--secret-file', shared);
      expect(result.code, result.err).toBe(0);
      expect(result.err).toBe(`duban: warning: --secret-file ${shared} can be read by other users of this machine (mode 0644); chmod 600 ${shared}`);
      expect(await storedSecret()).toBe('from-a-shared-file-0123');
      expect((await set('--secret-file', file('group.txt', 'from-a-group-file-0123', 0o640))).err).toContain('(mode 0640)');
    });

    it('given DUBAN_WEBHOOK_SECRET, when webhook set runs, then it is stored, with no warning', async () => {
      process.env['DUBAN_WEBHOOK_SECRET'] = 'from-the-environment-42';
      const result = await set();
      expect(result.code, result.err).toBe(0);
      expect(result.err).toBe('');
      expect(await storedSecret()).toBe('from-the-environment-42');
    });

    it('given --secret, when webhook set runs, then it is still stored, with a warning that other users can see it', async () => {
      const result = await set('--secret', 'on-the-command-line-42');
      expect(result.code, result.err).toBe(0);
      expect(result.err).toBe('duban: warning: --secret is visible to other users of this machine (process list, shell history); use --secret-file FILE or DUBAN_WEBHOOK_SECRET');
      expect(await storedSecret()).toBe('on-the-command-line-42');
    });

    it('given two sources of the secret, or a bad DUBAN_WEBHOOK_SECRET, when webhook set runs, then it is a usage error (exit 2) and the stored secret is left as it was', async () => {
      expect((await set('--secret-file', file('first.txt', 'the-first-secret-0123'))).code).toBe(0);
      process.env['DUBAN_WEBHOOK_SECRET'] = 'from-the-environment-42';
      for (const [source, named] of [
        [['--secret-file', file('second.txt', 'the-second-secret-0123')], '--secret-file and DUBAN_WEBHOOK_SECRET'],
        [['--secret', 'the-second-secret-0123'], 'DUBAN_WEBHOOK_SECRET and --secret'],
      ] as const) {
        const result = await set(...source);
        expect(result.code).toBe(2);
        expect(result.err.split('\n')[0]).toBe(`duban: give the webhook secret one way only, not ${named}`);
        expect(result.err).toContain('Usage: duban <command>');
      }
      process.env['DUBAN_WEBHOOK_SECRET'] = 'short';
      const bad = await set();
      expect(bad.code).toBe(2);
      expect(bad.err.split('\n')[0]).toBe('duban: DUBAN_WEBHOOK_SECRET must be 16 to 256 printable ASCII characters without spaces');
      expect(await storedSecret()).toBe('the-first-secret-0123');
    });

    it('given a missing, empty, unreadable or bad secret file, when webhook set runs, then a message names it, it exits 1 and nothing is stored', async () => {
      mkdirSync(join(dir, 'a-directory'), { recursive: true });
      const cases: [string, string][] = [
        [join(dir, 'no-such-secret.txt'), `duban: --secret-file ${join(dir, 'no-such-secret.txt')}: no such file`],
        [file('empty.txt', ''), `duban: --secret-file ${join(dir, 'empty.txt')} is empty; write the secret into it`],
        [file('newline.txt', '\n'), `duban: --secret-file ${join(dir, 'newline.txt')} is empty; write the secret into it`],
        [join(dir, 'a-directory'), `duban: --secret-file ${join(dir, 'a-directory')}: is a directory, not a file`],
        [file('short.txt', 'short\n'), `duban: the secret in --secret-file ${join(dir, 'short.txt')} must be 16 to 256 printable ASCII characters without spaces`],
        [file('spaces.txt', 'a secret with spaces in it\n'), `duban: the secret in --secret-file ${join(dir, 'spaces.txt')} must be 16 to 256 printable ASCII characters without spaces`],
      ];
      for (const [path, message] of cases) {
        const result = await set('--secret-file', path);
        expect(result.code, path).toBe(1);
        expect(result.err, path).toBe(message);
      }
      expect(await storedSecret()).toBeUndefined();
    });

    it('when the usage is asked for, then it names --secret-file and DUBAN_WEBHOOK_SECRET', async () => {
      const help = await run('help');
      expect(help.out).toContain('webhook set --db FILE --unit NAME --url http(s)://… --secret-file FILE');
      expect(help.out).toContain('DUBAN_WEBHOOK_SECRET');
    });
  });

  it('when a webhook is set under an alias, listed and removed twice, then it is stored by the canonical name, listed without its secret, and the second remove fails', async () => {
    const secret = 'cli-secret-0123456789';
    const set = await run('webhook', 'set', '--db', db, '--unit', '市住房公积金中心', '--url', 'http://127.0.0.1:8999/hook', '--secret', secret);
    expect(set.code, set.err).toBe(0);
    // The alias resolves to the canonical name.
    expect(set.out).toBe('set the webhook of 市住房公积金管理中心: http://127.0.0.1:8999/hook');
    const list = await run('webhook', 'list', '--db', db);
    expect(list.out.split('\n')).toEqual(['unit\turl\tpending\tdelivered\tfailed\tupdated', expect.stringMatching(/^市住房公积金管理中心\thttp:\/\/127\.0\.0\.1:8999\/hook\t0\t0\t0\t/)]);
    expect(list.out + list.err).not.toContain(secret);
    expect((await run('webhook', 'remove', '--db', db, '--unit', '市住房公积金管理中心')).code).toBe(0);
    const again = await run('webhook', 'remove', '--db', db, '--unit', '市住房公积金管理中心');
    expect(again.code).toBe(1);
    expect(again.err).toBe('duban: 市住房公积金管理中心 has no webhook (see duban webhook list)');
  });
});
