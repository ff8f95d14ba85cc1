import { emptyRoot, isHash, nodeHash } from './hashing';
import { assertTreeSize, isPowerOfTwo, largestPowerOfTwoBelow, log2Exact } from './tree-math';

/**
 * Read access to stored perfect-subtree hashes: `node(level, index)` is the hash of leaves
 * [index * 2^level, (index + 1) * 2^level). Level 0 holds the leaf hashes. Synchronous by contract:
 * a root or proof is computed from O(log n) reads in one go, so a SQLite (better-sqlite3) or
 * in-memory store backs it, and the tree cannot change in the middle of one computation. It should
 * throw when a node is missing.
 */
export interface NodeReader {
  node(level: number, index: number): Buffer;
}

/** Reads a node and checks the store returned a 32-byte hash. */
export function readNode(reader: NodeReader, level: number, index: number): Buffer {
  const hash: unknown = reader.node(level, index);
  if (!isHash(hash)) throw new Error(`node reader returned no 32-byte hash for node (${level}, ${index})`);
  return Buffer.from(hash);
}

/**
 * MTH of leaves [start, end) (RFC 6962 §2.1): a stored node when the range is an aligned perfect
 * subtree, otherwise split at k = largest power of two < n. O(log n) reads for ranges used by proofs.
 */
export function subtreeRoot(reader: NodeReader, start: number, end: number): Buffer {
  assertTreeSize(start, 'start');
  assertTreeSize(end, 'end');
  if (end < start) throw new RangeError(`range [${start}, ${end}) is reversed`);
  return rangeRoot(reader, start, end);
}

function rangeRoot(reader: NodeReader, start: number, end: number): Buffer {
  const n = end - start;
  if (n === 0) return emptyRoot();
  if (isPowerOfTwo(n) && start % n === 0) return readNode(reader, log2Exact(n), start / n);
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(rangeRoot(reader, start, start + k), rangeRoot(reader, start + k, end));
}

/** Root hash of the tree made of the first `size` leaves. */
export function rootAt(reader: NodeReader, size: number): Buffer {
  return subtreeRoot(reader, 0, size);
}
