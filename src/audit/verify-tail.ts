import type { ExportLine } from './audit-leaf';
import { rootAt, type NodeReader } from './merkle';
import { eventProblem, type TrustedRoot, type VerifyProblem } from './verify-log';

export interface TailReport {
  readonly ok: boolean;
  /** Events hashed again: those logged since the last signed checkpoint. */
  readonly checked: number;
  readonly firstBad: VerifyProblem | null;
  readonly treeProblem: string | null;
}

/**
 * The check at start, cheap whatever the log's size: the tree must still build every signed root
 * (a tree rebuilt from an altered log, or a truncated one, does not), and each event logged since
 * the last signed checkpoint must still be the one its leaf was computed from. Events before that
 * are covered by the signed roots only as far as the tree goes; re-reading them is the periodic
 * full verification's work.
 */
export async function verifyTail(
  tree: NodeReader & { readonly size: number },
  trusted: readonly TrustedRoot[],
  linesFrom: (fromIndex: number) => AsyncIterable<ExportLine>,
): Promise<TailReport> {
  const size = tree.size;
  let previous = 0;
  let treeProblem: string | null = null;
  for (const root of [...trusted].sort((a, b) => a.size - b.size)) {
    if (root.size > size) {
      treeProblem = `the tree has ${size} leaves, fewer than the ${root.size} a signed checkpoint covers (the log was truncated)`;
      break;
    }
    if (!rootAt(tree, root.size).equals(root.rootHash)) {
      treeProblem =
        `the tree no longer builds the root signed at size ${root.size}: ` +
        `something among leaves ${previous}..${root.size - 1} was changed and the tree rebuilt from it`;
      break;
    }
    previous = root.size;
  }
  let checked = 0;
  let firstBad: VerifyProblem | null = null;
  if (!treeProblem) {
    for await (const line of linesFrom(previous)) {
      checked++;
      firstBad =
        line.leafHash === null
          ? { leafIndex: line.leafIndex, position: null, problem: 'no leaf was recorded for this event' }
          : eventProblem(line, Buffer.from(line.leafHash, 'base64'));
      if (firstBad) break;
    }
  }
  return { ok: !treeProblem && !firstBad, checked, firstBad, treeProblem };
}
