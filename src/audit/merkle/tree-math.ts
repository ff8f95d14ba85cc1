/**
 * Integer helpers for tree sizes and leaf indices. They use arithmetic rather than JavaScript's
 * 32-bit bitwise operators, so they stay exact for every safe integer (up to 2^53 - 1).
 */

/** True for a non-negative safe integer: a valid tree size or leaf index. */
export function isTreeSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Throws a RangeError naming `what` unless `value` is a non-negative safe integer. */
export function assertTreeSize(value: number, what: string): void {
  if (!isTreeSize(value)) {
    throw new RangeError(`${what} must be a non-negative safe integer, got ${String(value)}`);
  }
}

/** True when `n` is 2^k for some k >= 0. */
export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

/** The k of RFC 6962 §2.1: the largest power of two strictly smaller than `n` (n >= 2). */
export function largestPowerOfTwoBelow(n: number): number {
  if (n < 2) throw new RangeError(`no power of two below ${n} splits a tree`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2 of a power of two. */
export function log2Exact(powerOfTwo: number): number {
  let level = 0;
  for (let p = 1; p < powerOfTwo; p *= 2) level++;
  return level;
}

/** True when the lowest bit of `n` is set. */
export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

/** n >> 1 for any safe integer. */
export function half(n: number): number {
  return Math.floor(n / 2);
}
