import type { Database } from 'better-sqlite3';
import type { LogEvent } from '../chronology/events';
import type { Position, RecordedEvent } from '../event-store';

/** Injection token for the read-model database (SQLite, separate from the event log). */
export const READ_DB = Symbol('READ_DB');

/**
 * Page cache of each connection to the read models (the runner's, each read worker's), in MiB:
 * enough for the index pages a page, a search or a batch of projections touches again and again.
 */
export const READ_MODEL_CACHE_MB = 64;
export type ReadDb = Database;

/** Physical name of one of a projection's tables ("entries" -> "timeline_entries"). */
export type TableNamer = (logical: string) => string;

export const tablesOf =
  (projection: string, generation = ''): TableNamer =>
  (logical) =>
    `${projection}${generation}_${logical}`;

export interface ApplyContext {
  /** 1-based ordinal of the event in the log as this runner reads it (leaf number for the audit tree). */
  readonly seq: number;
}

/** What a projection is fed: an event with a type and a place in the log. */
export interface ProjectedEvent {
  readonly type: string;
  readonly position: Position;
}

/**
 * Turns an event as read from the store into what projections receive, once per event for all of
 * them: the service decodes (`decodeEvent`: type checked, data upcast to the current version).
 */
export type EventDecoder<E extends ProjectedEvent> = (event: RecordedEvent) => E;

export type ProjectionHandler<E extends ProjectedEvent = LogEvent> = ((
  event: E,
  context: ApplyContext,
) => void) & {
  /**
   * Writes what the handler keeps for the end of a batch (e.g. counters summed over it), inside
   * the batch's transaction, after its last event. The runner and rebuilds call it once per batch.
   */
  readonly endBatch?: () => void;
  /** Forgets what it kept: the batch's transaction is being rolled back. */
  readonly abortBatch?: () => void;
};

/**
 * Applies `events` (ordinals from `seq`) with `handler` inside `db`'s transaction, then its
 * end-of-batch writes; on an error nothing of the batch stays, in the tables or the handler.
 */
export function inBatch<T>(db: ReadDb, handlers: ReadonlyArray<ProjectionHandler<never>>, work: () => T): T {
  try {
    return db.transaction(() => {
      const result = work();
      for (const h of handlers) h.endBatch?.();
      return result;
    })();
  } catch (e) {
    for (const h of handlers) h.abortBatch?.();
    throw e;
  }
}

/**
 * A read model: pure over its own tables. It is disposable: dropped and rebuilt from the log at any
 * time, and rebuilt on start when its version changes. Its handler receives decoded events
 * (`LogEvent`: narrowing `type` narrows `data`).
 */
export interface Projection<E extends ProjectedEvent = LogEvent> {
  readonly name: string;
  readonly version: number;
  /** Event types it reads ('all' for every event); the runner skips the others without calling it. */
  readonly handles: ReadonlySet<E['type']> | 'all';
  /** Logical names of its tables (dropped on rebuild). */
  readonly tables: readonly string[];
  /** DDL creating its tables and indexes (IF NOT EXISTS). */
  schema(t: TableNamer): string;
  /** Prepares its statements and returns the function that applies one event. */
  bind(db: ReadDb, t: TableNamer): ProjectionHandler<E>;
}

export function handlesType<E extends ProjectedEvent>(projection: Projection<E>, type: E['type']): boolean {
  return projection.handles === 'all' || projection.handles.has(type);
}

export function dropTables<E extends ProjectedEvent>(
  db: ReadDb,
  projection: Projection<E>,
  t: TableNamer,
): void {
  for (const table of projection.tables) db.exec(`DROP TABLE IF EXISTS "${t(table)}"`);
}
