/**
 * A log position: opaque to clients, totally ordered. The embedded store uses one counter
 * (commit === prepare === row id); EventStoreDB uses a commit/prepare pair.
 * On the wire it is a string: "42" when both parts are equal, "commit-prepare" otherwise.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

const WIRE = /^(\d{1,20})(?:-(\d{1,20}))?$/;

export function positionOf(commit: bigint, prepare: bigint = commit): Position {
  return { commit, prepare };
}

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function formatPosition(p: Position): string {
  return p.commit === p.prepare ? p.commit.toString() : `${p.commit}-${p.prepare}`;
}

/** Parses the wire form; returns null for anything that is not one. */
export function parsePosition(text: string): Position | null {
  const m = WIRE.exec(text.trim());
  if (!m) return null;
  const commit = BigInt(m[1]!);
  const prepare = m[2] === undefined ? commit : BigInt(m[2]);
  const max = 2n ** 64n - 1n;
  if (commit > max || prepare > max) return null;
  return { commit, prepare };
}
