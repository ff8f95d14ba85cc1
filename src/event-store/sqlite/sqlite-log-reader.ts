import { openSqlite } from '../../shared/sqlite';
import type { ReadAllOptions, RecordedEvent } from '../event-store.port';
import { COLUMNS, rowToEvent, type EventRow } from './sqlite-statements';

/**
 * A read-only connection to the events file, for a worker thread that reads the whole log (the
 * audit verification) without taking turns from the service's event loop. It reads what is
 * committed; the caller bounds what it reads (the audit tree's size) to what was acknowledged.
 */
export class SqliteLogReader {
  private readonly db;
  private readonly page;

  constructor(file: string) {
    this.db = openSqlite(file, { synchronous: 'NORMAL', readonly: true });
    this.page = this.db.prepare<[bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position >= ? ORDER BY position ASC LIMIT ?`,
    );
    this.page.safeIntegers(true); // positions and revisions are bigints, as the store reads them
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const rows = this.page.all(options.fromPosition?.commit ?? 0n, options.maxCount ?? 1000);
    return Promise.resolve(rows.map(rowToEvent));
  }

  close(): void {
    this.db.close();
  }
}
