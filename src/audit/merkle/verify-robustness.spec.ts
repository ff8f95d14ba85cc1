import fc from 'fast-check';
import { rootAt } from './node-reader';
import { consistencyProof, inclusionProof } from './proofs';
import { fullLog, LEAVES } from './testing/fixtures';
import { verifyConsistency, verifyInclusion } from './verify';

const log = fullLog();
const root = (size: number): Buffer => rootAt(log.reader, size);

/** Anything a caller might pass where a number is expected. */
const badNumbers = [-1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, Number.MAX_VALUE, -0.5];

// Deliberately ill-typed calls, as an HTTP or CLI caller could make them with unchecked input.
const untyped = <T>(value: unknown): T => value as T;

describe('verifiers on malformed input', () => {
  const proof = inclusionProof(log.reader, 5, 13);
  const cproof = consistencyProof(log.reader, 5, 13);

  it('return false for bad sizes and indices', () => {
    for (const bad of badNumbers) {
      expect(verifyInclusion(LEAVES[5]!, bad, 13, proof, root(13))).toBe(false);
      expect(verifyInclusion(LEAVES[5]!, 5, bad, proof, root(13))).toBe(false);
      expect(verifyConsistency(bad, 13, cproof, root(5), root(13))).toBe(false);
      expect(verifyConsistency(5, bad, cproof, root(5), root(13))).toBe(false);
    }
    expect(verifyInclusion(LEAVES[5]!, 13, 13, proof, root(13))).toBe(false);
    expect(verifyInclusion(LEAVES[0]!, 0, 0, [], root(0))).toBe(false);
    expect(verifyInclusion(LEAVES[5]!, untyped('5'), 13, proof, root(13))).toBe(false);
    expect(verifyConsistency(untyped(5n), 13, cproof, root(5), root(13))).toBe(false);
  });

  it('return false for hashes of the wrong length or type', () => {
    const short = Buffer.alloc(31);
    const long = Buffer.alloc(33);
    for (const bad of [
      short,
      long,
      new Uint8Array(),
      untyped<Uint8Array>(null),
      untyped<Uint8Array>('x'.repeat(32)),
    ]) {
      expect(verifyInclusion(bad, 5, 13, proof, root(13))).toBe(false);
      expect(verifyInclusion(LEAVES[5]!, 5, 13, proof, bad)).toBe(false);
      expect(verifyInclusion(LEAVES[5]!, 5, 13, [...proof.slice(0, -1), bad], root(13))).toBe(false);
      expect(verifyConsistency(5, 13, cproof, bad, root(13))).toBe(false);
      expect(verifyConsistency(5, 13, cproof, root(5), bad)).toBe(false);
      expect(verifyConsistency(5, 13, [bad, ...cproof.slice(1)], root(5), root(13))).toBe(false);
    }
    // A proof hash with one extra byte is not the same hash.
    const padded = proof.map((h, i) => (i === 0 ? Buffer.concat([h, Buffer.alloc(1)]) : h));
    expect(verifyInclusion(LEAVES[5]!, 5, 13, padded, root(13))).toBe(false);
  });

  it('return false when the proof is not an array', () => {
    for (const bad of [null, undefined, 'proof', 42, {}, { length: 4 }, new Set(proof)]) {
      expect(verifyInclusion(LEAVES[5]!, 5, 13, untyped(bad), root(13))).toBe(false);
      expect(verifyConsistency(5, 13, untyped(bad), root(5), root(13))).toBe(false);
    }
  });

  it('accept Uint8Array as well as Buffer', () => {
    const plain = (b: Buffer): Uint8Array => new Uint8Array(b);
    expect(verifyInclusion(plain(LEAVES[5]!), 5, 13, proof.map(plain), plain(root(13)))).toBe(true);
    expect(verifyConsistency(5, 13, cproof.map(plain), plain(root(5)), plain(root(13)))).toBe(true);
  });

  it('never throw and never accept random garbage (fast-check)', () => {
    const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
    const anyBytes = fc.uint8Array({ maxLength: 40 });
    const size = fc.oneof(fc.integer({ min: -3, max: 80 }), fc.constantFrom(...badNumbers));
    const proofArb = fc.array(fc.oneof(hash, anyBytes), { maxLength: 10 });
    fc.assert(
      fc.property(
        fc.oneof(hash, anyBytes),
        size,
        size,
        proofArb,
        fc.oneof(hash, anyBytes),
        (l, i, n, p, r) => {
          expect(verifyInclusion(l, i, n, p, r)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(size, size, proofArb, hash, hash, (m, n, p, r1, r2) => {
        // Random roots only "verify" for equal sizes with an empty proof and equal roots.
        const expected =
          m === n && m > 0 && Number.isSafeInteger(m) && p.length === 0 && Buffer.from(r1).equals(r2);
        expect(verifyConsistency(m, n, p, r1, r2)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('reject real proofs paired with random sizes unless they are the real tree head', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), (a, b) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        const p = consistencyProof(log.reader, m, n);
        fc.pre(p.length > 0);
        expect(verifyConsistency(m, n, p.slice(1), root(m), root(n))).toBe(false);
        expect(verifyConsistency(m, n, p, root(n), root(m))).toBe(m === n);
      }),
      { numRuns: 300 },
    );
  });
});
