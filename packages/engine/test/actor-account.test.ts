import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Actor, AuditEntry } from '../src/index.ts';
import { canonicalJson, GENESIS_HASH, hashEntry, sealEntry, verifyChain, verifyInclusion } from '../src/index.ts';
import { admin, newEngine, ownerA, t } from './support/engine-fixture.ts';

const person: Actor = { ...ownerA, account: { id: 7, name: '王力' } };
const draft = (actor: Actor) => ({ instanceId: 'x', version: 2, type: 'WORK', actor, payload: {}, from: 'open', to: 'working', at: '2023-05-11T00:00:00.000Z' });
const leaf = (body: unknown) => createHash('sha256').update(Buffer.from([0])).update(canonicalJson(body as never), 'utf8').digest('hex');

describe('the person in an audit entry', () => {
  it('given an entry without an account, when it is hashed, then its canonical JSON is what it always was (no account key)', () => {
    const entry = sealEntry(draft(ownerA), 2, GENESIS_HASH);
    const { hash: _hash, ...body } = entry;
    expect(entry.hash).toBe(leaf({ ...body, actor: { role: 'unit', unit: 'A' } }));
  });

  it('given an entry naming the person, when it is hashed, then the hash covers the account: another id or name gives another hash', () => {
    const entry = sealEntry(draft(person), 2, GENESIS_HASH);
    const { hash: _hash, ...body } = entry;
    expect(entry.hash).toBe(leaf(body));
    expect(entry.hash).not.toBe(sealEntry(draft(ownerA), 2, GENESIS_HASH).hash);
    const renamed = { ...entry, actor: { ...person, account: { id: 7, name: '李四' } } };
    expect(hashEntry(renamed)).not.toBe(entry.hash);
    expect(hashEntry({ ...entry, actor: { ...person, account: { id: 8, name: '王力' } } })).not.toBe(entry.hash);
  });

  it('given a log with entries before and after accounts, when it is stored and read back, then it verifies, replays and proves; editing the name breaks the chain', async () => {
    const engine = await newEngine();
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
    await engine.send('t1', { type: 'NOTE', payload: { text: '进展' } }, person, t('2023-05-12T00:00:00Z'));
    const log: AuditEntry[] = await engine.readAudit(0, 100);
    expect(log.map((e) => e.actor.account)).toEqual([undefined, undefined, { id: 7, name: '王力' }]);
    expect((await verifyChain(log)).ok).toBe(true);
    expect((await engine.log.verify()).ok).toBe(true);
    expect((await engine.log.replay()).differences).toEqual([]);
    const proof = await engine.log.inclusionProof(3);
    expect(verifyInclusion(log[2]!.hash, 2, proof.size, proof.proof, proof.rootHash)).toBe(true);

    const forged = log.map((e) => (e.seq === 3 ? { ...e, actor: { ...person, account: { id: 7, name: '李四' } } } : e));
    expect((await verifyChain(forged)).firstBadSeq).toBe(3);
    await engine.close();
  });
});
