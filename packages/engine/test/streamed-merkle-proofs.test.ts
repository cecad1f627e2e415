import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consistencyProof, inclusionProof, merkleRoot } from '../src/merkle-tree.ts';
import type { ReadLeafHashes } from '../src/streamed-merkle-proofs.ts';
import { streamedConsistencyProof, streamedInclusionProof } from '../src/streamed-merkle-proofs.ts';
import { admin, newEngine, ownerA, t } from './support/engine-fixture.ts';

const leaf = (i: number) => createHash('sha256').update(Buffer.from([0])).update(`leaf ${i}`).digest('hex');
const LOG = Array.from({ length: 1100 }, (_, i) => leaf(i));

/** A log of LOG's first `size` leaves read as the store reads it, noting every read and refusing a page larger than asked. */
function pagedLog(size: number, pageSize: number): { read: ReadLeafHashes; reads: { after: number; got: number }[] } {
  const reads: { after: number; got: number }[] = [];
  const read: ReadLeafHashes = async (after, limit) => {
    expect(limit).toBeLessThanOrEqual(pageSize);
    const page = LOG.slice(after, Math.min(size, after + limit));
    reads.push({ after, got: page.length });
    return page;
  };
  return { read, reads };
}

/** 1, every power of two up to 1024 and its neighbours: where the tree's shape changes. */
const EDGE_SIZES = [1, 2, 3, ...[4, 8, 16, 32, 64, 128, 256, 512, 1024].flatMap((p) => [p - 1, p, p + 1])];
const treeSize = fc.oneof(fc.constantFrom(...EDGE_SIZES), fc.integer({ min: 1, max: 1025 }));
/** Small pages, so that most subtrees of a proof start in one page and end in another. */
const pageSize = fc.integer({ min: 1, max: 9 });

describe('proofs from leaf hashes read page by page', () => {
  it('give the inclusion proof, leaf and root of the whole array, for every tree size and page size', async () => {
    await fc.assert(
      fc.asyncProperty(treeSize, fc.nat(), pageSize, async (size, i, page) => {
        const index = i % size;
        const leaves = LOG.slice(0, size);
        const streamed = await streamedInclusionProof(index, size, pagedLog(size, page).read, page);
        expect(streamed).toEqual({ leafHash: leaves[index], rootHash: merkleRoot(leaves), proof: inclusionProof(index, leaves) });
      }),
      { numRuns: 300 },
    );
  });

  it('give the consistency proof and both roots of the whole array, for every pair of sizes and page size', async () => {
    await fc.assert(
      fc.asyncProperty(treeSize, fc.nat(), pageSize, async (size, f, page) => {
        const from = 1 + (f % size);
        const leaves = LOG.slice(0, size);
        const streamed = await streamedConsistencyProof(from, size, pagedLog(size, page).read, page);
        expect(streamed).toEqual({ fromRoot: merkleRoot(leaves.slice(0, from)), toRoot: merkleRoot(leaves), proof: consistencyProof(from, leaves) });
      }),
      { numRuns: 300 },
    );
  });

  it('agree with the array everywhere in small trees, at the edges of every page', async () => {
    for (let size = 1; size <= 20; size++) {
      const leaves = LOG.slice(0, size);
      for (let k = 0; k < size; k++) {
        for (const page of [1, 2, 3, 4, 5]) {
          expect(await streamedInclusionProof(k, size, pagedLog(size, page).read, page)).toEqual({ leafHash: leaves[k], rootHash: merkleRoot(leaves), proof: inclusionProof(k, leaves) });
          const from = k + 1;
          expect(await streamedConsistencyProof(from, size, pagedLog(size, page).read, page)).toEqual({
            fromRoot: merkleRoot(leaves.slice(0, from)),
            toRoot: merkleRoot(leaves),
            proof: consistencyProof(from, leaves),
          });
        }
      }
    }
  });

  it('read each leaf once, in order, no further than the tree', async () => {
    const { read, reads } = pagedLog(1000, 64);
    await streamedInclusionProof(700, 777, read, 64);
    expect(reads.map((r) => r.after)).toEqual(Array.from({ length: 13 }, (_, i) => i * 64));
    expect(reads.reduce((n, r) => n + r.got, 0)).toBe(777);
  });

  it('refuse a log shorter than the tree asked for, and a leaf or size outside it', async () => {
    await expect(streamedInclusionProof(3, 10, pagedLog(6, 4).read, 4)).rejects.toThrow(/the log ends after 6 leaves; the proof needs 10/);
    await expect(streamedInclusionProof(10, 10, pagedLog(10, 4).read, 4)).rejects.toThrow(RangeError);
    await expect(streamedConsistencyProof(11, 10, pagedLog(10, 4).read, 4)).rejects.toThrow(RangeError);
  });
});

describe('the engine proves from the store', () => {
  it('the same proofs as over the array of every entry hash, for every seq and size of a small log', async () => {
    const engine = await newEngine();
    try {
      await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
      await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-11T00:00:00Z'));
      for (let i = 0; i < 11; i++) await engine.send('t1', { type: 'NOTE', payload: { text: `第${i}次` } }, ownerA, t('2023-05-11T00:00:00Z'));
      const hashes = (await engine.readAudit(0, 100)).map((e) => e.hash);
      expect(hashes).toHaveLength(13);
      for (let size = 1; size <= 13; size++) {
        const leaves = hashes.slice(0, size);
        for (let seq = 1; seq <= size; seq++) {
          expect(await engine.inclusionProof(seq, size)).toEqual({ seq, size, leafHash: leaves[seq - 1], rootHash: merkleRoot(leaves), proof: inclusionProof(seq - 1, leaves) });
          expect(await engine.consistencyProof(seq, size)).toEqual({ from: seq, to: size, fromRoot: merkleRoot(leaves.slice(0, seq)), toRoot: merkleRoot(leaves), proof: consistencyProof(seq, leaves) });
        }
      }
      expect(await engine.inclusionProof(13)).toMatchObject({ size: 13, rootHash: merkleRoot(hashes) });
      await expect(engine.inclusionProof(14)).rejects.toThrow(/seq 14 is outside a log of size 13/);
      await expect(engine.consistencyProof(1, 14)).rejects.toThrow(/size 14 is outside 1\.\.13/);
    } finally {
      await engine.close();
    }
  });
});
