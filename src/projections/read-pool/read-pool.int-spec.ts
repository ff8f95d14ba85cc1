import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { openSqlite } from '../../shared/sqlite';
import { tablesOf, type ReadDb } from '../projection';
import type { Scope } from '../scope';
import { timelineSchema } from '../timeline/timeline.schema';
import { ReadPool } from './read-pool';

const ENTRIES = 300_000;
const t = tablesOf('timeline');

/** A timeline read model with ENTRIES versions, written straight in SQL (no log needed). */
function bigTimeline(db: ReadDb): void {
  db.exec(timelineSchema(t));
  db.exec(
    `INSERT INTO ${t('crises')} (crisis_id, name, countries, from_seq, registered_at) VALUES ('c', 'C', '[]', 1, 'x')`,
  );
  db.exec(`
    WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${ENTRIES})
    INSERT INTO ${t('versions')} (entry_no, entry_id, from_seq, to_seq, pos_commit, pos_prepare, change, is_primary,
      first_seq, crisis_id, type, status, start_ms, end_ms, sort_ms, sort_tie, source_id, credibility, doc)
    SELECT x, 'e' || x, x, NULL, x, x, 'added', 1, x, 'c', 'StatementMade', 'reported', x, x, x, x, 's', NULL, '{}' FROM n`);
}

describe('ReadPool (worker threads on a real SQLite file)', () => {
  let dir: string;
  let db: ReadDb;
  let pool: ReadPool;
  // As of the last entry, crises are counted from the versions: the heaviest read the routes have.
  const asOf: Scope = { kind: 'seq', seq: ENTRIES };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chronology-read-pool-'));
    db = openSqlite(join(dir, 'read-models.db'), { synchronous: 'NORMAL' });
    bigTimeline(db);
    pool = new ReadPool(join(dir, 'read-models.db'), 1);
  }, 60_000);
  afterAll(async () => {
    await pool.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `read` while a 2 ms timer ticks; how many times it fired before the read answered. */
  async function ticksDuring<T>(read: () => Promise<T>): Promise<{ value: T; ticks: number }> {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    try {
      const value = await read();
      return { value, ticks };
    } finally {
      clearInterval(timer);
    }
  }

  it('on the loop, the heavy read holds every timer until it is done', async () => {
    const inline = ReadPool.inline(db);
    const { value, ticks } = await ticksDuring(() => inline.timeline.crises(asOf));
    expect(value[0]).toMatchObject({ crisisId: 'c', entries: ENTRIES });
    expect(ticks).toBe(0);
  });

  it('in the pool, timers keep firing while the same read runs, and the answer is the same', async () => {
    await pool.readers.timeline.crises(); // the worker has started
    const { value, ticks } = await ticksDuring(() => pool.readers.timeline.crises(asOf));
    expect(value).toEqual([expect.objectContaining({ crisisId: 'c', entries: ENTRIES })]);
    expect(ticks).toBeGreaterThan(0);
  });

  it('gives errors back as the reader raised them: an AppError stays one (a 400, not a 500)', async () => {
    const failed = await pool.readers.timeline.page({ cursor: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(AppError);
    expect(failed).toMatchObject({ code: 'validation_failed' });
  });

  it('answers 503 at once for reads beyond the queue it keeps, and every read it took', async () => {
    const calls = Array.from({ length: 600 }, () =>
      pool.readers.timeline.crises().then(
        () => 'answered',
        (e: AppError) => e.code,
      ),
    );
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === 'answered').length).toBeGreaterThanOrEqual(512);
    expect(outcomes.filter((o) => o === 'overloaded').length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o === 'answered' || o === 'overloaded')).toBe(true);
  });

  it('fails the reads in flight and waiting when it stops, and stops', async () => {
    const other = new ReadPool(join(dir, 'read-models.db'), 1);
    await other.readers.timeline.crises();
    const heavy = other.readers.timeline.crises(asOf).catch((e: unknown) => e);
    const waiting = other.readers.timeline.crises().catch((e: unknown) => e);
    await other.stop();
    for (const outcome of await Promise.all([heavy, waiting])) {
      expect(outcome).toMatchObject({ code: 'store_unavailable' });
    }
    await expect(other.readers.timeline.crises()).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('queues reads beyond its workers and answers each', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => pool.readers.timeline.crises()));
    expect(answers.every((a) => a.length === 1)).toBe(true);
  });
});
