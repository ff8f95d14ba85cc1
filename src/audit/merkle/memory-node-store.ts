import type { AppendResult, Frontier, MerkleNode } from './compact-range';
import { EMPTY_FRONTIER, appendLeaf } from './compact-range';
import { isHash } from './hashing';
import type { NodeReader } from './node-reader';

/** An in-memory, append-only store of perfect nodes (for tests, tools and offline verification). */
export interface MemoryNodeStore extends NodeReader {
  /** Stores nodes; storing a node again is fine only with the same hash. */
  put(nodes: readonly MerkleNode[]): void;
  /** How many nodes are stored. */
  count(): number;
}

/** A whole in-memory Merkle log: a frontier plus a node store fed by its appends. */
export interface MemoryLog {
  readonly reader: NodeReader;
  size(): number;
  frontier(): Frontier;
  /** Appends a leaf hash and returns the nodes it completed. */
  append(leaf: Uint8Array): AppendResult['nodes'];
}

const keyOf = (level: number, index: number): string => `${level}/${index}`;

export function createMemoryNodeStore(): MemoryNodeStore {
  const nodes = new Map<string, Buffer>();
  return {
    node(level, index) {
      const hash = nodes.get(keyOf(level, index));
      if (hash === undefined) throw new RangeError(`no stored node at level ${level}, index ${index}`);
      return hash;
    },
    put(added) {
      for (const { level, index, hash } of added) {
        if (!isHash(hash)) throw new RangeError(`node (${level}, ${index}) hash must be 32 bytes`);
        const key = keyOf(level, index);
        const existing = nodes.get(key);
        if (existing !== undefined && !existing.equals(hash)) {
          throw new Error(`node (${level}, ${index}) is already stored with a different hash`);
        }
        nodes.set(key, Buffer.from(hash));
      }
    },
    count: () => nodes.size,
  };
}

/** Creates an in-memory log, optionally pre-filled with leaf hashes. */
export function createMemoryLog(leaves: Iterable<Uint8Array> = []): MemoryLog {
  const store = createMemoryNodeStore();
  let frontier = EMPTY_FRONTIER;
  const append = (leaf: Uint8Array): readonly MerkleNode[] => {
    const result = appendLeaf(frontier, leaf);
    store.put(result.nodes);
    frontier = result.frontier;
    return result.nodes;
  };
  for (const leaf of leaves) append(leaf);
  return { reader: store, size: () => frontier.size, frontier: () => frontier, append };
}
