import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuban } from '../../src/app/open-duban.ts';
import { runCli } from '../support/run-cli.ts';

describe('the audit and replay-diff commands refuse bad input clearly', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    // Given a database that was never served: no signing key, no checkpoint.
    dir = mkdtempSync(join(tmpdir(), 'duban-audit-cli-'));
    db = join(dir, 'plain.db');
    await (await openDuban(db, { create: true })).close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a bad argument, when an audit or replay diff command runs, then it prints one line naming the problem and the usage, and exits 2', async () => {
    const cases: [string[], RegExp][] = [
      [['audit'], /audit needs a subcommand: verify, export, pubkey, prove or consistency/],
      [['audit', 'shred'], /unknown audit subcommand "shred"/],
      [['audit', 'verify'], /--db is required/],
      [['audit', 'verify', '--db', db, '--log', dir], /either --db FILE or --log DIR/],
      [['audit', 'verify', '--log', dir, '--key-dir', dir], /--key-dir goes with --db/],
      [['audit', 'export', '--db', db], /--out is required/],
      [['audit', 'pubkey'], /--db is required/],
      [['audit', 'prove', '--checkpoint', 'c.txt', '--pubkey', 'k.pem'], /--entry is required/],
      [['audit', 'consistency', '--proof', 'p.json', '--old', 'a.txt', '--pubkey', 'k.pem'], /--new is required/],
      [['replay', 'diff', '--db', db, '--from', 'soon', '--to', '2023-05-12'], /--from must be an ISO 8601 instant/],
      [['replay', 'diff', '--db', db, '--to', '2023-05-12'], /--from is required/],
    ];
    for (const [argv, message] of cases) {
      const { code, err } = await runCli(...argv);
      expect(code, argv.join(' ')).toBe(2);
      const [first, ...rest] = err.split('\n');
      expect(first, argv.join(' ')).toMatch(message);
      expect(rest.join('\n')).toContain('Usage: duban <command>');
    }
  });

  it('given a database with no key, when `audit verify` is given a checkpoint but no public key, then it asks for --pubkey and exits 2', async () => {
    const held = join(dir, 'held.txt');
    writeFileSync(held, 'duban/x\n1\nAAAA\ntime 2023-01-01T00:00:00Z\n\n— ed25519:0000000000000000 AAAA\n');
    const { code, err } = await runCli('audit', 'verify', '--db', db, '--checkpoint', held);
    expect(code).toBe(2);
    expect(err).toMatch(/--checkpoint needs --pubkey FILE/);
  });

  it('given a bad key, checkpoint, export or output directory, or no database, when the command runs, then it prints a message naming it, exits 1 and shows no stack', async () => {
    const notAKey = join(dir, 'not-a-key.pem');
    writeFileSync(notAKey, 'hello');
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n\n');
    const notExport = join(dir, 'not-an-export');
    mkdirSync(notExport);
    writeFileSync(join(notExport, 'checkpoints.txt'), '');
    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'something.txt'), 'x');
    const cases: [string[], RegExp][] = [
      [['audit', 'verify', '--db', db, '--pubkey', notAKey], /not-a-key\.pem is not a PEM public key/],
      [['audit', 'verify', '--db', db, '--pubkey', join(dir, 'missing.pem')], /no such file.*missing\.pem/],
      [['audit', 'verify', '--db', db, '--checkpoint', empty], /empty\.txt holds no checkpoint/],
      [['audit', 'verify', '--log', notExport], /is not an audit export: it has no entries\.jsonl/],
      [['audit', 'export', '--db', db, '--out', busy], /busy is not empty; export into a new or empty directory/],
      [['audit', 'pubkey', '--db', db], /no audit signing key at .*plain\.db\.keys.*the server makes it when it first starts/],
      [['audit', 'verify', '--db', join(dir, 'nope.db')], /no database at .*nope\.db/],
    ];
    for (const [argv, message] of cases) {
      const { code, err } = await runCli(...argv);
      expect(code, argv.join(' ')).toBe(1);
      expect(err, argv.join(' ')).toMatch(message);
      expect(err).not.toMatch(/\n\s+at /);
    }
  });

  it('given a database that was never served, when it is verified or exported, then only its hash chain is checked, and the command says so', async () => {
    const { code, out } = await runCli('audit', 'verify', '--db', db);
    expect(code).toBe(0);
    expect(out).toMatch(/audit log intact: 0 entries, hash chain only — no signed checkpoint covers it/);
    const exported = await runCli('audit', 'export', '--db', db, '--out', join(dir, 'export'));
    expect(exported.code).toBe(0);
    expect(exported.err).toMatch(/no audit signing key yet .* only its hash chain can be checked/);
  });
});
