import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppendResult, RecordedEvent } from '../event-store';
import { positionOf } from '../event-store';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { testEvent } from '../event-store/testing/event-store.contract';
import { openSqlite, readPragma } from '../shared/sqlite';
import type { Projection, ReadDb } from './projection';
import { ProjectionRunner } from './projection-runner';

/** These specs project the events as stored (their own types, not the catalogue's). */
const AS_STORED = { decode: (e: RecordedEvent) => e };

/** A projection that counts the events of type "Counted" per stream, and fails on type "Poison". */
function counter(version = 1, seen: string[] = []): Projection<RecordedEvent> {
  return {
    name: 'counter',
    version,
    handles: new Set(['Counted', 'Poison']),
    tables: ['counts'],
    schema: (t) =>
      `CREATE TABLE IF NOT EXISTS ${t('counts')} (stream TEXT PRIMARY KEY, n INTEGER NOT NULL, last_seq INTEGER NOT NULL)`,
    bind(db, t) {
      const up = db.prepare(
        `INSERT INTO ${t('counts')} (stream, n, last_seq) VALUES (?, 1, ?) ON CONFLICT (stream) DO UPDATE SET n = n + 1, last_seq = excluded.last_seq`,
      );
      return (event: RecordedEvent, { seq }) => {
        if (event.type === 'Poison') throw new Error('poisoned');
        seen.push(event.id);
        up.run(event.stream, seq);
      };
    },
  };
}

/** Counts every "Counted" event in one row, written once per batch (an end-of-batch write). */
function batchTotal(): Projection<RecordedEvent> {
  return {
    name: 'total',
    version: 1,
    handles: new Set(['Counted']),
    tables: ['total'],
    schema: (t) => `CREATE TABLE IF NOT EXISTS ${t('total')} (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)`,
    bind(db, t) {
      const add = db.prepare(
        `INSERT INTO ${t('total')} (id, n) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET n = n + excluded.n`,
      );
      let pending = 0;
      return Object.assign(() => void pending++, {
        endBatch: () => {
          add.run(pending);
          pending = 0;
        },
        abortBatch: () => (pending = 0),
      });
    },
  };
}

describe('ProjectionRunner (real SQLite files)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: ReadDb;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chronology-runner-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db'), pollIntervalMs: 20 });
    db = openSqlite(join(dir, 'read.db'), { synchronous: 'NORMAL' });
  });
  afterEach(async () => {
    await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = (stream: string) =>
    (db.prepare('SELECT n FROM counter_counts WHERE stream = ?').get(stream) as { n: number } | undefined)
      ?.n ?? 0;

  async function append(stream: string, n: number, type = 'Counted') {
    let last: AppendResult | undefined;
    for (let i = 0; i < n; i++)
      last = await store.append(stream, [testEvent(type)], { expectedRevision: 'any' });
    if (!last) throw new Error('append at least one event');
    return last.position;
  }

  it('applies the log, then follows it live; restarting resumes from the checkpoint', async () => {
    await append('a', 3);
    const seen: string[] = [];
    let runner = new ProjectionRunner(store, db, [counter(1, seen)], AS_STORED);
    runner.start();
    const p = await append('b', 2);
    expect(await runner.applied.waitFor(p, 5000)).toBe(true);
    expect([count('a'), count('b')]).toEqual([3, 2]);
    expect(runner.state).toMatchObject({ state: 'live', seq: 5 });
    await runner.stop();

    const q = await append('b', 1);
    runner = new ProjectionRunner(store, db, [counter(1, seen)], AS_STORED);
    runner.start();
    expect(await runner.applied.waitFor(q, 5000)).toBe(true);
    expect([count('a'), count('b')]).toEqual([3, 3]);
    expect(seen).toHaveLength(6); // each event applied exactly once across both runs
    expect(db.prepare('SELECT last_seq FROM counter_counts WHERE stream = ?').get('b')).toEqual({
      last_seq: 6,
    });
    await runner.stop();
  });

  it('rebuilds a projection from the log when its version changes', async () => {
    const p = await append('a', 4);
    let runner = new ProjectionRunner(store, db, [counter(1)], AS_STORED);
    runner.start();
    await runner.applied.waitFor(p, 5000);
    db.prepare("UPDATE counter_counts SET n = 999 WHERE stream = 'a'").run(); // damage the read model
    await runner.stop();

    runner = new ProjectionRunner(store, db, [counter(2)], AS_STORED);
    runner.start();
    expect(await runner.applied.waitFor(p, 5000)).toBe(true);
    expect(count('a')).toBe(4);
    await runner.stop();
  });

  it('a failing projection stops the runner and its batch is not applied', async () => {
    await append('a', 2);
    const poison = await append('a', 1, 'Poison');
    const runner = new ProjectionRunner(store, db, [counter(1)], AS_STORED);
    runner.start();
    expect(await runner.applied.waitFor(poison, 300)).toBe(false);
    expect(runner.state).toMatchObject({ state: 'failed', error: 'poisoned' });
    // The two good events came in the same batch as the poison: the whole batch rolled back.
    expect(count('a')).toBe(0);
    expect(runner.position).toBeNull();
    await runner.stop();
  });

  it('a full read database pauses the runner instead of stopping it; once there is room it resumes, each event applied once', async () => {
    const runner = new ProjectionRunner(store, db, [counter(), batchTotal()], {
      ...AS_STORED,
      retryDelayMs: 50,
    });
    runner.start();
    expect(await runner.applied.waitFor(await append('warm', 1), 5000)).toBe(true);
    // No page may be added to the read database from here: as when its disk is full.
    db.exec(`PRAGMA max_page_count = ${Number(readPragma(db, 'page_count'))}`);
    let last = await append('s0', 1);
    for (let i = 1; i < 300; i++) last = await append(`s${i}`, 1); // 300 rows need new pages
    expect(await runner.applied.waitFor(last, 1000)).toBe(false);
    expect(runner.state.state).toBe('retrying');
    expect(runner.state.error).toMatch(/read database: .*full/);
    const appliedWhileFull = Number(
      db.prepare("SELECT count(*) FROM counter_counts WHERE stream LIKE 's%'").pluck().get(),
    );
    expect(appliedWhileFull).toBeLessThan(300);

    db.exec('PRAGMA max_page_count = 1073741823'); // space is back
    expect(await runner.applied.waitFor(last, 5000)).toBe(true);
    const counts = db.prepare("SELECT n FROM counter_counts WHERE stream LIKE 's%'").pluck().all();
    expect(counts).toHaveLength(300);
    expect(counts.every((n) => n === 1)).toBe(true); // none applied twice across the retries
    // End-of-batch writes too: what a rolled-back batch had kept for its end was forgotten.
    expect(db.prepare('SELECT n FROM total_total').pluck().get()).toBe(301);
    // Live once the runner has read past the last event and found nothing more: a moment after
    // the event is applied, longer on a loaded machine.
    for (const until = Date.now() + 5000; runner.state.state !== 'live' && Date.now() < until;)
      await new Promise((r) => setTimeout(r, 10));
    expect(runner.state.state).toBe('live');
    expect(runner.state.error).toBeNull(); // health no longer shows the recovered outage
    await runner.stop();
  });

  it('a listener that throws neither stops the runner nor keeps the other listeners from the batch', async () => {
    const runner = new ProjectionRunner(store, db, [counter()], AS_STORED);
    const seen: number[] = [];
    runner.applied.subscribe(() => {
      throw new Error('listener bug');
    });
    runner.applied.subscribe((batch) => seen.push(batch.events.length));
    runner.start();
    expect(await runner.applied.waitFor(await append('a', 1), 5000)).toBe(true);
    expect(await runner.applied.waitFor(await append('a', 1), 5000)).toBe(true);
    expect(seen.reduce((a, b) => a + b, 0)).toBe(2);
    expect(runner.state.state).toBe('live');
    await runner.stop();
  });

  it('waitFor gives up after its timeout for a position not yet in the log', async () => {
    const runner = new ProjectionRunner(store, db, [counter(1)], AS_STORED);
    runner.start();
    expect(await runner.applied.waitFor(positionOf(1000n), 100)).toBe(false);
    await runner.stop();
  });

  it('publishes each committed batch to every listener in the order they subscribed, then releases waiters', async () => {
    const runner = new ProjectionRunner(store, db, [counter()], AS_STORED);
    const calls: string[] = [];
    runner.applied.subscribe(() => calls.push(`live sees ${count('a')}`));
    runner.applied.subscribe(() => calls.push('audit'));
    runner.start();
    const p = await append('a', 1);
    const reached = runner.applied.waitFor(p, 5000).then((ok) => calls.push(`waiter ${ok}`));
    await reached;
    // The batch's rows were committed before anyone heard of it.
    expect(calls).toEqual(['live sees 1', 'audit', 'waiter true']);
    expect(runner.applied.appliedSeq).toBe(1);
    await runner.stop();
  });

  it('lets the event loop turn between batches while it catches up and while it rebuilds', async () => {
    // Each event costs 0.5 ms of CPU, so applying 2,000 takes a second of synchronous work.
    const spin = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    const base = counter();
    const slow: Projection<RecordedEvent> = {
      ...base,
      bind: (d, t) => {
        const apply = base.bind(d, t);
        return (event, at) => {
          spin(0.5);
          apply(event, at);
        };
      },
    };
    const appends = Array.from({ length: 2000 }, () =>
      store.append('s', [testEvent('Counted')], { expectedRevision: 'any' }),
    );
    await Promise.all(appends);
    const ticking = () => {
      let ticks = 0;
      const timer = setInterval(() => (ticks += 1), 1);
      return () => (clearInterval(timer), ticks);
    };

    const runner = new ProjectionRunner(store, db, [slow], AS_STORED);
    let stop = ticking();
    runner.start();
    expect(await runner.whenCaughtUp(60_000)).toBe(true);
    expect(stop()).toBeGreaterThanOrEqual(3);
    expect(count('s')).toBe(2000);
    expect(runner.state).toMatchObject({ caughtUp: true, progress: null });

    stop = ticking();
    const rebuilt = await runner.rebuild('counter');
    expect(stop()).toBeGreaterThanOrEqual(3);
    expect(rebuilt).toMatchObject({ events: 2000 });
    expect(rebuilt.after).toBe(rebuilt.before);
    await runner.stop();
  }, 60_000);
});
