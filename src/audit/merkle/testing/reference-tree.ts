import { emptyRoot, nodeHash } from '../hashing';
import { largestPowerOfTwoBelow } from '../tree-math';

/*
 * A deliberately naive oracle: RFC 6962 §2.1 MTH and RFC 9162 §2.1.3.1 PATH / §2.1.4.1 PROOF written
 * literally over an array of leaf hashes, with no stored nodes. The library is checked against it.
 */

export function referenceRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return emptyRoot();
  if (leaves.length === 1) return leaves[0] as Buffer;
  const k = largestPowerOfTwoBelow(leaves.length);
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

export function referencePath(m: number, leaves: readonly Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k
    ? [...referencePath(m, leaves.slice(0, k)), referenceRoot(leaves.slice(k))]
    : [...referencePath(m - k, leaves.slice(k)), referenceRoot(leaves.slice(0, k))];
}

export function referenceProof(m: number, leaves: readonly Buffer[]): Buffer[] {
  return referenceSubproof(m, leaves, true);
}

function referenceSubproof(m: number, leaves: readonly Buffer[], complete: boolean): Buffer[] {
  if (m === leaves.length) return complete ? [] : [referenceRoot(leaves)];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m <= k
    ? [...referenceSubproof(m, leaves.slice(0, k), complete), referenceRoot(leaves.slice(k))]
    : [...referenceSubproof(m - k, leaves.slice(k), false), referenceRoot(leaves.slice(0, k))];
}
