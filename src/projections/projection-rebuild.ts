import { createHash } from 'node:crypto';
import { keepAlive } from '../shared/sqlite';
import { comparePositions, type EventStore, type Position, type RecordedEvent } from '../event-store';
import {
  handlesType,
  tablesOf,
  type EventDecoder,
  type ProjectedEvent,
  type Projection,
  type ProjectionHandler,
  type ReadDb,
  type TableNamer,
} from './projection';

const SHADOW = '_rebuild';
const PAGE = 1000;

/**
 * SHA-256 over a projection's rows, table by table, rows in the order of all their columns: equal
 * digests mean equal read models. Virtual tables (full-text indexes) are derived from the others.
 */
export function projectionDigest<E extends ProjectedEvent>(
  db: ReadDb,
  projection: Projection<E>,
  t: TableNamer = tablesOf(projection.name),
): string {
  const hash = createHash('sha256');
  for (const logical of [...projection.tables].sort()) {
    const table = t(logical);
    const meta = db
      .prepare<[string], { sql: string | null }>(
        `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`,
      )
      .get(table);
    if (!meta || /CREATE VIRTUAL TABLE/i.test(meta.sql ?? '')) continue;
    const columns = db
      .prepare(`SELECT * FROM "${table}" LIMIT 0`)
      .columns()
      .map((c) => `"${c.name}"`);
    hash.update(`${logical}\n`);
    const rows = db
      .prepare(`SELECT * FROM "${table}" ORDER BY ${columns.join(', ')}`)
      .raw(true)
      .safeIntegers(true);
    for (const row of keepAlive(rows.iterate()) as IterableIterator<unknown[]>) {
      hash.update(
        JSON.stringify(row, (_k, v: unknown) =>
          typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('base64') : v,
        ),
      );
      hash.update('\n');
    }
  }
  return hash.digest('hex');
}

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
  for (;;) {
    const goal = target.checkpoint().position;
    if (goal === null || (at !== null && comparePositions(at, goal) >= 0)) break;
    const page: RecordedEvent[] = await store.readAll({ fromPosition: at ?? undefined, maxCount: PAGE + 1 });
    const from: Position | null = at;
    const events: E[] = page
      .filter(
        (e) =>
          (from === null || comparePositions(e.position, from) > 0) &&
          comparePositions(e.position, goal) <= 0,
      )
      .map((e) => decode(e));
    if (events.length === 0) break;
    db.transaction(() => {
      for (const e of events) {
        seq++;
        if (handlesType(projection, e.type)) apply(e, { seq });
      }
    })();
    at = events[events.length - 1]!.position;
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
