import type { Statement } from 'better-sqlite3';
import type { EventMetadata, JsonObject, RecordedEvent } from '../event-store.port';
import { positionOf } from '../position';
import type { SqliteDatabase } from '../../shared/sqlite';

/** A row of the events table as better-sqlite3 returns it (integers as bigint). */
export interface EventRow {
  position: bigint;
  event_id: string;
  stream: string;
  revision: bigint;
  type: string;
  schema_version: bigint;
  data: string;
  metadata: string;
  content_hash: string;
}

export const COLUMNS =
  'position, event_id, stream, revision, type, schema_version, data, metadata, content_hash';

/** Every SQL statement the adapter runs, prepared once. */
export class EventStatements {
  readonly insert: Statement<[string, string, bigint, string, number, string, string, string]>;
  readonly byEventId: Statement<[string], EventRow>;
  readonly streamRevision: Statement<[string], { revision: bigint | null }>;
  readonly streamForwards: Statement<[string, bigint, number], EventRow>;
  readonly streamBackwards: Statement<[string, bigint, number], EventRow>;
  /** From a position up to another (inclusive), in log order. */
  readonly allForwards: Statement<[bigint, bigint, number], EventRow>;
  readonly head: Statement<[], { position: bigint | null }>;
  readonly lastRecordedAt: Statement<[], { metadata: string }>;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(
      `INSERT INTO events (event_id, stream, revision, type, schema_version, data, metadata, content_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING position`,
    );
    this.byEventId = db.prepare<[string], EventRow>(`SELECT ${COLUMNS} FROM events WHERE event_id = ?`);
    this.streamRevision = db.prepare<[string], { revision: bigint | null }>(
      'SELECT max(revision) AS revision FROM events WHERE stream = ?',
    );
    this.streamForwards = db.prepare<[string, bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
    );
    this.streamBackwards = db.prepare<[string, bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    );
    this.allForwards = db.prepare<[bigint, bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position BETWEEN ? AND ? ORDER BY position ASC LIMIT ?`,
    );
    this.head = db.prepare<[], { position: bigint | null }>('SELECT max(position) AS position FROM events');
    this.lastRecordedAt = db.prepare<[], { metadata: string }>(
      'SELECT metadata FROM events ORDER BY position DESC LIMIT 1',
    );
    for (const s of [
      this.insert,
      this.byEventId,
      this.streamRevision,
      this.streamForwards,
      this.streamBackwards,
      this.allForwards,
      this.head,
    ]) {
      s.safeIntegers(true);
    }
  }
}

export function rowToEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    stream: row.stream,
    revision: row.revision,
    position: positionOf(row.position),
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as EventMetadata,
  };
}
