import type { NodeReader } from './node-reader';
import { subtreeRoot } from './node-reader';
import { assertTreeSize, largestPowerOfTwoBelow } from './tree-math';

/**
 * Inclusion proof PATH(m, D[n]) of RFC 9162 §2.1.3.1 for leaf `index` in the tree of `size` leaves:
 * sibling hashes from the leaf level up. Throws a RangeError unless 0 <= index < size.
 */
export function inclusionProof(reader: NodeReader, index: number, size: number): Buffer[] {
  assertTreeSize(index, 'index');
  assertTreeSize(size, 'size');
  if (index >= size) throw new RangeError(`leaf index ${index} is not below tree size ${size}`);
  return path(reader, index, 0, size);
}

/** PATH for absolute leaf `m` inside the subtree of leaves [start, end). */
function path(reader: NodeReader, m: number, start: number, end: number): Buffer[] {
  if (end - start === 1) return [];
  const split = start + largestPowerOfTwoBelow(end - start);
  return m < split
    ? [...path(reader, m, start, split), subtreeRoot(reader, split, end)]
    : [...path(reader, m, split, end), subtreeRoot(reader, start, split)];
}

/**
 * Consistency proof PROOF(m, D[n]) of RFC 9162 §2.1.4.1 between the trees of `size1` and `size2`
 * leaves. Empty when the sizes are equal. Throws a RangeError unless 0 < size1 <= size2 (the RFC
 * defines no proof from the empty tree, which is trivially a prefix of every tree).
 */
export function consistencyProof(reader: NodeReader, size1: number, size2: number): Buffer[] {
  assertTreeSize(size1, 'size1');
  assertTreeSize(size2, 'size2');
  if (size1 === 0) throw new RangeError('no consistency proof from the empty tree (size1 = 0)');
  if (size1 > size2) throw new RangeError(`size1 ${size1} is larger than size2 ${size2}`);
  return subproof(reader, size1, 0, size2, true);
}

/** SUBPROOF(m, D[start:end], complete) with `m` the absolute size of the old tree. */
function subproof(reader: NodeReader, m: number, start: number, end: number, complete: boolean): Buffer[] {
  if (m === end) return complete ? [] : [subtreeRoot(reader, start, end)];
  const split = start + largestPowerOfTwoBelow(end - start);
  return m <= split
    ? [...subproof(reader, m, start, split, complete), subtreeRoot(reader, split, end)]
    : [...subproof(reader, m, split, end, false), subtreeRoot(reader, start, split)];
}
