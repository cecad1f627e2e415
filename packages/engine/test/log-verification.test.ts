import { generateKeyPairSync } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, Engine } from '../src/index.ts';
import { GENESIS_HASH, hashEntry, merkleRoot, signCheckpoint, verifyLog } from '../src/index.ts';
import { Engine as EngineClass, openStore } from '../src/index.ts';
import { admin, newEngine, onPostgres, ownerA, reopenableDatabase, t, tempDbFile } from './support/engine-fixture.ts';
import { ticketV1 } from './support/ticket-workflow.ts';

const key = generateKeyPairSync('ed25519');
const otherKey = generateKeyPairSync('ed25519');
const signer = { origin: 'duban.test/log', privateKey: key.privateKey };

/** A log of 12 entries with a checkpoint after entries 4, 8 and 12. */
async function loggedEngine(file?: string): Promise<Engine> {
  const engine = await newEngine(file === undefined ? {} : { file });
  let day = 10;
  const at = () => t(`2023-05-${String(day++).padStart(2, '0')}T00:00:00Z`);
  await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }, { id: 't2', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, at());
  await engine.send('t1', { type: 'WORK' }, ownerA, at());
  await engine.send('t2', { type: 'WORK' }, ownerA, at());
  await engine.issueCheckpoint(signer, at());
  for (let i = 0; i < 4; i++) await engine.send(i % 2 ? 't1' : 't2', { type: 'NOTE', payload: { text: `第${i}次` } }, ownerA, at());
  await engine.issueCheckpoint(signer, at());
  for (let i = 0; i < 4; i++) await engine.send(i % 2 ? 't2' : 't1', { type: 'NOTE', payload: { text: `又${i}次` } }, ownerA, at());
  await engine.issueCheckpoint(signer, at());
  return engine;
}

async function exported() {
  const engine = await loggedEngine();
  const entries = await engine.readAudit(0, 1000);
  const checkpoints = (await engine.checkpoints()).map((c) => c.text);
  return { entries, checkpoints };
}

const rehashFrom = (entries: AuditEntry[], fromIndex: number): AuditEntry[] => {
  const out: AuditEntry[] = [];
  let prev = fromIndex === 0 ? GENESIS_HASH : entries[fromIndex - 1]!.hash;
  for (const [i, e] of entries.entries()) {
    if (i < fromIndex) {
      out.push(e);
      continue;
    }
    const unsealed = { ...e, seq: i + 1, prevHash: prev };
    const sealed = { ...unsealed, hash: hashEntry(unsealed) };
    out.push(sealed);
    prev = sealed.hash;
  }
  return out;
};

/** An engine on `db` whose store notes where each read of leaf hashes starts. */
async function spiedEngine(db: string): Promise<{ engine: Engine; readFrom: number[] }> {
  const store = await openStore(db);
  const readFrom: number[] = [];
  const readHashes = store.readHashes.bind(store);
  store.readHashes = (after, limit) => {
    readFrom.push(after);
    return readHashes(after, limit);
  };
  return { engine: new EngineClass(store, [ticketV1]), readFrom };
}

describe('checkpoints', () => {
  it('given a log, then one signed checkpoint per growth, none when nothing is new', async () => {
    const engine = await loggedEngine();
    expect((await engine.checkpoints()).map((c) => c.size)).toEqual([4, 8, 12]);
    expect(await engine.issueCheckpoint(signer, t('2023-06-30T00:00:00Z'))).toBeUndefined();
    const leaves = (await engine.readAudit(0, 100)).map((e) => e.hash);
    expect((await engine.checkpoints())[1]?.rootHash).toBe(merkleRoot(leaves.slice(0, 8)));
  });

  it('given checkpoints at 4, 8 and 12, then they are read a page at a time by size, as checkpoints() lists them', async () => {
    const engine = await loggedEngine();
    const all = await engine.checkpoints();
    expect(await engine.checkpointsAfter(0, 2)).toEqual(all.slice(0, 2));
    expect(await engine.checkpointsAfter(4, 100)).toEqual(all.slice(1));
    // `after` is a log size, not a position.
    expect(await engine.checkpointsAfter(5, 1)).toEqual([all[1]]);
    expect(await engine.checkpointsAfter(12, 100)).toEqual([]);
    await engine.close();
  });

  it('given a restart, then the next checkpoint resumes from the stored frontier and reads only newer hashes', async () => {
    const db = await reopenableDatabase();
    const first = await loggedEngine(db);
    await first.send('t1', { type: 'NOTE', payload: { text: '重启前' } }, ownerA, t('2023-06-01T00:00:00Z'));
    await first.close();

    const { engine, readFrom } = await spiedEngine(db);
    const checkpoint = await engine.issueCheckpoint(signer, t('2023-06-02T00:00:00Z'));
    const leaves = (await engine.readAudit(0, 100)).map((e) => e.hash);
    expect(checkpoint?.size).toBe(13);
    expect(checkpoint?.rootHash).toBe(merkleRoot(leaves));
    // Entries 1..12 are covered by the checkpoint at 12: only the 13th is read.
    expect(readFrom).toEqual([12]);
    expect((await engine.verifyWithCheckpoints(key.publicKey)).ok).toBe(true);
    await engine.close();
  });

  it('given a stored frontier that does not give its signed root, then the next checkpoint hashes the whole log', async () => {
    const db = await reopenableDatabase();
    await (await loggedEngine(db)).close();
    const forged = await openStore(db);
    await forged.kysely.updateTable('checkpoint').set({ frontier: JSON.stringify(['f'.repeat(64), 'e'.repeat(64)]) }).where('size', '=', 12).execute();
    await forged.close();

    const { engine, readFrom } = await spiedEngine(db);
    await engine.send('t1', { type: 'NOTE', payload: { text: '又一次' } }, ownerA, t('2023-06-01T00:00:00Z'));
    const checkpoint = await engine.issueCheckpoint(signer, t('2023-06-02T00:00:00Z'));
    expect(readFrom[0]).toBe(0);
    expect(checkpoint?.rootHash).toBe(merkleRoot((await engine.readAudit(0, 100)).map((e) => e.hash)));
    await engine.close();
  });

  it('given an intact log, then it verifies against its checkpoints', async () => {
    const { entries, checkpoints } = await exported();
    expect(await verifyLog(entries, checkpoints, key.publicKey)).toEqual({ ok: true, entries: 12, checkpoints: 3 });
  });
});

describe('tampering with an exported log is detected at the right entry', () => {
  const cases: [string, (log: { entries: AuditEntry[]; checkpoints: string[] }) => { entries: AuditEntry[]; checkpoints: string[] }, number | undefined, RegExp][] = [
    ['a field edited', (l) => ({ ...l, entries: l.entries.map((e) => (e.seq === 6 ? { ...e, payload: { text: '伪造' } } : e)) }), 6, /altered/],
    ['a field edited and its hash recomputed', (l) => ({ ...l, entries: l.entries.map((e) => (e.seq === 6 ? { ...e, at: '2023-01-01T00:00:00.000Z', hash: hashEntry({ ...e, at: '2023-01-01T00:00:00.000Z' }) } : e)) }), 6, /re-hashed/],
    ['an entry deleted', (l) => ({ ...l, entries: l.entries.filter((e) => e.seq !== 7) }), 7, /missing|moved/],
    ['an entry inserted', (l) => ({ ...l, entries: [...l.entries.slice(0, 5), { ...l.entries[4]!, seq: 6 }, ...l.entries.slice(5)] }), 6, /./],
    ['two entries swapped', (l) => ({ ...l, entries: [...l.entries.slice(0, 5), l.entries[6]!, l.entries[5]!, ...l.entries.slice(7)] }), 6, /moved/],
    ['the tail cut', (l) => ({ ...l, entries: l.entries.slice(0, 10) }), 11, /tail was cut/],
    ['the whole chain re-hashed after an edit, without the key', (l) => ({ ...l, entries: rehashFrom(l.entries.map((e) => (e.seq === 10 ? { ...e, payload: { text: '改' } } : e)), 0) }), 9, /entries 9\.\.12 do not match the signed checkpoint/],
    ['a checkpoint signed by another key', (l) => ({ ...l, checkpoints: [...l.checkpoints, signCheckpoint({ origin: 'duban.test/log', size: 12, rootHash: 'ab'.repeat(32), time: '2023-07-01T00:00:00.000Z' }, otherKey.privateKey).text] }), undefined, /signed by key/],
    ['a checkpoint text altered', (l) => ({ ...l, checkpoints: l.checkpoints.map((c, i) => (i === 1 ? c.replace('\n8\n', '\n7\n') : c)) }), undefined, /signature does not match/],
    ['two signed checkpoints of one size with different roots', (l) => ({ ...l, checkpoints: [...l.checkpoints, signCheckpoint({ origin: 'duban.test/log', size: 8, rootHash: 'cd'.repeat(32), time: '2023-07-01T00:00:00.000Z' }, key.privateKey).text] }), undefined, /forked/],
  ];

  it.each(cases)('given %s', async (_name, tamper, firstBadSeq, reason) => {
    const report = await verifyLog(...Object.values(tamper(await exported())) as [AuditEntry[], string[]], key.publicKey);
    expect(report.ok).toBe(false);
    expect(report.firstBadSeq).toBe(firstBadSeq);
    expect(report.reason).toMatch(reason);
  });

  it('given an older backup restored while the reviewer holds a newer checkpoint, then the cut is named', async () => {
    const engine = await loggedEngine();
    const held = (await engine.checkpoints()).at(-1)!.text;
    const backup = (await engine.readAudit(0, 1000)).slice(0, 8);
    const backupCheckpoints = (await engine.checkpoints()).slice(0, 2).map((c) => c.text);
    expect((await verifyLog(backup, backupCheckpoints, key.publicKey)).ok).toBe(true);
    const report = await verifyLog(backup, [...backupCheckpoints, held], key.publicKey);
    expect(report).toMatchObject({ ok: false, firstBadSeq: 9 });
    expect(report.reason).toMatch(/older copy restored/);
  });

  it('for any single random mutation of a random entry field, verification fails', async () => {
    const { entries, checkpoints } = await exported();
    const fields = ['seq', 'instanceId', 'version', 'type', 'actor', 'payload', 'from', 'to', 'at', 'prevHash', 'hash'] as const;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: entries.length - 1 }), fc.constantFrom(...fields), fc.string({ minLength: 1, maxLength: 8 }), fc.boolean(), async (index, field, noise, rehash) => {
        const original = entries[index]!;
        const changed = { ...original, [field]: field === 'seq' || field === 'version' ? (original[field] as number) + 1 + noise.length : field === 'actor' || field === 'payload' ? { noise } : `${String(original[field])}${noise}` } as AuditEntry;
        const mutated = rehash && field !== 'hash' ? { ...changed, hash: hashEntry(changed) } : changed;
        const report = await verifyLog(entries.map((e, i) => (i === index ? mutated : e)), checkpoints, key.publicKey);
        expect(report.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('tampering with the database is detected', () => {
  // SQLite-only (they edit the file); packages/engine/test/postgres/ does the same on PostgreSQL.
  it.skipIf(onPostgres)('given an entry edited in the database file behind the engine, then verification names it', async () => {
    const file = tempDbFile();
    const engine = await loggedEngine(file);
    await engine.close();
    const raw = new BetterSqlite3(file);
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare(`UPDATE audit_log SET payload = '{"text":"伪造"}' WHERE seq = 7`).run();
    raw.close();
    const reopened = await newEngine({ file });
    expect(await reopened.verify()).toMatchObject({ ok: false, firstBadSeq: 7 });
    expect(await reopened.verifyWithCheckpoints(key.publicKey)).toMatchObject({ ok: false, firstBadSeq: 7 });
    await reopened.close();
  });

  it.skipIf(onPostgres)('given the tail deleted in the database, then the chain passes but the checkpoints do not', async () => {
    const file = tempDbFile();
    const engine = await loggedEngine(file);
    await engine.close();
    const raw = new BetterSqlite3(file);
    raw.exec('DROP TRIGGER audit_log_no_delete');
    raw.prepare('DELETE FROM audit_log WHERE seq > 10').run();
    raw.close();
    const reopened = await newEngine({ file });
    expect((await reopened.verify()).ok).toBe(true);
    expect(await reopened.verifyWithCheckpoints(key.publicKey)).toMatchObject({ ok: false, firstBadSeq: 11 });
    await reopened.close();
  });

  it('gives inclusion and consistency proofs that verify against the stored checkpoints', async () => {
    const { verifyConsistency, verifyInclusion } = await import('../src/index.ts');
    const engine = await loggedEngine();
    const [, eight, twelve] = await engine.checkpoints();
    const inclusion = await engine.inclusionProof(5, 8);
    expect(inclusion.rootHash).toBe(eight?.rootHash);
    expect(verifyInclusion(inclusion.leafHash, 4, 8, inclusion.proof, eight!.rootHash)).toBe(true);
    const consistency = await engine.consistencyProof(8, 12);
    expect(verifyConsistency(8, 12, eight!.rootHash, twelve!.rootHash, consistency.proof)).toBe(true);
    expect(verifyConsistency(8, 12, eight!.rootHash, twelve!.rootHash, consistency.proof.map((p, i) => (i === 0 ? 'ee'.repeat(32) : p)))).toBe(false);
  });
});
