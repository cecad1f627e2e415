import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AuditEntry } from '@duban/engine';
import { hashEntry, signCheckpoint } from '@duban/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../src/audit/keys/audit-signing-key.ts';
import { auditFiles } from '../../src/audit/keys/audit-files.ts';
import { splitCheckpoints } from '../../src/audit/checkpoints/checkpoint-file.ts';
import { openDuban } from '../../src/app/open-duban.ts';
import type { DatabaseFiles } from './support/audit-fixture.ts';
import { copyDatabase, servedDatabase, taskId } from './support/audit-fixture.ts';
import { runCli } from '../support/run-cli.ts';
import { rehashFrom, rewriteLog, runSql, storedCheckpoints, tamperInstanceState } from '../support/tamper.ts';

const otherKey = generateKeyPairSync('ed25519');

let work: string;
let latest: DatabaseFiles;
let backupAt81: DatabaseFiles;
/** The public key a reviewer kept, from `duban audit pubkey`. */
let reviewerKey: string;
/** The newest checkpoint a reviewer kept (size 90). */
let heldCheckpoint: string;
let exported: string;
let cases = 0;

const fresh = (name: string) => join(work, `${name}-${++cases}`);

beforeAll(async () => {
  ({ latest, backupAt81 } = await servedDatabase());
  work = mkdtempSync(join(tmpdir(), 'duban-tamper-'));
  const pubkey = await runCli('audit', 'pubkey', '--db', latest.db);
  expect(pubkey.code, pubkey.err).toBe(0);
  reviewerKey = join(work, 'reviewer.pem');
  writeFileSync(reviewerKey, `${pubkey.out}\n`);
  heldCheckpoint = join(work, 'held.txt');
  writeFileSync(heldCheckpoint, storedCheckpoints(latest.db).at(-1)!.text);
  exported = join(work, 'export');
  const result = await runCli('audit', 'export', '--db', copyDatabase(latest, fresh('for-export')).db, '--out', exported);
  expect(result.code, result.err).toBe(0);
}, 60_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(dirname(latest.dir), { recursive: true, force: true });
});

const verifyDb = (db: string, ...extra: string[]) => runCli('audit', 'verify', '--db', db, '--pubkey', reviewerKey, ...extra);
const verifyLog = (dir: string, ...extra: string[]) => runCli('audit', 'verify', '--log', dir, '--pubkey', reviewerKey, ...extra);

/** A copy of the export whose entries.jsonl (and checkpoints.txt) went through `edit`. */
function tamperedExport(edit: { entries?: (entries: AuditEntry[]) => AuditEntry[]; lines?: (lines: string[]) => string[]; checkpoints?: (texts: string[]) => string[] }): string {
  const dir = fresh('export');
  cpSync(exported, dir, { recursive: true });
  const file = join(dir, 'entries.jsonl');
  let lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  if (edit.entries !== undefined) lines = edit.entries(lines.map((l) => JSON.parse(l) as AuditEntry)).map((e) => JSON.stringify(e));
  if (edit.lines !== undefined) lines = edit.lines(lines);
  writeFileSync(file, `${lines.join('\n')}\n`);
  if (edit.checkpoints !== undefined) {
    const texts = edit.checkpoints(splitCheckpoints(readFileSync(join(dir, 'checkpoints.txt'), 'utf8')));
    writeFileSync(join(dir, 'checkpoints.txt'), texts.map((t) => `${t}\n`).join(''));
  }
  return dir;
}

const edited = (seq: number, change: Partial<AuditEntry>, rehash = false) => (entries: AuditEntry[]) =>
  entries.map((e) => {
    if (e.seq !== seq) return e;
    const changed = { ...e, ...change };
    return rehash ? { ...changed, hash: hashEntry(changed) } : changed;
  });
const forgedAfter = (entries: AuditEntry[], seq: number): AuditEntry => {
  const before = entries[seq - 2]!;
  const forged = { ...before, seq, version: 99, type: 'PROGRESS', payload: { summary: '伪造的进展' }, prevHash: before.hash };
  return { ...forged, hash: hashEntry(forged) };
};
const crudeAfter = (entries: AuditEntry[], seq: number): AuditEntry => ({ ...forgedAfter(entries, seq), hash: 'ee'.repeat(32) });
const swapped = (a: number) => (entries: AuditEntry[]) => entries.map((e, i) => (i === a - 1 ? { ...entries[a]!, seq: a } : i === a ? { ...entries[a - 1]!, seq: a + 1 } : e));
const signedBy = (key: ReturnType<typeof generateKeyPairSync>['privateKey'], size: number, rootHash: string) =>
  signCheckpoint({ origin: 'duban/duban.db', size, rootHash, time: '2023-07-01T00:00:00.000Z' }, key).text;
const serverKey = () => loadSigningKey(auditFiles(latest.db), { create: false })!.privateKey;

describe('given an intact served database and its export', () => {
  it('when `audit verify` checks both with the key the reviewer kept, then both pass, every signed checkpoint checked', async () => {
    const db = await verifyDb(latest.db, '--checkpoint', heldCheckpoint);
    expect(db.code, db.out + db.err).toBe(0);
    expect(db.out).toMatch(/audit log intact: 90 entries, 3 signed checkpoint\(s\) verified with key ed25519:[0-9a-f]{16}/);
    const log = await verifyLog(exported);
    expect(log.code, log.out + log.err).toBe(0);
    expect(log.out).toMatch(/audit log intact: 90 entries, 3 signed checkpoint/);
  });

  it('when `audit verify` checks them without --pubkey, then each says whose key it trusted: the server\'s own, or the export\'s (which proves nothing alone)', async () => {
    const db = await runCli('audit', 'verify', '--db', latest.db);
    expect(db.code).toBe(0);
    expect(db.err).toMatch(/checking with the server's own key .*audit-signing\.pem/);
    const log = await runCli('audit', 'verify', '--log', exported);
    expect(log.code).toBe(0);
    expect(log.err).toMatch(/WARNING: checking with .*pubkey\.pem from the export itself .* proves nothing unless it is the public key you kept/);
  });

  it('when the export is read, then it holds the entries exactly as hashed, the checkpoints, the public key and a README in Chinese and English', () => {
    const lines = readFileSync(join(exported, 'entries.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(90);
    const first = JSON.parse(lines[0]!) as AuditEntry;
    expect(first).toMatchObject({ seq: 1, instanceId: taskId(1), type: 'CREATE' });
    expect(hashEntry(first)).toBe(first.hash);
    expect(splitCheckpoints(readFileSync(join(exported, 'checkpoints.txt'), 'utf8')).map((t) => t.split('\n')[1])).toEqual(['71', '81', '90']);
    expect(readFileSync(join(exported, 'pubkey.pem'), 'utf8')).toBe(readFileSync(reviewerKey, 'utf8'));
    const readme = readFileSync(join(exported, 'README.txt'), 'utf8');
    expect(readme).toContain('如何核验');
    expect(readme).toContain('How to verify');
    expect(readme).toContain('audit verify --log');
  });
});

describe('`audit export`', () => {
  it('given entries after the last checkpoint, when the database is exported, then it first signs a checkpoint covering the whole log, in the database and the checkpoint file', async () => {
    const copy = copyDatabase(latest, fresh('grown'));
    const duban = await openDuban(copy.db, { create: false });
    try {
      await duban.engine.send(taskId(7), { type: 'PROGRESS', payload: { summary: '导出前的进展' } }, { role: 'unit', unit: '市水务局' }, new Date('2023-06-20T10:00:00+08:00'));
    } finally {
      await duban.close();
    }
    const dir = fresh('grown-export');
    const result = await runCli('audit', 'export', '--db', copy.db, '--out', dir);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toMatch(/signed a checkpoint of the whole log \(size 91\) for the export/);
    expect(storedCheckpoints(copy.db).map((c) => c.size)).toEqual([71, 81, 90, 91]);
    expect(splitCheckpoints(readFileSync(`${copy.db}.checkpoints`, 'utf8')).map((t) => t.split('\n')[1])).toEqual(['71', '81', '90', '91']);
    expect((await verifyLog(dir)).out).toMatch(/audit log intact: 91 entries, 4 signed checkpoint/);
  });

  it('given a tampered database, when it is exported, then the evidence is exported as it is, nothing is signed and it exits 1 naming the entry', async () => {
    const copy = copyDatabase(latest, fresh('tampered'));
    rewriteLog(copy.db, (es) => [...edited(75, { payload: { summary: '篡改' } })(es), forgedAfter(es, 91)]);
    const dir = fresh('tampered-export');
    const result = await runCli('audit', 'export', '--db', copy.db, '--out', dir);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/WARNING: the log does not verify \(seq 75: .*\); exporting it as it is, without signing a new checkpoint/);
    expect(result.out).toMatch(/exported 91 entries and 3 signed checkpoint\(s\)[^]*the exported log is BROKEN at seq 75/);
    expect(storedCheckpoints(copy.db).map((c) => c.size)).toEqual([71, 81, 90]);
    expect((await verifyLog(dir)).out).toMatch(/^audit log BROKEN at seq 75/);
  });
});

interface TamperCase {
  readonly name: string;
  readonly db?: (file: string) => void;
  readonly log?: Parameters<typeof tamperedExport>[0];
  /** The seq named, or undefined when the checkpoint itself is named. */
  readonly seq: number | undefined;
  readonly reason: RegExp;
}

const tamperCases: TamperCase[] = [
  {
    name: 'a field edited',
    db: (f) => rewriteLog(f, edited(75, { payload: { summary: '篡改后的进展' } })),
    log: { entries: edited(75, { payload: { summary: '篡改后的进展' } }) },
    seq: 75,
    reason: /hash does not match the entry's content \(the entry was altered\)/,
  },
  {
    name: 'a field edited with its hash recomputed',
    db: (f) => rewriteLog(f, edited(75, { at: '2023-05-01T00:00:00.000Z' }, true)),
    log: { entries: edited(75, { at: '2023-05-01T00:00:00.000Z' }, true) },
    seq: 75,
    reason: /entry 75 was altered and re-hashed/,
  },
  {
    name: 'an entry deleted',
    db: (f) => runSql(f, 'DELETE FROM audit_log WHERE seq = 75'),
    log: { entries: (es) => es.filter((e) => e.seq !== 75) },
    seq: 75,
    reason: /expected seq 75, found 76 \(an entry is missing or moved\)/,
  },
  {
    name: 'an entry inserted (its hash not matching it)',
    db: (f) => rewriteLog(f, (es) => [...es.slice(0, 74), crudeAfter(es, 75), ...es.slice(74).map((e) => ({ ...e, seq: e.seq + 1 }))]),
    log: { entries: (es) => [...es.slice(0, 74), crudeAfter(es, 75), ...es.slice(74)] },
    seq: 75,
    reason: /the entry was altered/,
  },
  {
    // A well-formed forgery links to its predecessor; renumbering the originals after it alters each of them.
    name: 'a well-formed forged entry inserted, the originals after it renumbered',
    db: (f) => rewriteLog(f, (es) => [...es.slice(0, 74), forgedAfter(es, 75), ...es.slice(74).map((e) => ({ ...e, seq: e.seq + 1 }))]),
    seq: 76,
    reason: /altered/,
  },
  {
    // Left as they were, the original after it still claims seq 75: the forgery at 75 is named.
    name: 'a well-formed forged entry inserted',
    log: { entries: (es) => [...es.slice(0, 74), forgedAfter(es, 75), ...es.slice(74)] },
    seq: 75,
    reason: /entry 75 was inserted/,
  },
  {
    name: 'two entries swapped',
    db: (f) => rewriteLog(f, swapped(75)),
    log: { lines: (ls) => [...ls.slice(0, 74), ls[75]!, ls[74]!, ...ls.slice(76)] },
    seq: 75,
    reason: /altered|moved/,
  },
  {
    name: 'the tail cut (the hash chain alone still passes)',
    db: (f) => runSql(f, 'DELETE FROM audit_log WHERE seq > 85'),
    log: { lines: (ls) => ls.slice(0, 85) },
    seq: 86,
    reason: /the log has 85 entries but a signed checkpoint of size 90 .* exists: its tail was cut or an older copy restored/,
  },
  {
    name: 'the tail cut and its checkpoints deleted from the database (the checkpoint file outside it remembers)',
    db: (f) => {
      runSql(f, 'DELETE FROM audit_log WHERE seq > 85');
      runSql(f, 'DELETE FROM checkpoint WHERE size > 85');
    },
    seq: 86,
    reason: /tail was cut/,
  },
  {
    name: 'the whole chain re-hashed after an edit, without the key',
    db: (f) => rewriteLog(f, (es) => rehashFrom(edited(80, { payload: { summary: '改' } })(es), 0)),
    log: { entries: (es) => rehashFrom(edited(80, { payload: { summary: '改' } })(es), 0) },
    seq: 72,
    reason: /entries 72\.\.81 do not match the signed checkpoint of size 81 .*: altered and re-hashed/,
  },
  {
    name: 'a checkpoint signed by another key',
    db: (f) => runSql(f, "INSERT INTO checkpoint (size, root_hash, time, text) VALUES (90, ?, '2023-07-01T00:00:00.000Z', ?)", 'ab'.repeat(32), signedBy(otherKey.privateKey, 90, 'ab'.repeat(32))),
    log: { checkpoints: (ts) => [...ts, signedBy(otherKey.privateKey, 90, 'ab'.repeat(32))] },
    seq: undefined,
    reason: /checkpoint 4 in .*: signed by key ed25519:[0-9a-f]+, not by ed25519:/,
  },
  {
    name: "a checkpoint's text altered",
    db: (f) => runSql(f, "UPDATE checkpoint SET text = replace(text, char(10) || '81' || char(10), char(10) || '80' || char(10)) WHERE size = 81"),
    log: { checkpoints: (ts) => ts.map((t) => t.replace('\n81\n', '\n80\n')) },
    seq: undefined,
    reason: /checkpoint 2 in .*: signature does not match the checkpoint text/,
  },
  {
    name: 'two signed checkpoints of one size with different roots (a forked log)',
    db: (f) => runSql(f, "INSERT INTO checkpoint (size, root_hash, time, text) VALUES (81, ?, '2023-07-01T00:00:00.000Z', ?)", 'cd'.repeat(32), signedBy(serverKey(), 81, 'cd'.repeat(32))),
    log: { checkpoints: (ts) => [...ts, signedBy(serverKey(), 81, 'cd'.repeat(32))] },
    seq: undefined,
    reason: /two signed checkpoints of size 81 have different roots .*: the log was forked/,
  },
];

describe('tampering with the database file is detected by `audit verify --db` at the right entry', () => {
  it.each(tamperCases.filter((c) => c.db !== undefined))('given $name, when the database is verified, then it exits 1 naming it', async ({ db: tamper, seq, reason }) => {
    const copy = copyDatabase(latest, fresh('db'));
    tamper!(copy.db);
    const result = await verifyDb(copy.db);
    expect(result.code, result.out + result.err).toBe(1);
    expect(result.out).toMatch(seq === undefined ? /^audit log BROKEN: / : new RegExp(`^audit log BROKEN at seq ${seq}: `));
    expect(result.out).toMatch(reason);
  });

  it('given the tail cut, when the database is verified, then the hash chain alone passes but the signed checkpoints do not', async () => {
    const copy = copyDatabase(latest, fresh('db'));
    runSql(copy.db, 'DELETE FROM audit_log WHERE seq > 85');
    const duban = await openDuban(copy.db, { create: false });
    try {
      expect(await duban.engine.verify()).toMatchObject({ ok: true, entries: 85 });
    } finally {
      await duban.close();
    }
    expect((await verifyDb(copy.db)).out).toMatch(/BROKEN at seq 86/);
  });

  it('given an entry edited, every later hash recomputed and every checkpoint deleted from the database and the checkpoint file, when it is verified with the kept --pubkey, then it still says BROKEN and why', async () => {
    const copy = copyDatabase(latest, fresh('db'));
    rewriteLog(copy.db, (entries) => rehashFrom(entries.map((e) => (e.seq === 75 ? { ...e, payload: { ...e.payload, reason: '改过的理由' } } : e)), 74));
    runSql(copy.db, 'DELETE FROM checkpoint');
    writeFileSync(`${copy.db}.checkpoints`, '');
    const result = await verifyDb(copy.db);
    expect(result.code, result.out + result.err).toBe(1);
    expect(result.out).toMatch(/^audit log BROKEN: this log was signed \(its database records the signing key ed25519:[0-9a-f]+\) but no signed checkpoint remains/);
    // and with the key row deleted too, the reviewer's key still says the log was signed
    runSql(copy.db, 'DELETE FROM checkpoint_key');
    const keyless = await verifyDb(copy.db);
    expect(keyless.code, keyless.out).toBe(1);
    expect(keyless.out).toMatch(/this log was signed \(you hold its public key/);
  });

  it('given an older backup restored, when it is verified, then it passes on its own but not against the newer checkpoint the reviewer holds', async () => {
    const restored = copyDatabase(backupAt81, fresh('restored'));
    const alone = await verifyDb(restored.db);
    expect(alone.code, alone.out).toBe(0);
    expect(alone.out).toMatch(/audit log intact: 81 entries/);
    const held = await verifyDb(restored.db, '--checkpoint', heldCheckpoint);
    expect(held.code).toBe(1);
    expect(held.out).toMatch(/^audit log BROKEN at seq 82: the log has 81 entries but a signed checkpoint of size 90 .*older copy restored/);
  });

  it('given the task table edited behind the log, when `replay` runs (on the main thread, on 2 threads), then it exits 1 naming the task, the same either way', async () => {
    const copy = copyDatabase(latest, fresh('db'));
    tamperInstanceState(copy.db, taskId(9), 'closed');
    const result = await runCli('replay', '--db', copy.db, '--workers', '1');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(new RegExp(`DIFFERS\\s+${taskId(9).replace(/\./g, '\\.')}: stored closed v1 differs from replayed assigned v1`));
    const threaded = await runCli('replay', '--db', copy.db, '--workers', '2');
    expect(threaded).toEqual(result);
  });
});

describe('tampering with an export is detected by `audit verify --log` at the right entry', () => {
  it.each(tamperCases.filter((c) => c.log !== undefined))('given $name, when the export is verified, then it exits 1 naming it', async ({ log: tamper, seq, reason }) => {
    const dir = tamperedExport(tamper!);
    const result = await verifyLog(dir);
    expect(result.code, result.out + result.err).toBe(1);
    expect(result.out).toMatch(seq === undefined ? /^audit log BROKEN: / : new RegExp(`^audit log BROKEN at seq ${seq}: `));
    expect(result.out).toMatch(reason);
  });

  it('given an export of an older backup, when it is verified, then it fails against the newer checkpoint the reviewer holds', async () => {
    const dir = fresh('old-export');
    expect((await runCli('audit', 'export', '--db', copyDatabase(backupAt81, fresh('restored')).db, '--out', dir)).code).toBe(0);
    expect((await verifyLog(dir)).code).toBe(0);
    const held = await verifyLog(dir, '--checkpoint', heldCheckpoint);
    expect(held.code).toBe(1);
    expect(held.out).toMatch(/^audit log BROKEN at seq 82: .*older copy restored/);
  });

  it('given a line that is not an audit entry, when the export is verified, then it exits 1 naming the line', async () => {
    const dir = tamperedExport({ lines: (ls) => ls.map((l, i) => (i === 41 ? l.slice(0, 30) : l)) });
    const result = await verifyLog(dir);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/BROKEN at line 42 of entries\.jsonl: .*not JSON/);
  });

  it('given pubkey.pem swapped for an intruder\'s key, when the export is verified, then the kept key is used, the genuine log passes, and the mismatch is pointed out', async () => {
    const dir = tamperedExport({});
    writeFileSync(join(dir, 'pubkey.pem'), otherKey.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const result = await verifyLog(dir);
    expect(result.err).toMatch(/the export's pubkey\.pem \(ed25519:[0-9a-f]+\) is not your key/);
    expect(result.code).toBe(0);
  });
});
