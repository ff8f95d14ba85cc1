import { appendLeaf, EMPTY_FRONTIER, frontierAt, rootFromFrontier, type Frontier } from './compact-range';
import { leafHash } from './hashing';
import { createMemoryLog } from './memory-node-store';
import { rootAt, subtreeRoot } from './node-reader';
import { consistencyProof, inclusionProof } from './proofs';
import {
  CT_CONSISTENCY_PROOFS,
  CT_INCLUSION_PROOFS,
  CT_LEAF_INPUTS,
  CT_NODE_HASHES,
  CT_ROOTS,
} from './testing/ct-vectors';
import { verifyConsistency, verifyInclusion } from './verify';

// Vectors: github.com/transparency-dev/merkle testonly/constants.go and cmd/proofgen/main.go (see ./testing/ct-vectors.ts).
const leaves = CT_LEAF_INPUTS.map(leafHash);
const log = createMemoryLog(leaves);
const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

describe('Certificate Transparency test vectors', () => {
  it('stores exactly the published perfect-subtree hashes', () => {
    CT_NODE_HASHES.forEach((level, l) =>
      level.forEach((hash, i) => expect(log.reader.node(l, i).toString('hex')).toBe(hash.toString('hex'))),
    );
  });

  it.each(CT_ROOTS.map((root, size) => [size, root] as const))('root of size %i', (size, root) => {
    expect(rootAt(log.reader, size).toString('hex')).toBe(root.toString('hex'));
    expect(subtreeRoot(log.reader, 0, size).toString('hex')).toBe(root.toString('hex'));
    expect(rootFromFrontier(frontierAt(log.reader, size)).toString('hex')).toBe(root.toString('hex'));
  });

  it('incremental frontier roots match the published roots', () => {
    let frontier: Frontier = EMPTY_FRONTIER;
    expect(rootFromFrontier(frontier).equals(CT_ROOTS[0]!)).toBe(true);
    leaves.forEach((leaf, i) => {
      frontier = appendLeaf(frontier, leaf).frontier;
      expect(rootFromFrontier(frontier).toString('hex')).toBe(CT_ROOTS[i + 1]!.toString('hex'));
    });
  });

  it.each(CT_INCLUSION_PROOFS.map((v) => [v.index, v.size, v] as const))(
    'inclusion proof for leaf %i in tree %i',
    (index, size, vector) => {
      expect(hex(inclusionProof(log.reader, index, size))).toEqual(hex(vector.proof));
      expect(verifyInclusion(leaves[index]!, index, size, vector.proof, CT_ROOTS[size]!)).toBe(true);
    },
  );

  it.each(CT_CONSISTENCY_PROOFS.map((v) => [v.size1, v.size2, v] as const))(
    'consistency proof from %i to %i',
    (size1, size2, vector) => {
      expect(hex(consistencyProof(log.reader, size1, size2))).toEqual(hex(vector.proof));
      expect(verifyConsistency(size1, size2, vector.proof, CT_ROOTS[size1]!, CT_ROOTS[size2]!)).toBe(true);
    },
  );
});

// Edge cases of github.com/transparency-dev/merkle testdata/consistency/additional/*.json ("don't care" roots).
describe('transparency-dev consistency edge cases', () => {
  const empty = CT_ROOTS[0]!;
  const other1 = Buffer.alloc(32, 1);
  const other2 = Buffer.alloc(32, 2);
  it.each([
    ['size1 is zero (consistency from the empty tree is meaningless)', 0, 1, [empty], empty, empty, false],
    ['sizes are zero, roots differ', 0, 0, [], empty, other2, false],
    ['sizes are one, roots differ', 1, 1, [], empty, other2, false],
    ['size1 greater than size2', 2, 1, [], other1, other2, false],
    ['size1 greater than size2 (zero)', 1, 0, [], other1, other2, false],
    ['size1 zero, size2 one, empty proof', 0, 1, [], empty, other2, false],
    ['sizes equal (one), empty proof, same root', 1, 1, [], other2, other2, true],
    ['sizes equal (zero), empty proof, same root', 0, 0, [], other1, other1, false],
    ['sizes differ and proof is empty', 1, 2, [], other1, other2, false],
    ['sizes equal (one) but proof not empty', 1, 1, [empty], empty, empty, false],
    ['sizes equal (zero) but proof not empty', 0, 0, [empty], empty, empty, false],
  ] as const)('%s', (_desc, size1, size2, proof, root1, root2, expected) => {
    expect(verifyConsistency(size1, size2, proof, root1, root2)).toBe(expected);
  });
});
