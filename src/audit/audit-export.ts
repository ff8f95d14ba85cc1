import type { EventStore, Position, RecordedEvent } from '../event-store';
import { comparePositions, parsePosition } from '../event-store';
import { nextTurn } from '../shared/turn';
import { loggedEvent, type ExportLine } from './audit-leaf';
import type { AuditTreeTables } from './audit.projection';

const PAGE = 1000;

/**
 * The log as the store holds it now, beside the leaves recorded when each event was logged, for
 * leaves fromIndex..size-1. Events are paired with leaves by their place in the log order, so a
 * deleted, inserted or reordered event shows up as a mismatch at the first place it shifts. From
 * a later leaf, the log is read after the position recorded for the leaf before it.
 */
export async function* exportLines(
  store: Pick<EventStore, 'readAll'>,
  tree: AuditTreeTables,
  size: number,
  fromIndex = 0,
): AsyncGenerator<ExportLine> {
  let index = fromIndex;
  let after: Position | null = index > 0 ? recordedPosition(tree, index - 1) : null;
  while (index < size) {
    const page = await store.readAll({ fromPosition: after ?? undefined, maxCount: PAGE + 1 });
    const from = after;
    const events: RecordedEvent[] = from ? page.filter((e) => comparePositions(e.position, from) > 0) : page;
    if (events.length === 0) break;
    const leaves = tree.leaves(index, Math.min(events.length, size - index));
    for (let i = 0; i < leaves.length; i++) {
      const leaf = leaves[i]!;
      yield {
        leafIndex: index,
        leafHash: leaf.index === index ? leaf.hash.toString('base64') : null,
        recordedPosition: leaf.index === index ? leaf.position : null,
        event: loggedEvent(events[i]!),
      };
      index++;
    }
    if (leaves.length < events.length) break;
    after = events[events.length - 1]!.position;
    // SQLite pages are read synchronously: a verify of the whole log would otherwise hold the
    // server for all of it.
    await nextTurn();
  }
  // Leaves the store no longer has an event for (a truncated or deleted tail).
  while (index < size) {
    const leaves = tree.leaves(index, Math.min(PAGE, size - index));
    if (leaves.length === 0) return;
    for (const leaf of leaves) {
      if (leaf.index >= size) return;
      yield {
        leafIndex: leaf.index,
        leafHash: leaf.hash.toString('base64'),
        recordedPosition: leaf.position,
        event: null,
      };
    }
    index = leaves[leaves.length - 1]!.index + 1;
    await nextTurn();
  }
}

function recordedPosition(tree: AuditTreeTables, index: number): Position | null {
  const leaf = tree.leaves(index, 1)[0];
  return leaf && leaf.index === index ? parsePosition(leaf.position) : null;
}
