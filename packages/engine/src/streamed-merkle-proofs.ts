import { MerkleFrontier, split } from './merkle-tree.ts';

/**
 * RFC 9162 proofs over a log too large to hold: each proof is a list of roots of particular runs of
 * leaves (and the roots of the whole trees), so those runs are planned first, then their roots are
 * computed in one pass over the leaf hashes, read page by page, each run with a frontier of its own.
 * Memory stays O(log n) whatever the log's size; the outputs are those of `inclusionProof`,
 * `consistencyProof` and `merkleRoot` in merkle-tree.ts over the whole array.
 */

/** Leaves `start` (inclusive) to `end` (exclusive), 0-based: a subtree whose root a proof needs. */
export interface LeafRange {
  readonly start: number;
  readonly end: number;
}

/** Reads up to `limit` leaf hashes in order, starting with leaf `after` (0-based): `Store.readHashes`. */
export type ReadLeafHashes = (after: number, limit: number) => Promise<string[]>;

/**
 * The runs of leaves whose roots make up PATH(index, D[size]), in the proof's order (bottom up): the
 * sibling subtrees the RFC's recursion visits. Pure.
 */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  const siblings: LeafRange[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = split(end - start);
    if (index < start + k) {
      siblings.push({ start: start + k, end });
      end = start + k;
    } else {
      siblings.push({ start, end: start + k });
      start += k;
    }
  }
  // Visited top down; the proof lists them bottom up.
  return siblings.reverse();
}

/**
 * The runs of leaves whose roots make up PROOF(from, D[size]), in the proof's order: the subtree that
 * ends at `from` (unless it is the whole old tree), then the siblings bottom up. Pure.
 */
export function consistencyRanges(from: number, size: number): LeafRange[] {
  if (from === 0 || from === size) return [];
  const siblings: LeafRange[] = [];
  let start = 0;
  let end = size;
  let complete = true;
  while (from - start !== end - start) {
    const k = split(end - start);
    if (from - start <= k) {
      siblings.push({ start: start + k, end });
      end = start + k;
    } else {
      siblings.push({ start, end: start + k });
      start += k;
      complete = false;
    }
  }
  const reached = complete ? [] : [{ start, end }];
  return [...reached, ...siblings.reverse()];
}

/**
 * The root of each range, in the given order, from one pass over the leaves up to the last range's end,
 * `pageSize` hashes per read. Ranges may overlap. Throws when the log holds fewer leaves than the ranges
 * need. Memory: one frontier per unfinished range, one page of hashes.
 */
export async function rangeRoots(ranges: readonly LeafRange[], read: ReadLeafHashes, pageSize: number): Promise<string[]> {
  const end = Math.max(0, ...ranges.map((r) => r.end));
  const frontiers: (MerkleFrontier | undefined)[] = ranges.map(() => new MerkleFrontier());
  // An empty range has the empty tree's root; every other is finished by the pass.
  const roots = ranges.map((range, i) => (range.start === range.end ? frontiers[i]!.root() : undefined));
  for (let pageStart = 0; pageStart < end; ) {
    const page = await read(pageStart, Math.min(pageSize, end - pageStart));
    if (page.length === 0) throw new Error(`the log ends after ${pageStart} leaves; the proof needs ${end}`);
    const pageEnd = pageStart + page.length;
    ranges.forEach((range, i) => {
      const frontier = frontiers[i];
      if (frontier === undefined || roots[i] !== undefined) return;
      for (let leaf = Math.max(range.start, pageStart); leaf < Math.min(range.end, pageEnd); leaf++) frontier.append(page[leaf - pageStart]!);
      // A finished range keeps only its root.
      if (frontier.size === range.end - range.start) {
        roots[i] = frontier.root();
        frontiers[i] = undefined;
      }
    });
    pageStart = pageEnd;
  }
  return roots.map((root) => root!);
}

/** PATH(index, D[size]) with the leaf and the tree's root, reading the leaves page by page. */
export async function streamedInclusionProof(
  index: number,
  size: number,
  read: ReadLeafHashes,
  pageSize: number,
): Promise<{ leafHash: string; rootHash: string; proof: string[] }> {
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf ${index} is outside a tree of size ${size}`);
  const [leafHash, rootHash, ...proof] = await rangeRoots([{ start: index, end: index + 1 }, { start: 0, end: size }, ...inclusionRanges(index, size)], read, pageSize);
  return { leafHash: leafHash!, rootHash: rootHash!, proof };
}

/** PROOF(from, D[size]) with the roots of both trees, reading the leaves page by page. */
export async function streamedConsistencyProof(
  from: number,
  size: number,
  read: ReadLeafHashes,
  pageSize: number,
): Promise<{ fromRoot: string; toRoot: string; proof: string[] }> {
  if (!Number.isInteger(from) || from < 0 || from > size) throw new RangeError(`size ${from} is outside 0..${size}`);
  const [fromRoot, toRoot, ...proof] = await rangeRoots([{ start: 0, end: from }, { start: 0, end: size }, ...consistencyRanges(from, size)], read, pageSize);
  return { fromRoot: fromRoot!, toRoot: toRoot!, proof };
}
