import { leafHash } from '../hashing';
import { createMemoryLog, type MemoryLog } from '../memory-node-store';
import { CT_LEAF_INPUTS } from './ct-vectors';

/** The largest tree the exhaustive property specs walk. */
export const MAX_SIZE = 70;

/** Leaf hashes: the eight CT leaf inputs, then `leaf <i>` up to MAX_SIZE leaves. */
export const LEAVES: readonly Buffer[] = Array.from({ length: MAX_SIZE }, (_, i) =>
  leafHash(CT_LEAF_INPUTS[i] ?? Buffer.from(`leaf ${i}`)),
);

/** An in-memory log holding LEAVES. */
export function fullLog(): MemoryLog {
  return createMemoryLog(LEAVES);
}

/** A copy of `proof` with bit `bit` (0..255) of element `element` flipped. */
export function flipBit(proof: readonly Buffer[], element: number, bit: number): Buffer[] {
  return proof.map((hash, i) => {
    if (i !== element) return hash;
    const copy = Buffer.from(hash);
    copy[bit >> 3] = (copy[bit >> 3] as number) ^ (0x80 >> (bit & 7));
    return copy;
  });
}

/** Every size in 1..max. */
export const sizesUpTo = (max: number): number[] => Array.from({ length: max }, (_, i) => i + 1);
