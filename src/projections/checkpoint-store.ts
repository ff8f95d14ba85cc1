import type { Statement } from 'better-sqlite3';
import { positionOf, type Position } from '../event-store';
import type { ReadDb } from './projection';

export interface Checkpoint {
  readonly name: string;
  readonly version: number;
  /** Last applied position; null before the first event. */
  readonly position: Position | null;
  /** Number of log events applied (the last event's ordinal). */
  readonly seq: number;
}

interface Row {
  name: string;
  version: number;
  commit_pos: bigint | null;
  prepare_pos: bigint | null;
  seq: number;
}

/** Checkpoints live in the read database, written in the same transaction as the rows they cover. */
export class CheckpointStore {
  private readonly selectOne: Statement<[string], Row>;
  private readonly upsert: Statement<[string, number, bigint | null, bigint | null, number, string]>;
  private readonly remove: Statement<[string]>;

  constructor(private readonly db: ReadDb) {
    db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (
      name TEXT PRIMARY KEY, version INTEGER NOT NULL, commit_pos INTEGER, prepare_pos INTEGER,
      seq INTEGER NOT NULL, updated_at TEXT NOT NULL) STRICT`);
    this.selectOne = db.prepare<[string], Row>('SELECT * FROM projection_checkpoints WHERE name = ?');
    this.selectOne.safeIntegers(true);
    this.upsert = db.prepare(
      `INSERT INTO projection_checkpoints (name, version, commit_pos, prepare_pos, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET version = excluded.version, commit_pos = excluded.commit_pos,
       prepare_pos = excluded.prepare_pos, seq = excluded.seq, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM projection_checkpoints WHERE name = ?');
  }

  get(name: string): Checkpoint | null {
    const row = this.selectOne.get(name);
    if (!row) return null;
    return {
      name,
      version: Number(row.version),
      position:
        row.commit_pos === null ? null : positionOf(row.commit_pos, row.prepare_pos ?? row.commit_pos),
      seq: Number(row.seq),
    };
  }

  save(checkpoint: Checkpoint): void {
    const p = checkpoint.position;
    this.upsert.run(
      checkpoint.name,
      checkpoint.version,
      p?.commit ?? null,
      p?.prepare ?? null,
      checkpoint.seq,
      new Date().toISOString(),
    );
  }

  delete(name: string): void {
    this.remove.run(name);
  }
}
