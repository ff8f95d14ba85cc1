import {
  appendLeaf,
  appendLeaves,
  EMPTY_FRONTIER,
  frontierAt,
  perfectSubtreeCount,
  rootFromFrontier,
  type Frontier,
  type MerkleNode,
} from './compact-range';
import { EMPTY_ROOT, leafHash, nodeHash } from './hashing';
import { createMemoryNodeStore } from './memory-node-store';
import { rootAt, subtreeRoot } from './node-reader';
import { LEAVES, MAX_SIZE } from './testing/fixtures';
import { referenceRoot } from './testing/reference-tree';

const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

describe('frontier appender', () => {
  it(`gives the recursive MTH after every append, sizes 0..${MAX_SIZE}`, () => {
    let frontier: Frontier = EMPTY_FRONTIER;
    expect(rootFromFrontier(frontier).equals(EMPTY_ROOT)).toBe(true);
    const wrong: number[] = [];
    LEAVES.forEach((leaf, i) => {
      frontier = appendLeaf(frontier, leaf).frontier;
      if (!rootFromFrontier(frontier).equals(referenceRoot(LEAVES.slice(0, i + 1)))) wrong.push(i + 1);
      if (frontier.hashes.length !== perfectSubtreeCount(i + 1)) wrong.push(-(i + 1));
    });
    expect(wrong).toEqual([]);
    expect(frontier.size).toBe(MAX_SIZE);
  });

  it('reports exactly the perfect nodes each append completes, with their (level, index)', () => {
    let frontier: Frontier = EMPTY_FRONTIER;
    const all: MerkleNode[] = [];
    LEAVES.forEach((leaf) => {
      const { frontier: next, nodes } = appendLeaf(frontier, leaf);
      const size = frontier.size;
      // The leaf, then one parent per trailing 1-bit of the old size (each closes a left sibling).
      let trailingOnes = 0;
      for (let s = size; s % 2 === 1; s = Math.floor(s / 2)) trailingOnes++;
      expect(nodes.map((n) => [n.level, n.index])).toEqual(
        Array.from({ length: trailingOnes + 1 }, (_, level) => [level, Math.floor(size / 2 ** level)]),
      );
      all.push(...nodes);
      frontier = next;
    });
    // Every perfect subtree of the final tree was reported once, with its MTH.
    expect(all).toHaveLength(2 * MAX_SIZE - perfectSubtreeCount(MAX_SIZE));
    for (const { level, index, hash } of all) {
      const width = 2 ** level;
      expect(hash.equals(referenceRoot(LEAVES.slice(index * width, (index + 1) * width)))).toBe(true);
    }
  });

  it('never modifies the frontier it is given', () => {
    const { frontier } = appendLeaves(EMPTY_FRONTIER, LEAVES.slice(0, 7));
    const before = hex(frontier.hashes);
    appendLeaf(frontier, LEAVES[7]!);
    expect(hex(frontier.hashes)).toEqual(before);
    expect(frontier.size).toBe(7);
  });

  it('appendLeaves equals appending one at a time', () => {
    const batch = appendLeaves(EMPTY_FRONTIER, LEAVES);
    let frontier: Frontier = EMPTY_FRONTIER;
    const nodes: MerkleNode[] = [];
    for (const leaf of LEAVES) {
      const result = appendLeaf(frontier, leaf);
      frontier = result.frontier;
      nodes.push(...result.nodes);
    }
    expect(hex(batch.frontier.hashes)).toEqual(hex(frontier.hashes));
    expect(batch.nodes.map((n) => `${n.level}/${n.index}/${n.hash.toString('hex')}`)).toEqual(
      nodes.map((n) => `${n.level}/${n.index}/${n.hash.toString('hex')}`),
    );
  });

  it('persisted nodes serve rootAt, and frontierAt rebuilds the frontier of every size', () => {
    const store = createMemoryNodeStore();
    let frontier: Frontier = EMPTY_FRONTIER;
    const frontiers: Frontier[] = [frontier];
    for (const leaf of LEAVES) {
      const result = appendLeaf(frontier, leaf);
      store.put(result.nodes);
      frontier = result.frontier;
      frontiers.push(frontier);
    }
    frontiers.forEach((expected, size) => {
      expect(hex(frontierAt(store, size).hashes)).toEqual(hex(expected.hashes));
      expect(rootAt(store, size).equals(rootFromFrontier(expected))).toBe(true);
    });
  });

  it('rejects malformed frontiers and leaf hashes', () => {
    const leaf = leafHash(Buffer.from('x'));
    expect(() => appendLeaf({ size: 1, hashes: [] }, leaf)).toThrow(
      'frontier of size 1 needs 1 hashes, got 0',
    );
    expect(() => appendLeaf({ size: 2, hashes: [leaf, leaf] }, leaf)).toThrow('needs 1 hashes, got 2');
    expect(() => appendLeaf({ size: -1, hashes: [] }, leaf)).toThrow('non-negative safe integer');
    expect(() => appendLeaf({ size: 1, hashes: [Buffer.alloc(31)] }, leaf)).toThrow('32 bytes');
    expect(() => appendLeaf(EMPTY_FRONTIER, Buffer.alloc(33))).toThrow('leaf hash must be 32 bytes');
    expect(() => rootFromFrontier({ size: 3, hashes: [leaf] })).toThrow('needs 2 hashes');
  });

  it('folds the frontier right to left', () => {
    const [a, b, c] = [leafHash(Buffer.from('a')), leafHash(Buffer.from('b')), leafHash(Buffer.from('c'))];
    const { frontier } = appendLeaves(EMPTY_FRONTIER, [a, b, c]);
    expect(hex(frontier.hashes)).toEqual(hex([nodeHash(a, b), c]));
    expect(rootFromFrontier(frontier).equals(nodeHash(nodeHash(a, b), c))).toBe(true);
  });
});

describe('subtreeRoot', () => {
  const store = createMemoryNodeStore();
  store.put(appendLeaves(EMPTY_FRONTIER, LEAVES).nodes);

  it(`is the MTH of every range [start, end) within ${MAX_SIZE} leaves, aligned or not`, () => {
    const wrong: string[] = [];
    for (let start = 0; start <= MAX_SIZE; start++) {
      for (let end = start; end <= MAX_SIZE; end++) {
        if (!subtreeRoot(store, start, end).equals(referenceRoot(LEAVES.slice(start, end)))) {
          wrong.push(`[${start}, ${end})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('rejects reversed and invalid ranges, and missing nodes', () => {
    expect(() => subtreeRoot(store, 5, 4)).toThrow('range [5, 4) is reversed');
    expect(() => subtreeRoot(store, 0.5, 4)).toThrow('start must be a non-negative safe integer');
    expect(() => subtreeRoot(store, 0, MAX_SIZE + 1)).toThrow(/no stored node at level 0, index 70/);
    expect(() => rootAt({ node: () => Buffer.alloc(3) }, 1)).toThrow('no 32-byte hash for node (0, 0)');
  });
});
