import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consistencyProof, inclusionProof, MerkleFrontier, merkleRoot, verifyConsistency, verifyInclusion } from '../src/merkle-tree.ts';

const leaf = (i: number) => createHash('sha256').update(Buffer.from([0])).update(`leaf ${i}`).digest('hex');
const leaves = (n: number) => Array.from({ length: n }, (_, i) => leaf(i));
const node = (l: string, r: string) => createHash('sha256').update(Buffer.from([1])).update(Buffer.from(l, 'hex')).update(Buffer.from(r, 'hex')).digest('hex');

describe('Merkle tree (RFC 9162)', () => {
  it('computes roots by the RFC definition', () => {
    const d = leaves(3);
    expect(merkleRoot([])).toBe(createHash('sha256').digest('hex'));
    expect(merkleRoot(d.slice(0, 1))).toBe(d[0]);
    expect(merkleRoot(d)).toBe(node(node(d[0]!, d[1]!), d[2]!));
  });

  it('proves and verifies every leaf of trees up to 40 leaves, and rejects a wrong leaf, index or root', () => {
    for (let n = 1; n <= 40; n++) {
      const d = leaves(n);
      const root = merkleRoot(d);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(i, d);
        expect(verifyInclusion(d[i]!, i, n, proof, root)).toBe(true);
        expect(verifyInclusion(leaf(999), i, n, proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(d[i]!, (i + 1) % n, n, proof, root)).toBe(false);
        if (proof.length > 1) expect(verifyInclusion(d[i]!, i, n, [...proof].reverse(), root)).toBe(false);
        expect(verifyInclusion(d[i]!, i, n, proof, leaf(997))).toBe(false);
      }
    }
  });

  it('proves and verifies consistency between every pair of sizes up to 33, and rejects forged proofs', () => {
    const d = leaves(33);
    for (let m = 1; m <= 33; m++) {
      for (let n = m; n <= 33; n++) {
        const proof = consistencyProof(m, d.slice(0, n));
        const [r1, r2] = [merkleRoot(d.slice(0, m)), merkleRoot(d.slice(0, n))];
        expect(verifyConsistency(m, n, r1, r2, proof)).toBe(true);
        if (m < n) {
          expect(verifyConsistency(m, n, merkleRoot([...d.slice(0, m - 1), leaf(999)]), r2, proof)).toBe(false);
          if (proof.length > 0) expect(verifyConsistency(m, n, r1, r2, [leaf(998), ...proof.slice(1)])).toBe(false);
        }
      }
    }
  });

  it('for random trees, any single changed proof element fails verification', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200 }), fc.nat(), fc.nat(), (n, i, j) => {
        const d = leaves(n);
        const index = i % n;
        const proof = inclusionProof(index, d);
        const forged = proof.map((p, k) => (k === j % proof.length ? leaf(10_000 + k) : p));
        return verifyInclusion(d[index]!, index, n, proof, merkleRoot(d)) && !verifyInclusion(d[index]!, index, n, forged, merkleRoot(d));
      }),
    );
  });
  it('restores a frontier from its nodes at any size, and grows it as if never stopped', () => {
    const all = Array.from({ length: 40 }, (_, i) => leaf(i));
    for (let size = 0; size <= 33; size++) {
      const grown = new MerkleFrontier();
      for (const hash of all.slice(0, size)) grown.append(hash);
      const restored = MerkleFrontier.restore(size, grown.nodes());
      expect(restored.root()).toBe(merkleRoot(all.slice(0, size)));
      for (const hash of all.slice(size)) restored.append(hash);
      expect(restored.size).toBe(all.length);
      expect(restored.root()).toBe(merkleRoot(all));
    }
    expect(() => MerkleFrontier.restore(6, [leaf(0)])).toThrow(RangeError);
  });
});
