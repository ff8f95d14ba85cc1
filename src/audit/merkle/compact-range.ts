import { HASH_SIZE, isHash, emptyRoot, nodeHash } from './hashing';
import type { NodeReader } from './node-reader';
import { readNode } from './node-reader';
import { assertTreeSize, half, isOdd } from './tree-math';

/** A perfect-subtree node: (level, index) covers leaves [index * 2^level, (index + 1) * 2^level). */
export interface MerkleNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Buffer;
}

/**
 * The compact range [0, size): hashes of the perfect subtrees that make up a tree of `size` leaves,
 * left (largest) to right (smallest), one per set bit of `size`. Enough to append and to get the root.
 */
export interface Frontier {
  readonly size: number;
  readonly hashes: readonly Buffer[];
}

/** Result of an append: the frontier after it and every perfect node it completed (leaf first). */
export interface AppendResult {
  readonly frontier: Frontier;
  readonly nodes: readonly MerkleNode[];
}

/** The frontier of the empty tree. */
export const EMPTY_FRONTIER: Frontier = Object.freeze({ size: 0, hashes: Object.freeze([]) });

/** Number of set bits of a safe integer: how many perfect subtrees a tree of that size has. */
export function perfectSubtreeCount(size: number): number {
  let count = 0;
  for (let rest = size; rest > 0; rest = half(rest)) count += rest % 2;
  return count;
}

/** Throws unless the frontier is well formed (safe size, one 32-byte hash per set bit of size). */
export function assertFrontier(frontier: Frontier): void {
  assertTreeSize(frontier.size, 'frontier size');
  const expected = perfectSubtreeCount(frontier.size);
  if (frontier.hashes.length !== expected) {
    throw new RangeError(
      `frontier of size ${frontier.size} needs ${expected} hashes, got ${frontier.hashes.length}`,
    );
  }
  if (!frontier.hashes.every(isHash)) throw new RangeError(`frontier hashes must be ${HASH_SIZE} bytes`);
}

/**
 * Appends one leaf hash (see `leafHash`) to the tree described by `frontier`. Returns the new frontier
 * and the perfect nodes completed by this append: the leaf itself (level 0) and each parent it
 * closes, so a caller can persist them for {@link NodeReader}. The input is not modified.
 */
export function appendLeaf(frontier: Frontier, leaf: Uint8Array): AppendResult {
  assertFrontier(frontier);
  if (!isHash(leaf)) throw new RangeError(`leaf hash must be ${HASH_SIZE} bytes`);
  const hashes = [...frontier.hashes];
  let hash: Buffer = Buffer.from(leaf);
  let level = 0;
  let index = frontier.size;
  const nodes: MerkleNode[] = [{ level, index, hash }];
  while (isOdd(index)) {
    const left = hashes.pop();
    if (left === undefined) throw new Error('frontier ran out of hashes'); // unreachable after assertFrontier
    hash = nodeHash(left, hash);
    level += 1;
    index = half(index);
    nodes.push({ level, index, hash });
  }
  hashes.push(hash);
  return { frontier: { size: frontier.size + 1, hashes }, nodes };
}

/** Appends several leaf hashes in order; `nodes` lists every completed node, in completion order. */
export function appendLeaves(frontier: Frontier, leaves: Iterable<Uint8Array>): AppendResult {
  let current = frontier;
  const nodes: MerkleNode[] = [];
  for (const leaf of leaves) {
    const result = appendLeaf(current, leaf);
    current = result.frontier;
    nodes.push(...result.nodes);
  }
  return { frontier: current, nodes };
}

/** MTH of the whole tree: folds the perfect subtrees right to left (RFC 6962 §2.1). */
export function rootFromFrontier(frontier: Frontier): Buffer {
  assertFrontier(frontier);
  const { hashes } = frontier;
  const last = hashes[hashes.length - 1];
  if (last === undefined) return emptyRoot();
  let root = last;
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i] as Buffer, root);
  return root;
}

/** Rebuilds the frontier of a tree of `size` leaves from stored perfect nodes (e.g. after a restart). */
export function frontierAt(reader: NodeReader, size: number): Frontier {
  assertTreeSize(size, 'size');
  const hashes: Buffer[] = [];
  let width = 1;
  let level = 0;
  while (width * 2 <= size) {
    width *= 2;
    level += 1;
  }
  let start = 0;
  for (; level >= 0; level--, width /= 2) {
    if (start + width <= size) {
      hashes.push(readNode(reader, level, start / width));
      start += width;
    }
  }
  return { size, hashes };
}
