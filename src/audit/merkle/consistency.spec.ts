import { rootAt } from './node-reader';
import { consistencyProof } from './proofs';
import { flipBit, fullLog, MAX_SIZE, LEAVES, sizesUpTo } from './testing/fixtures';
import { referenceProof } from './testing/reference-tree';
import { verifyConsistency } from './verify';

const log = fullLog();
const roots = Array.from({ length: MAX_SIZE + 1 }, (_, size) => rootAt(log.reader, size));
const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

/** Every pair 1 <= size1 <= size2 <= MAX_SIZE with its proof. */
const cases = sizesUpTo(MAX_SIZE).flatMap((size2) =>
  sizesUpTo(size2).map((size1) => ({ size1, size2, proof: consistencyProof(log.reader, size1, size2) })),
);

/** Runs `check` on every case and returns the descriptions of those where verification wrongly passed. */
function wronglyVerified(check: (c: (typeof cases)[number], fail: (what: string) => void) => void): string[] {
  const failures: string[] = [];
  for (const c of cases) check(c, (what) => failures.push(`${c.size1} -> ${c.size2}: ${what}`));
  return failures;
}

describe(`consistency proofs, every pair of sizes 1 <= m <= n <= ${MAX_SIZE}`, () => {
  it('match the literal RFC 9162 PROOF and verify against rootAt', () => {
    const mismatched = cases.filter(
      ({ size1, size2, proof }) =>
        hex(proof).join() !== hex(referenceProof(size1, LEAVES.slice(0, size2))).join() ||
        !verifyConsistency(size1, size2, proof, roots[size1]!, roots[size2]!),
    );
    expect(mismatched).toEqual([]);
    expect(cases).toHaveLength((MAX_SIZE * (MAX_SIZE + 1)) / 2);
  });

  it('fail when any single bit of any proof hash is flipped (all 256 bits, sizes up to 16)', () => {
    const failures = wronglyVerified(({ size1, size2, proof }, fail) => {
      if (size2 > 16) return;
      proof.forEach((_, element) => {
        for (let bit = 0; bit < 256; bit++) {
          const tampered = flipBit(proof, element, bit);
          if (verifyConsistency(size1, size2, tampered, roots[size1]!, roots[size2]!))
            fail(`${element}/${bit}`);
        }
      });
    });
    expect(failures).toEqual([]);
  });

  it(`fail when a bit of any proof hash is flipped (8 spread bits per hash, sizes up to ${MAX_SIZE})`, () => {
    const failures = wronglyVerified(({ size1, size2, proof }, fail) => {
      proof.forEach((_, element) => {
        for (let k = 0; k < 8; k++) {
          const bit = (k * 32 + size1 + element * 7) % 256;
          const tampered = flipBit(proof, element, bit);
          if (verifyConsistency(size1, size2, tampered, roots[size1]!, roots[size2]!))
            fail(`${element}/${bit}`);
        }
      });
    });
    expect(failures).toEqual([]);
  });

  it('fail for a flipped bit in either root', () => {
    const failures = wronglyVerified(({ size1, size2, proof }, fail) => {
      const bit = (size1 * 31 + size2) % 256;
      const [root1, root2] = [roots[size1]!, roots[size2]!];
      if (verifyConsistency(size1, size2, proof, flipBit([root1], 0, bit)[0]!, root2)) fail('root1');
      if (verifyConsistency(size1, size2, proof, root1, flipBit([root2], 0, bit)[0]!)) fail('root2');
    });
    expect(failures).toEqual([]);
  });

  it('fail for other sizes with their tree heads (size and its root)', () => {
    const failures = wronglyVerified(({ size1, size2, proof }, fail) => {
      for (const other of [size1 - 2, size1 - 1, size1 + 1, size1 + 2, size1 * 2, Math.floor(size1 / 2)]) {
        if (other < 1 || other > size2 || other === size1) continue;
        if (verifyConsistency(other, size2, proof, roots[other]!, roots[size2]!)) fail(`size1 ${other}`);
      }
      for (const other of [size2 - 2, size2 - 1, size2 + 1, size2 + 2, size2 * 2]) {
        if (other < size1 || other > MAX_SIZE || other === size2) continue;
        if (verifyConsistency(size1, other, proof, roots[size1]!, roots[other]!)) fail(`size2 ${other}`);
      }
    });
    expect(failures).toEqual([]);
  });

  it('fail when the proof is truncated, extended or the roots are swapped', () => {
    const failures = wronglyVerified(({ size1, size2, proof }, fail) => {
      const [root1, root2] = [roots[size1]!, roots[size2]!];
      const variants: Record<string, Buffer[]> = {
        'appended root': [...proof, root1],
        'prepended root': [root1, ...proof],
        ...(proof.length > 0 && { 'first dropped': proof.slice(1), 'last dropped': proof.slice(0, -1) }),
      };
      for (const [what, tampered] of Object.entries(variants)) {
        if (verifyConsistency(size1, size2, tampered, root1, root2)) fail(what);
      }
      if (size1 !== size2 && verifyConsistency(size1, size2, proof, root2, root1)) fail('swapped roots');
    });
    expect(failures).toEqual([]);
  });
});
