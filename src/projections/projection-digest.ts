import { createHash } from 'node:crypto';
import { keepAlive } from '../shared/sqlite';
import { tablesOf, type ReadDb, type TableNamer } from './projection';

/**
 * SHA-256 over a projection's tables (their logical names), table by table, rows in the order of
 * all their columns: equal digests mean equal read models. Virtual tables (full-text indexes) are
 * derived from the others and left out.
 */
export function digestTables(db: ReadDb, logicalTables: readonly string[], t: TableNamer): string {
  const hash = createHash('sha256');
  for (const logical of [...logicalTables].sort()) {
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

/**
 * Digests as a reader, so that the read pool computes them in a worker: hashing every row of a
 * large read model takes seconds, which on the loop would be seconds of nothing else served.
 */
export class DigestReader {
  constructor(private readonly db: ReadDb) {}

  async digest(projection: string, logicalTables: readonly string[]): Promise<string> {
    return Promise.resolve(digestTables(this.db, logicalTables, tablesOf(projection)));
  }
}
