import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Dist, StoreLike } from './scale-dist';
import { Generator } from './scale-generator';
import { YEAR } from './scale-registry';
import { nowMs } from './stats';

/**
 * Bulk-loads the scale benchmark's log, size after size: generated events (scale-generator.ts)
 * appended to a SqliteEventStore in chunks, and the same rows into a raw better-sqlite3 table in
 * the same run (the baseline). One generator for the whole run, so each size extends the log the
 * previous one left.
 */

export interface LoadResult {
  /** Events this step added (the log holds `total`). */
  readonly events: number;
  readonly total: number;
  readonly appends: number;
  /** Write side planning (validation, intake, deciders): not part of the bulk-load figure. */
  readonly generateMs: number;
  /** SqliteEventStore.append, group-committed (the appends of a chunk in flight together). */
  readonly storeMs: number;
  /** The same rows into the same table shape with raw better-sqlite3, 1,000 rows per transaction. */
  readonly rawMs: number;
}

const RAW_SCHEMA = `CREATE TABLE events (
  position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
  revision INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL,
  metadata TEXT NOT NULL, content_hash TEXT NOT NULL, UNIQUE (stream, revision)) STRICT`;

type Row = [string, string, bigint, string, number, string, string, string];

export class ScaleLoader {
  readonly generator: Generator;
  private readonly raw: Database.Database;
  private readonly insertMany: (rows: Row[]) => void;
  private loaded = 0;

  constructor(dist: Dist, baselineDir: string) {
    this.generator = new Generator(dist);
    this.raw = new Database(join(baselineDir, 'raw-events.db'));
    this.raw.pragma('journal_mode = WAL');
    this.raw.pragma('synchronous = FULL');
    this.raw.exec(RAW_SCHEMA);
    const insert = this.raw.prepare(
      'INSERT INTO events (event_id, stream, revision, type, schema_version, data, metadata, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertMany = this.raw.transaction((rows: Row[]) => {
      for (const r of rows) insert.run(...r);
    });
  }

  /** Events in the log so far. */
  get total(): number {
    return this.loaded;
  }

  /**
   * Generates events until the log holds at least `total` and appends them chunk by chunk to
   * `store`; each chunk also goes into the raw baseline database just before, so both see the same
   * disk at the same time.
   */
  async loadTo(
    store: StoreLike,
    total: number,
    onProgress: (done: number) => void,
    chunk = 10_000,
  ): Promise<LoadResult> {
    const result = { events: 0, appends: 0, generateMs: 0, storeMs: 0, rawMs: 0 };
    const recordedAt = new Date(Date.UTC(YEAR, 0, 1)).toISOString();
    while (this.loaded < total) {
      const g0 = nowMs();
      const appends = await this.generator.next(Math.min(chunk, total - this.loaded));
      result.generateMs += nowMs() - g0;
      const rows: Row[] = [];
      for (const a of appends) {
        let rev = a.expectedRevision === 'no_stream' ? -1n : a.expectedRevision;
        for (const e of a.events) {
          rev += 1n;
          const meta = JSON.stringify({ ...e.metadata, recordedAt });
          rows.push([e.id, a.stream, rev, e.type, e.schemaVersion, JSON.stringify(e.data), meta, '']);
        }
      }
      const r0 = nowMs();
      for (let i = 0; i < rows.length; i += 1000) this.insertMany(rows.slice(i, i + 1000));
      result.rawMs += nowMs() - r0;

      const s0 = nowMs();
      await Promise.all(
        appends.map((a) => store.append(a.stream, a.events, { expectedRevision: a.expectedRevision })),
      );
      result.storeMs += nowMs() - s0;
      result.events += rows.length;
      result.appends += appends.length;
      this.loaded += rows.length;
      onProgress(this.loaded);
    }
    return { ...result, total: this.loaded };
  }

  close(): void {
    this.raw.close();
  }
}
