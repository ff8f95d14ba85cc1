import { timingSafeEqual } from 'node:crypto';
import { isHash, nodeHash } from './hashing';
import { half, isOdd, isPowerOfTwo, isTreeSize } from './tree-math';

/*
 * Storage-independent proof verifiers (RFC 9162 §2.1.3.2 and §2.1.4.2). They take untrusted input:
 * any malformed argument (sizes that are not safe integers, hashes that are not 32 bytes, proofs of
 * the wrong length, non-arrays) makes them return false; they never throw.
 */

/** True when `proof` is an array of 32-byte hashes. */
function isProof(proof: unknown): proof is readonly Uint8Array[] {
  return Array.isArray(proof) && proof.every(isHash);
}

function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Verifies that `leaf` (a leaf hash) is at `index` in the tree of `size` leaves whose root is `root`
 * (RFC 9162 §2.1.3.2). Note that, as in the RFC, the proof binds the root: a checkpoint is what
 * binds that root to its size.
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(leaf) || !isHash(root) || !isTreeSize(index) || !isTreeSize(size) || !isProof(proof)) {
    return false;
  }
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(r, root);
}

/**
 * Verifies that the tree of `size1` leaves with root `root1` is a prefix of the tree of `size2`
 * leaves with root `root2` (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and equal roots.
 * size1 = 0 is rejected, like the transparency-dev reference: a proof from the empty tree proves
 * nothing, so callers decide that case themselves.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  if (!isTreeSize(size1) || !isTreeSize(size2) || !isHash(root1) || !isHash(root2) || !isProof(proof)) {
    return false;
  }
  if (size1 === 0 || size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && sameHash(root1, root2);
  if (proof.length === 0) return false;

  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0] as Uint8Array);
  let sr: Buffer = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(fr, root1) && sameHash(sr, root2);
}
