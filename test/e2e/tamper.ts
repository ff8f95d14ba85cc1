import { openSqlite, type SqliteDatabase } from '../../src/shared/sqlite';

export type Tamper = (db: SqliteDatabase, total: number) => number;

interface EventRow {
  position: number;
  event_id: string;
  stream: string;
  revision: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  content_hash: string;
}

const insert = (db: SqliteDatabase, row: EventRow): void => {
  db.prepare(
    `INSERT INTO events (position, event_id, stream, revision, type, schema_version, data, metadata, content_hash)
     VALUES (@position, @event_id, @stream, @revision, @type, @schema_version, @data, @metadata, @content_hash)`,
  ).run(row);
};
const rowAt = (db: SqliteDatabase, position: number): EventRow =>
  db.prepare('SELECT * FROM events WHERE position = ?').get(position) as EventRow;

/** Each tampering returns the first position that must be named. */
export const TAMPERINGS: Record<string, Tamper> = {
  'change one byte of an event’s data': (db) => {
    const row = rowAt(db, 30);
    // One letter inside a string value, so the row still parses: only the content is false.
    const i = row.data.search(/:"[a-z]/) + 2;
    const changed = row.data.slice(0, i) + (row.data[i] === 'x' ? 'y' : 'x') + row.data.slice(i + 1);
    db.prepare('UPDATE events SET data = ? WHERE position = 30').run(changed);
    return 30;
  },
  'swap two rows': (db) => {
    const a = rowAt(db, 25);
    const b = rowAt(db, 40);
    db.prepare('DELETE FROM events WHERE position IN (25, 40)').run();
    insert(db, { ...b, position: 25 });
    insert(db, { ...a, position: 40 });
    return 25;
  },
  'delete a middle row': (db) => {
    db.prepare('DELETE FROM events WHERE position = 33').run();
    return 33;
  },
  'truncate the tail': (db, total) => {
    db.prepare('DELETE FROM events WHERE position > ?').run(total - 5);
    return total - 4;
  },
  're-append after truncation': (db, total) => {
    const last = rowAt(db, total);
    db.prepare('DELETE FROM events WHERE position > ?').run(total - 3);
    for (let p = total - 2; p <= total; p++) {
      insert(db, {
        ...last,
        position: p,
        event_id: `00000000-0000-4000-8000-00000000000${p % 10}`,
        stream: `entry-forged-${p}`,
        revision: 0,
      });
    }
    return total - 2;
  },
};

/** The events file of a stopped service, with its append-only triggers dropped, as an attacker would. */
export function openForTampering(eventsFile: string): SqliteDatabase {
  const db = openSqlite(eventsFile, { synchronous: 'NORMAL' });
  db.exec('DROP TRIGGER events_are_append_only_update; DROP TRIGGER events_are_append_only_delete;');
  return db;
}
