import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteDatabase = Database.Database;

export interface OpenOptions {
  /** FULL for the event log (an acknowledged write survives power loss); NORMAL is enough for read models. */
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly readonly?: boolean;
}

/** Opens a SQLite file with the pragmas every database of the service uses. */
export function openSqlite(file: string, options: OpenOptions): SqliteDatabase {
  if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  db.pragma('busy_timeout = 5000');
  db.pragma('trusted_schema = OFF');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // better-sqlite3 leaves WAL at NORMAL, which can lose acknowledged writes on power loss.
    db.pragma(`synchronous = ${options.synchronous}`);
  }
  return db;
}
