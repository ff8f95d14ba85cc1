import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { nowMs, summarize, type Summary } from './stats';

export interface BaselineResult {
  readonly events: number;
  readonly perEventTx: { eventsPerSec: number; latency: Summary };
  /** The largest batch: what "raw batched" means in the tables. */
  readonly batchedTx: { eventsPerSec: number; batch: number };
  /** Every batch size measured, smallest first. */
  readonly perBatch: ReadonlyArray<{ eventsPerSec: number; batch: number }>;
}

/**
 * Raw better-sqlite3 on the same disk as the service: the same JSON bodies into a WAL,
 * synchronous=FULL table, one transaction (and fsync) per event, then each of `batches` events per
 * transaction.
 */
export function sqliteBaseline(
  dir: string,
  payloads: string[],
  tag: string,
  batches: readonly number[] = [64, 1000],
): BaselineResult {
  const open = (name: string): Database.Database => {
    const db = new Database(join(dir, name));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE events (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      data TEXT NOT NULL,
      recorded TEXT NOT NULL
    )`);
    return db;
  };
  const rows = payloads.map((p) => ({ type: (JSON.parse(p) as { type: string }).type, data: p }));
  const sql = 'INSERT INTO events (id, type, data, recorded) VALUES (?, ?, ?, ?)';

  const single = open(`${tag}-single.db`);
  const insertOne = single.prepare(sql);
  const latencies: number[] = [];
  const t0 = nowMs();
  for (const r of rows) {
    const s = nowMs();
    insertOne.run(randomUUID(), r.type, r.data, new Date().toISOString());
    latencies.push(nowMs() - s);
  }
  const singleMs = nowMs() - t0;
  single.close();

  const perBatch = batches.map((batch) => {
    const batched = open(`${tag}-batched-${batch}.db`);
    const insertMany = batched.prepare(sql);
    const many = batched.transaction((chunk: typeof rows) => {
      for (const r of chunk) insertMany.run(randomUUID(), r.type, r.data, new Date().toISOString());
    });
    const t1 = nowMs();
    for (let i = 0; i < rows.length; i += batch) many(rows.slice(i, i + batch));
    const batchedMs = nowMs() - t1;
    batched.close();
    return { eventsPerSec: (rows.length / batchedMs) * 1000, batch };
  });

  return {
    events: rows.length,
    perEventTx: { eventsPerSec: (rows.length / singleMs) * 1000, latency: summarize(latencies) },
    batchedTx: perBatch[perBatch.length - 1]!,
    perBatch,
  };
}
