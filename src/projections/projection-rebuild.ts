import { relieveWal } from '../shared/sqlite';
import { nextTurn } from '../shared/turn';
import { comparePositions, type EventStore, type Position, type RecordedEvent } from '../event-store';
import {
  handlesType,
  inBatch,
  tablesOf,
  type EventDecoder,
  type ProjectedEvent,
  type Projection,
  type ProjectionHandler,
  type ReadDb,
} from './projection';
import { BatchSizer } from './catch-up-progress';

const SHADOW = '_rebuild';
/** Most events read and applied in one step. */
const PAGE = 1000;
/** About how long one step (one synchronous transaction) may hold the event loop. */
const STEP_MS = 10;

/** What the runner lends a rebuild: where the live copy stands, and the swap. */
export interface RebuildTarget<E extends ProjectedEvent> {
  readonly projection: Projection<E>;
  /** The runner's decoder: the shadow is fed what the live copy is fed. */
  readonly decode: EventDecoder<E>;
  /** The live copy's checkpoint now (read again after every await). */
  checkpoint(): { position: Position | null; seq: number };
  /** Called synchronously when the shadow stands exactly at the live checkpoint. */
  swap(apply: ProjectionHandler<E>): void;
}

/**
 * Rebuilds a projection into shadow tables from the start of the log while the live copy keeps
 * serving and following, then swaps them in one transaction at the live copy's exact checkpoint
 * (no await between the last check and the swap, so nothing is applied in between).
 */
export async function rebuildInShadow<E extends ProjectedEvent>(
  store: EventStore,
  db: ReadDb,
  target: RebuildTarget<E>,
): Promise<number> {
  const { projection, decode } = target;
  const shadow = tablesOf(projection.name, SHADOW);
  const live = tablesOf(projection.name);
  for (const table of projection.tables) db.exec(`DROP TABLE IF EXISTS "${shadow(table)}"`);
  db.exec(projection.schema(shadow));
  const apply = projection.bind(db, shadow);
  let at: Position | null = null;
  let seq = 0;
  const sizer = new BatchSizer(STEP_MS, Math.min(4, PAGE), PAGE);
  for (;;) {
    const goal = target.checkpoint().position;
    if (goal === null || (at !== null && comparePositions(at, goal) >= 0)) break;
    const page: RecordedEvent[] = await store.readAll({
      fromPosition: at ?? undefined,
      maxCount: sizer.size + 1,
    });
    const from: Position | null = at;
    const events: E[] = page
      .filter(
        (e) =>
          (from === null || comparePositions(e.position, from) > 0) &&
          comparePositions(e.position, goal) <= 0,
      )
      .map((e) => decode(e));
    if (events.length === 0) break;
    const started = performance.now();
    inBatch(db, [apply], () => {
      for (const e of events) {
        seq++;
        if (handlesType(projection, e.type)) apply(e, { seq });
      }
    });
    sizer.observe(events.length, performance.now() - started);
    at = events[events.length - 1]!.position;
    // The live copy keeps serving meanwhile: let the server answer between steps.
    await nextTurn();
    await relieveWal(db);
  }
  // Synchronous from here: the runner cannot apply a batch until the swap is done.
  const now = target.checkpoint().position;
  if (now !== null && (at === null || comparePositions(at, now) !== 0)) {
    return rebuildInShadow(store, db, target); // the log moved on in a way the shadow cannot follow (should not happen)
  }
  db.transaction(() => {
    for (const table of projection.tables) db.exec(`DROP TABLE IF EXISTS "${live(table)}"`);
    for (const table of projection.tables)
      db.exec(`ALTER TABLE "${shadow(table)}" RENAME TO "${live(table)}"`);
    const indexes = db
      .prepare<[], { name: string }>(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND name LIKE '${projection.name}${SHADOW}_%'`,
      )
      .all();
    for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
    db.exec(projection.schema(live));
    target.swap(projection.bind(db, live));
  })();
  return seq;
}
