import fc from 'fast-check';
import { frontierAt, rootFromFrontier } from './compact-range';
import { leafHash, nodeHash } from './hashing';
import type { NodeReader } from './node-reader';
import { rootAt } from './node-reader';
import { consistencyProof, inclusionProof } from './proofs';
import { flipBit } from './testing/fixtures';
import { verifyConsistency, verifyInclusion } from './verify';

/*
 * A virtual tree whose leaves are all the same: the perfect node of each level is one hash, so any size
 * up to 2^53 - 1 is cheap to read. It checks the index arithmetic far beyond 32 bits (no `>>`, `&`).
 */
const LEAF = leafHash(Buffer.from('same leaf everywhere'));
const perLevel: Buffer[] = [LEAF];
for (let level = 1; level <= 53; level++) perLevel.push(nodeHash(perLevel[level - 1]!, perLevel[level - 1]!));

const uniformTree: NodeReader = {
  node: (level) => {
    const hash = perLevel[level];
    if (hash === undefined) throw new RangeError(`no level ${level}`);
    return hash;
  },
};

const bigSize = fc.oneof(
  fc.integer({ min: 1, max: 2 ** 32 + 5 }),
  fc.constantFrom(
    2 ** 31,
    2 ** 31 + 1,
    2 ** 32 - 1,
    2 ** 32,
    2 ** 32 + 1,
    2 ** 40 + 3,
    Number.MAX_SAFE_INTEGER,
  ),
  fc.maxSafeNat().filter((n) => n > 0),
);

describe('sizes beyond 32 bits (uniform virtual tree)', () => {
  it('inclusion proofs verify, and flipped bits fail', () => {
    fc.assert(
      fc.property(bigSize, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(255), (size, at, bit) => {
        const index = Math.min(size - 1, Math.floor(at * size));
        const root = rootAt(uniformTree, size);
        const proof = inclusionProof(uniformTree, index, size);
        expect(verifyInclusion(LEAF, index, size, proof, root)).toBe(true);
        if (proof.length > 0) {
          expect(verifyInclusion(LEAF, index, size, flipBit(proof, bit % proof.length, bit), root)).toBe(
            false,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('consistency proofs verify, and flipped bits fail', () => {
    fc.assert(
      fc.property(bigSize, bigSize, fc.nat(255), (a, b, bit) => {
        const [size1, size2] = a <= b ? [a, b] : [b, a];
        const [root1, root2] = [rootAt(uniformTree, size1), rootAt(uniformTree, size2)];
        const proof = consistencyProof(uniformTree, size1, size2);
        expect(verifyConsistency(size1, size2, proof, root1, root2)).toBe(true);
        if (proof.length > 0) {
          expect(verifyConsistency(size1, size2, flipBit(proof, bit % proof.length, bit), root1, root2)).toBe(
            false,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('frontierAt and rootAt agree', () => {
    fc.assert(
      fc.property(bigSize, (size) => {
        expect(rootFromFrontier(frontierAt(uniformTree, size)).equals(rootAt(uniformTree, size))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('proof lengths stay logarithmic at the largest safe size', () => {
    const size = Number.MAX_SAFE_INTEGER;
    expect(inclusionProof(uniformTree, size - 1, size).length).toBeLessThanOrEqual(53);
    expect(consistencyProof(uniformTree, 2 ** 52 + 1, size).length).toBeLessThanOrEqual(2 * 53);
  });
});
