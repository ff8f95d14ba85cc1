import type { Statement } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { openSqlite, type SqliteDatabase } from '../shared/sqlite';
import type { SignedCheckpoint } from './checkpoint-store';

/**
 * What the file itself records about the history it keeps: when it was started, and for a log
 * that already held events then, up to which position (the history before it is not here), and
 * whether an operator accepted that.
 */
export interface HistoryNote {
  readonly kind: 'started' | 'accepted';
  /** `started`: the log's head when this file was created (null: the log was empty). */
  readonly position: string | null;
  readonly at: string;
}

interface Row {
  size: number;
  root: Buffer;
  note: string;
  signed_at: string;
}

/**
 * Every checkpoint this instance ever signed, in a file of its own: unlike the read models it is
 * never dropped or rebuilt, so a rebuilt or tampered tree is always compared with what was published.
 * Append-only (triggers refuse UPDATE and DELETE), synchronous=FULL.
 */
export class CheckpointLog {
  private readonly db: SqliteDatabase;
  private readonly insertStmt: Statement<[number, Buffer, string, string]>;
  private readonly latestStmt: Statement<[], Row>;
  private readonly atStmt: Statement<[number], Row>;
  private readonly allStmt: Statement<[], Row>;
  /** True when the file did not exist before this instance opened it. */
  readonly createdNow: boolean;

  constructor(file: string) {
    this.createdNow = file === ':memory:' || !existsSync(file);
    this.db = openSqlite(file, { synchronous: 'FULL' });
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS checkpoints (
        size INTEGER PRIMARY KEY, root BLOB NOT NULL, note TEXT NOT NULL, signed_at TEXT NOT NULL);
      CREATE TRIGGER IF NOT EXISTS checkpoints_no_update BEFORE UPDATE ON checkpoints
        BEGIN SELECT RAISE(ABORT, 'signed checkpoints are append-only'); END;
      CREATE TRIGGER IF NOT EXISTS checkpoints_no_delete BEFORE DELETE ON checkpoints
        BEGIN SELECT RAISE(ABORT, 'signed checkpoints are append-only'); END;
      CREATE TABLE IF NOT EXISTS history (
        seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, position TEXT, at TEXT NOT NULL);
      CREATE TRIGGER IF NOT EXISTS history_no_update BEFORE UPDATE ON history
        BEGIN SELECT RAISE(ABORT, 'the checkpoint history is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS history_no_delete BEFORE DELETE ON history
        BEGIN SELECT RAISE(ABORT, 'the checkpoint history is append-only'); END;`);
    this.insertStmt = this.db.prepare(
      'INSERT INTO checkpoints (size, root, note, signed_at) VALUES (?, ?, ?, ?)',
    );
    this.latestStmt = this.db.prepare('SELECT * FROM checkpoints ORDER BY size DESC LIMIT 1');
    this.atStmt = this.db.prepare('SELECT * FROM checkpoints WHERE size = ?');
    this.allStmt = this.db.prepare('SELECT * FROM checkpoints ORDER BY size');
  }

  add(c: SignedCheckpoint): void {
    this.insertStmt.run(c.size, c.rootHash, c.note, c.signedAt);
  }

  latest(): SignedCheckpoint | null {
    return toCheckpoint(this.latestStmt.get());
  }

  at(size: number): SignedCheckpoint | null {
    return toCheckpoint(this.atStmt.get(size));
  }

  all(): SignedCheckpoint[] {
    return this.allStmt.all().map((r) => toCheckpoint(r)!);
  }

  history(): HistoryNote[] {
    return this.db.prepare('SELECT kind, position, at FROM history ORDER BY seq').all() as HistoryNote[];
  }

  note(entry: HistoryNote): void {
    this.db
      .prepare('INSERT INTO history (kind, position, at) VALUES (?, ?, ?)')
      .run(entry.kind, entry.position, entry.at);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toCheckpoint(row: Row | undefined): SignedCheckpoint | null {
  return row ? { size: row.size, rootHash: row.root, note: row.note, signedAt: row.signed_at } : null;
}
