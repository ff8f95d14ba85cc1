import { isKeyEventType } from '../auth/access.model';
import { auditLeafHash, type ExportLine } from './audit-leaf';
import { appendLeaf, EMPTY_FRONTIER, rootFromFrontier, type Frontier } from './merkle';

/** A root the verifier trusts: taken from a signed checkpoint whose signature was checked. */
export interface TrustedRoot {
  readonly size: number;
  readonly rootHash: Buffer;
}

export interface VerifyProblem {
  readonly leafIndex: number;
  /** The first bad position (as the log recorded it, or as the store holds it now). */
  readonly position: string | null;
  readonly problem: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  /** Leaves checked. */
  readonly checked: number;
  /** Events whose data the export gives only as its hash (API key events). */
  readonly redacted: number;
  /** Root of the recorded leaves (base64). */
  readonly rootHash: string | null;
  readonly checkpoints: ReadonlyArray<{ size: number; matches: boolean }>;
  /** The first event that is not what was logged; null when every event matches. */
  readonly firstBad: VerifyProblem | null;
  /** A problem with the tree itself (e.g. it no longer matches a signed checkpoint). */
  readonly treeProblem: string | null;
}

/**
 * Checks an audit export line by line against itself and against trusted roots: every event must
 * hash to the leaf recorded for it, at the position it was recorded at, with no leaf missing; the
 * recorded leaves must build the roots that were signed. The same code runs in the service
 * (`/v1/audit/verify`) and offline (`chronology verify`), so both name the same first bad position.
 */
export async function verifyExport(
  lines: AsyncIterable<ExportLine> | Iterable<ExportLine>,
  trusted: readonly TrustedRoot[],
): Promise<VerifyReport> {
  const pending = [...trusted].sort((a, b) => a.size - b.size);
  const checkpoints: Array<{ size: number; matches: boolean }> = [];
  let frontier: Frontier = EMPTY_FRONTIER;
  let firstBad: VerifyProblem | null = null;
  let treeProblem: string | null = null;
  let previousSize = 0;
  let redacted = 0;

  const checkRoots = (): void => {
    while (pending.length > 0 && pending[0]!.size === frontier.size) {
      const root = pending.shift()!;
      const matches = rootFromFrontier(frontier).equals(root.rootHash);
      checkpoints.push({ size: root.size, matches });
      if (!matches && !treeProblem) {
        treeProblem =
          `the recorded leaves do not build the root signed at size ${root.size}: ` +
          `something among leaves ${previousSize}..${root.size - 1} was changed and the tree rebuilt from it`;
      }
      previousSize = root.size;
    }
  };

  for await (const line of lines) {
    const index = frontier.size;
    if (line.leafIndex !== index) {
      firstBad ??= {
        leafIndex: index,
        position: line.recordedPosition,
        problem: `the export has leaf ${line.leafIndex} where leaf ${index} belongs`,
      };
      break;
    }
    if (line.leafHash === null) {
      firstBad ??= {
        leafIndex: index,
        position: line.event?.position ?? null,
        problem: 'no leaf was recorded for this event',
      };
      break;
    }
    const recorded = Buffer.from(line.leafHash, 'base64');
    if (line.event?.data === undefined && line.event) redacted++;
    firstBad ??= eventProblem(line, recorded);
    frontier = appendLeaf(frontier, recorded).frontier;
    checkRoots();
  }

  for (const root of pending) {
    checkpoints.push({ size: root.size, matches: false });
    treeProblem ??= `the log has ${frontier.size} leaves, fewer than the ${root.size} a signed checkpoint covers (truncated)`;
  }
  return {
    ok: firstBad === null && treeProblem === null,
    checked: frontier.size,
    redacted,
    rootHash: frontier.size > 0 ? rootFromFrontier(frontier).toString('base64') : null,
    checkpoints,
    firstBad,
    treeProblem,
  };
}

/** What is wrong with one export line's event against the leaf recorded for it; null when nothing. */
export function eventProblem(line: ExportLine, recorded: Buffer): VerifyProblem | null {
  const at = { leafIndex: line.leafIndex, position: line.recordedPosition };
  if (!line.event) {
    return {
      ...at,
      problem: `the store no longer holds the event logged at position ${line.recordedPosition}`,
    };
  }
  if (line.event.position !== line.recordedPosition) {
    return {
      ...at,
      problem: `leaf ${line.leafIndex} was logged at position ${line.recordedPosition}, but the store now has position ${line.event.position} there (events deleted, inserted or reordered)`,
    };
  }
  if (line.event.data === undefined && !isKeyEventType(line.event.type)) {
    // The leaf would still match its hash, but the verifier never saw what it commits to.
    return {
      ...at,
      problem: `the export withholds the data of this ${line.event.type} event (only API key events are redacted)`,
    };
  }
  let hash: Buffer;
  try {
    hash = auditLeafHash(line.event);
  } catch {
    return { ...at, problem: `the export line carries neither the event's data nor its hash` };
  }
  if (!hash.equals(recorded)) {
    return {
      ...at,
      problem: `the event at position ${line.event.position} is not the one logged there (its data, metadata or identity changed)`,
    };
  }
  return null;
}
