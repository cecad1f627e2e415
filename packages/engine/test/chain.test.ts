import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../src/index.ts';
import { canonicalJson, GENESIS_HASH, hashEntry, sealEntry, verifyChain } from '../src/index.ts';
import { admin, newEngine, ownerA, t } from './support/engine-fixture.ts';

async function sampleLog(): Promise<AuditEntry[]> {
  const engine = await newEngine();
  await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }, { id: 't2', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
  await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
  await engine.send('t1', { type: 'NOTE', payload: { text: '进展' } }, ownerA, t('2023-05-12T00:00:00Z'));
  await engine.send('t2', { type: 'WORK' }, ownerA, t('2023-05-13T00:00:00Z'));
  return engine.readAudit(0, 100);
}

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ z: true, y: null }], '€': 'x', '\u0080': 1 })).toBe('{"a":[{"y":null,"z":true}],"b":1,"\u0080":1,"€":"x"}');
  });
  it('serializes numbers as ECMAScript does', () => {
    expect(canonicalJson([1e21, 0.1, -0, 100])).toBe('[1e+21,0.1,0,100]');
  });
  it('hashes the same entry with keys reordered to the same hash', () => {
    const entry = sealEntry({ instanceId: 'x', version: 1, type: 'CREATE', actor: admin, payload: { a: 1, b: { c: 2, d: 3 } }, from: null, to: 'open', at: '2023-01-01T00:00:00.000Z' }, 1, GENESIS_HASH);
    const reordered = { hash: entry.hash, at: entry.at, to: entry.to, from: entry.from, payload: { b: { d: 3, c: 2 }, a: 1 }, actor: { unit: null, role: 'admin' }, type: entry.type, version: 1, instanceId: 'x', prevHash: GENESIS_HASH, seq: 1 };
    expect(hashEntry(reordered)).toBe(entry.hash);
  });
});

describe('chain verification', () => {
  it('given an intact log, then it verifies', async () => {
    const log = await sampleLog();
    expect(log).toHaveLength(5);
    expect(await verifyChain(log)).toEqual({ ok: true, entries: 5, headHash: log[4]?.hash });
  });

  const tamperings: [string, (log: AuditEntry[]) => AuditEntry[], number][] = [
    ['a field edited', (log) => log.map((e) => (e.seq === 4 ? { ...e, payload: { text: '伪造' } } : e)), 4],
    ['a field edited and its hash recomputed', (log) => log.map((e) => (e.seq === 4 ? rehash({ ...e, actor: { role: 'office', unit: null } }) : e)), 4],
    ['an entry deleted', (log) => log.filter((e) => e.seq !== 3), 3],
    ['an entry inserted', (log) => [...log.slice(0, 2), log[1]!, ...log.slice(2)], 3],
    ['two entries swapped', (log) => [log[0]!, log[1]!, log[3]!, log[2]!, log[4]!], 3],
  ];
  it.each(tamperings)('given %s, then it names the first bad seq', async (_name, tamper, firstBadSeq) => {
    const report = await verifyChain(tamper(await sampleLog()));
    expect(report.ok).toBe(false);
    expect(report.firstBadSeq).toBe(firstBadSeq);
  });
});

function rehash(entry: AuditEntry): AuditEntry {
  return { ...entry, hash: hashEntry(entry) };
}
