import { EMPTY_FRONTIER, appendLeaves } from './compact-range';
import { createMemoryLog, createMemoryNodeStore } from './memory-node-store';
import { consistencyProof, inclusionProof } from './proofs';
import { LEAVES } from './testing/fixtures';

const log = createMemoryLog(LEAVES.slice(0, 10));

describe('proof arguments', () => {
  it('inclusionProof needs 0 <= index < size', () => {
    expect(() => inclusionProof(log.reader, 3, 3)).toThrow('leaf index 3 is not below tree size 3');
    expect(() => inclusionProof(log.reader, 0, 0)).toThrow(RangeError);
    expect(() => inclusionProof(log.reader, -1, 3)).toThrow('index must be a non-negative safe integer');
    expect(() => inclusionProof(log.reader, 0, 2.5)).toThrow('size must be a non-negative safe integer');
    expect(inclusionProof(log.reader, 0, 1)).toEqual([]);
  });

  it('consistencyProof needs 0 < size1 <= size2', () => {
    expect(() => consistencyProof(log.reader, 0, 3)).toThrow('no consistency proof from the empty tree');
    expect(() => consistencyProof(log.reader, 4, 3)).toThrow('size1 4 is larger than size2 3');
    expect(() => consistencyProof(log.reader, NaN, 3)).toThrow('size1 must be a non-negative safe integer');
    expect(consistencyProof(log.reader, 7, 7)).toEqual([]);
  });

  it('proofs past the stored tree name the missing node', () => {
    expect(() => inclusionProof(log.reader, 0, 11)).toThrow('no stored node at level 0, index 10');
    expect(() => consistencyProof(log.reader, 3, 12)).toThrow(/no stored node/);
  });
});

describe('memory node store', () => {
  it('refuses to overwrite a node with a different hash, accepts the same one', () => {
    const store = createMemoryNodeStore();
    const { nodes } = appendLeaves(EMPTY_FRONTIER, LEAVES.slice(0, 2));
    store.put(nodes);
    store.put(nodes);
    expect(store.count()).toBe(3);
    expect(() => store.put([{ level: 0, index: 1, hash: LEAVES[5]! }])).toThrow(
      'node (0, 1) is already stored with a different hash',
    );
    expect(() => store.put([{ level: 0, index: 2, hash: Buffer.alloc(2) }])).toThrow('must be 32 bytes');
  });

  it('memory log tracks size and frontier', () => {
    const fresh = createMemoryLog();
    expect(fresh.size()).toBe(0);
    const completed = fresh.append(LEAVES[0]!);
    expect(completed.map((n) => [n.level, n.index])).toEqual([[0, 0]]);
    expect(fresh.append(LEAVES[1]!).map((n) => [n.level, n.index])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(fresh.size()).toBe(2);
    expect(fresh.frontier().hashes).toHaveLength(1);
  });
});
