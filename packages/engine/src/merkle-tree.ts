import { createHash } from 'node:crypto';

/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree over leaf hashes, as hex strings. The leaves are
 * audit entry hashes, which already are RFC 9162 leaf hashes (SHA-256 over 0x00 and the entry).
 * Interior nodes are SHA-256 over 0x01, left and right. All functions are pure.
 */

const EMPTY_ROOT = createHash('sha256').digest('hex');

function nodeHash(left: string, right: string): string {
  return createHash('sha256').update(Buffer.from([1])).update(Buffer.from(left, 'hex')).update(Buffer.from(right, 'hex')).digest('hex');
}

/** The largest power of two strictly smaller than n (n > 1): where RFC 9162 splits a tree of n leaves. */
export function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]): the root of the tree over `leaves` (the hash of the empty string for no leaves). */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) return EMPTY_ROOT;
  return subtreeRoot(leaves, 0, leaves.length);
}

function subtreeRoot(leaves: readonly string[], start: number, end: number): string {
  const n = end - start;
  if (n === 1) return leaves[start]!;
  const k = split(n);
  return nodeHash(subtreeRoot(leaves, start, start + k), subtreeRoot(leaves, start + k, end));
}

/** PATH(m, D[n]): the audit path proving leaf `index` is in the tree over `leaves`. */
export function inclusionProof(index: number, leaves: readonly string[]): string[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new RangeError(`leaf ${index} is outside a tree of size ${leaves.length}`);
  const path: string[] = [];
  let start = 0;
  let end = leaves.length;
  let m = index;
  const stack: string[] = [];
  while (end - start > 1) {
    const k = split(end - start);
    if (m < k) {
      stack.push(subtreeRoot(leaves, start + k, end));
      end = start + k;
    } else {
      stack.push(subtreeRoot(leaves, start, start + k));
      start += k;
      m -= k;
    }
  }
  // The recursion appends from the bottom up; the loop above went top down.
  while (stack.length > 0) path.push(stack.pop()!);
  return path;
}

/** PROOF(m, D[n]): proves the tree of the first `size` leaves is a prefix of the tree over `leaves`. */
export function consistencyProof(size: number, leaves: readonly string[]): string[] {
  if (!Number.isInteger(size) || size < 0 || size > leaves.length) throw new RangeError(`size ${size} is outside 0..${leaves.length}`);
  if (size === 0 || size === leaves.length) return [];
  const proof: string[] = [];
  subproof(size, leaves, 0, leaves.length, true, proof);
  return proof;
}

function subproof(m: number, leaves: readonly string[], start: number, end: number, complete: boolean, out: string[]): void {
  const n = end - start;
  if (m === n) {
    if (!complete) out.push(subtreeRoot(leaves, start, end));
    return;
  }
  const k = split(n);
  if (m <= k) {
    subproof(m, leaves, start, start + k, complete, out);
    out.push(subtreeRoot(leaves, start + k, end));
  } else {
    subproof(m - k, leaves, start + k, end, false, out);
    out.push(subtreeRoot(leaves, start, start + k));
  }
}

/** RFC 9162 §2.1.3.2: whether `proof` shows `leafHash` at `index` in the tree of `size` with `root`. */
export function verifyInclusion(leafHash: string, index: number, size: number, proof: readonly string[], root: string): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r === root;
}

/** RFC 9162 §2.1.4.2: whether `proof` shows the tree (size1, root1) is a prefix of (size2, root2). */
export function verifyConsistency(size1: number, size2: number, root1: string, root2: string, proof: readonly string[]): boolean {
  if (!Number.isInteger(size1) || !Number.isInteger(size2) || size1 < 0 || size2 < size1) return false;
  if (size1 === size2) return proof.length === 0 && root1 === root2;
  if (size1 === 0) return proof.length === 0;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr === root1 && sr === root2 && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/**
 * The root of a growing tree in O(log n) memory: keeps the roots of its perfect subtrees, largest first.
 * `root()` equals `merkleRoot` of every leaf appended so far.
 */
export class MerkleFrontier {
  private readonly stack: { height: number; hash: string }[] = [];
  private count = 0;

  /**
   * The frontier of a tree of `size` leaves from its subtree roots (`nodes()` of such a frontier): one
   * per 1-bit of `size`, largest first. Throws when there are not as many as `size` needs.
   */
  static restore(size: number, nodes: readonly string[]): MerkleFrontier {
    const heights = [...size.toString(2)].flatMap((bit, i, bits) => (bit === '1' ? [bits.length - 1 - i] : []));
    if (!Number.isSafeInteger(size) || size < 0 || heights.length !== nodes.length) {
      throw new RangeError(`a frontier of ${size} leaves has ${heights.length} nodes, not ${nodes.length}`);
    }
    const frontier = new MerkleFrontier();
    heights.forEach((height, i) => frontier.stack.push({ height, hash: nodes[i]! }));
    frontier.count = size;
    return frontier;
  }

  get size(): number {
    return this.count;
  }

  /** The roots of its perfect subtrees, largest first: what `restore` takes. */
  nodes(): string[] {
    return this.stack.map(({ hash }) => hash);
  }

  append(leafHash: string): void {
    let top = { height: 0, hash: leafHash };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.height === top.height) {
      const left = this.stack.pop()!;
      top = { height: top.height + 1, hash: nodeHash(left.hash, top.hash) };
    }
    this.stack.push(top);
    this.count += 1;
  }

  root(): string {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let hash = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.stack[i]!.hash, hash);
    return hash;
  }
}
