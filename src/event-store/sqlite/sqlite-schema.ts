import type { SqliteDatabase } from '../../shared/sqlite';

/** Version of the events schema, kept in PRAGMA user_version. */
export const EVENTS_SCHEMA_VERSION = 1;

const V1 = `
CREATE TABLE events (
  position       INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id       TEXT    NOT NULL UNIQUE,
  stream         TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  data           TEXT    NOT NULL,
  metadata       TEXT    NOT NULL,
  content_hash   TEXT    NOT NULL,
  UNIQUE (stream, revision)
) STRICT;
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
`;

/** Creates or checks the events schema; refuses a file written by a newer version. */
export function migrateEventsSchema(db: SqliteDatabase): void {
  const current = db.prepare<[], { user_version: number }>('PRAGMA user_version').get()?.user_version ?? 0;
  if (current > EVENTS_SCHEMA_VERSION) {
    throw new Error(
      `events database has schema version ${current}; this build understands up to ${EVENTS_SCHEMA_VERSION}`,
    );
  }
  if (current === EVENTS_SCHEMA_VERSION) return;
  db.transaction(() => {
    db.exec(V1);
    db.exec(`PRAGMA user_version = ${EVENTS_SCHEMA_VERSION}`);
  }).immediate();
}
