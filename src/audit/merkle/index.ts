/** RFC 6962 / RFC 9162 Merkle tree: hashing, incremental appends, proofs from stored nodes, verifiers. */
export { HASH_SIZE, EMPTY_ROOT, emptyRoot, isHash, leafHash, nodeHash } from './hashing';
export type { AppendResult, Frontier, MerkleNode } from './compact-range';
export {
  EMPTY_FRONTIER,
  appendLeaf,
  appendLeaves,
  assertFrontier,
  frontierAt,
  perfectSubtreeCount,
  rootFromFrontier,
} from './compact-range';
export type { NodeReader } from './node-reader';
export { readNode, rootAt, subtreeRoot } from './node-reader';
export { consistencyProof, inclusionProof } from './proofs';
export { verifyConsistency, verifyInclusion } from './verify';
export type { MemoryLog, MemoryNodeStore } from './memory-node-store';
export { createMemoryLog, createMemoryNodeStore } from './memory-node-store';
export { isTreeSize } from './tree-math';
