import { rootAt } from './node-reader';
import { inclusionProof } from './proofs';
import { fullLog, flipBit, LEAVES, MAX_SIZE, sizesUpTo } from './testing/fixtures';
import { referencePath, referenceRoot } from './testing/reference-tree';
import { verifyInclusion } from './verify';

const log = fullLog();
const roots = Array.from({ length: MAX_SIZE + 1 }, (_, size) => rootAt(log.reader, size));
const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

/** Sizes 1..MAX_SIZE, each with every leaf index and its proof. */
const cases = sizesUpTo(MAX_SIZE).flatMap((size) =>
  Array.from({ length: size }, (_, index) => ({
    size,
    index,
    proof: inclusionProof(log.reader, index, size),
  })),
);

/** Runs `check` on every case and returns the descriptions of those where verification wrongly passed. */
function wronglyVerified(check: (c: (typeof cases)[number], fail: (what: string) => void) => void): string[] {
  const failures: string[] = [];
  for (const c of cases) check(c, (what) => failures.push(`leaf ${c.index} of ${c.size}: ${what}`));
  return failures;
}

describe(`inclusion proofs, every index of every size 1..${MAX_SIZE}`, () => {
  it('match the literal RFC 9162 PATH and verify against rootAt', () => {
    for (let size = 0; size <= MAX_SIZE; size++) {
      expect(roots[size]!.equals(referenceRoot(LEAVES.slice(0, size)))).toBe(true);
    }
    const mismatched = cases.filter(
      ({ size, index, proof }) =>
        hex(proof).join() !== hex(referencePath(index, LEAVES.slice(0, size))).join() ||
        !verifyInclusion(LEAVES[index]!, index, size, proof, roots[size]!),
    );
    expect(mismatched).toEqual([]);
    expect(cases).toHaveLength((MAX_SIZE * (MAX_SIZE + 1)) / 2);
  });

  it('fail when any single bit of any proof hash is flipped (all 256 bits, sizes 1..16)', () => {
    const failures = wronglyVerified(({ size, index, proof }, fail) => {
      if (size > 16) return;
      proof.forEach((_, element) => {
        for (let bit = 0; bit < 256; bit++) {
          const tampered = flipBit(proof, element, bit);
          if (verifyInclusion(LEAVES[index]!, index, size, tampered, roots[size]!)) fail(`${element}/${bit}`);
        }
      });
    });
    expect(failures).toEqual([]);
  });

  it(`fail when a bit of any proof hash is flipped (8 spread bits per hash, sizes 1..${MAX_SIZE})`, () => {
    const failures = wronglyVerified(({ size, index, proof }, fail) => {
      proof.forEach((_, element) => {
        for (let k = 0; k < 8; k++) {
          const bit = (k * 32 + index + element * 7) % 256;
          const tampered = flipBit(proof, element, bit);
          if (verifyInclusion(LEAVES[index]!, index, size, tampered, roots[size]!)) fail(`${element}/${bit}`);
        }
      });
    });
    expect(failures).toEqual([]);
  });

  it('fail for a flipped bit in the leaf hash or the root', () => {
    const failures = wronglyVerified(({ size, index, proof }, fail) => {
      const bit = (index * 31 + size) % 256;
      const [leaf, root] = [LEAVES[index]!, roots[size]!];
      if (verifyInclusion(flipBit([leaf], 0, bit)[0]!, index, size, proof, root)) fail('leaf');
      if (verifyInclusion(leaf, index, size, proof, flipBit([root], 0, bit)[0]!)) fail('root');
    });
    expect(failures).toEqual([]);
  });

  it('fail for any other index in the same tree (with either leaf hash)', () => {
    const failures = wronglyVerified(({ size, index, proof }, fail) => {
      for (let other = 0; other < size; other++) {
        if (other === index) continue;
        if (verifyInclusion(LEAVES[index]!, other, size, proof, roots[size]!)) fail(`index ${other}`);
        if (verifyInclusion(LEAVES[other]!, other, size, proof, roots[size]!)) fail(`leaf ${other}`);
      }
      if (verifyInclusion(LEAVES[index]!, index + size, size, proof, roots[size]!)) fail('index + size');
    });
    expect(failures).toEqual([]);
  });

  it('fail for another tree size with that tree head (size and its root)', () => {
    const failures = wronglyVerified(({ size, index, proof }, fail) => {
      for (const other of [size - 2, size - 1, size + 1, size + 2, size * 2, Math.floor(size / 2)]) {
        if (other <= index || other > MAX_SIZE || other === size) continue;
        if (verifyInclusion(LEAVES[index]!, index, other, proof, roots[other]!)) fail(`size ${other}`);
      }
    });
    expect(failures).toEqual([]);
  });

  it('fail when the proof is truncated, extended or reordered', () => {
    const failures = wronglyVerified(({ size, index, proof }, fail) => {
      const [leaf, root] = [LEAVES[index]!, roots[size]!];
      const variants: Record<string, Buffer[]> = {
        'appended root': [...proof, root],
        'prepended root': [root, ...proof],
        ...(proof.length > 0 && { 'first dropped': proof.slice(1), 'last dropped': proof.slice(0, -1) }),
        ...(proof.length > 1 && { reversed: [...proof].reverse() }),
      };
      for (const [what, tampered] of Object.entries(variants)) {
        if (verifyInclusion(leaf, index, size, tampered, root)) fail(what);
      }
    });
    expect(failures).toEqual([]);
  });

  // RFC 9162 verification binds the root, not the size: with the SAME root, a size whose path has the
  // same shape also verifies (e.g. leaf 0 of 3 leaves vs 4 leaves). Signed checkpoints bind the pair.
  it('documents that the size is bound only through the root (same root, same proof shape)', () => {
    const proof = inclusionProof(log.reader, 0, 3);
    expect(verifyInclusion(LEAVES[0]!, 0, 4, proof, roots[3]!)).toBe(true);
    expect(verifyInclusion(LEAVES[0]!, 0, 4, proof, roots[4]!)).toBe(false);
  });
});
