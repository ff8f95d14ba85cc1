import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Position, RecordedEvent } from '../event-store';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { testEvent } from '../event-store/testing/event-store.contract';
import { openSqlite } from '../shared/sqlite';
import type { Projection, ReadDb } from './projection';
import { ProjectionRunner } from './projection-runner';

/** These specs project the events as stored (their own types, not the catalogue's). */
const AS_STORED = { decode: (e: RecordedEvent) => e };

/**
 * Counts events per stream (not idempotent: an event applied twice counts twice). Until it is
 * fixed, it throws on type "Poison"; fixed, it counts that event like any other.
 */
function counter(fixed: boolean): Projection<RecordedEvent> {
  return {
    name: 'counter',
    version: 1,
    handles: 'all',
    tables: ['counts'],
    schema: (t) => `CREATE TABLE IF NOT EXISTS ${t('counts')} (stream TEXT PRIMARY KEY, n INTEGER NOT NULL)`,
    bind(db, t) {
      const up = db.prepare(
        `INSERT INTO ${t('counts')} (stream, n) VALUES (?, 1) ON CONFLICT (stream) DO UPDATE SET n = n + 1`,
      );
      return (event: RecordedEvent) => {
        if (event.type === 'Poison' && !fixed) throw new Error('poisoned');
        up.run(event.stream);
      };
    },
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The guarantee every read model rests on: a batch's rows and the checkpoints that cover them
 * commit together or not at all. Each case fails the batch, then restarts with the fault gone and
 * counts: a checkpoint committed without its rows skips events for good; rows committed without
 * their checkpoint apply events twice.
 */
describe('projection checkpoints commit with their batch (real SQLite files, restart)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: ReadDb;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chronology-checkpoint-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db'), pollIntervalMs: 20 });
    db = openSqlite(join(dir, 'read.db'), { synchronous: 'NORMAL' });
  });
  afterEach(async () => {
    await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = (stream: string): number =>
    Number(db.prepare('SELECT n FROM counter_counts WHERE stream = ?').pluck().get(stream) ?? 0);

  async function append(stream: string, types: string[]): Promise<Position> {
    let last: Position | null = null;
    for (const type of types)
      last = (await store.append(stream, [testEvent(type)], { expectedRevision: 'any' })).position;
    return last!;
  }

  /** Runs the runner until it fails, stops it, then runs a fresh one (the fault fixed) to `head`. */
  async function failThenRestart(
    faulty: Projection<RecordedEvent>,
    fixed: Projection<RecordedEvent>,
    head: Position,
  ): Promise<void> {
    const first = new ProjectionRunner(store, db, [faulty], { ...AS_STORED, batchSize: 1000 });
    first.start();
    await until(() => first.state.state === 'failed', 'the batch to fail');
    await first.stop();
    const second = new ProjectionRunner(store, db, [fixed], AS_STORED);
    second.start();
    expect(await second.applied.waitFor(head, 10_000)).toBe(true);
    await second.stop();
  }

  it('a batch whose projection threw is applied in full once the projection is fixed', async () => {
    await append('warm', ['Counted']);
    const head = await append('a', ['Counted', 'Counted', 'Poison', 'Counted']);
    await failThenRestart(counter(false), counter(true), head);
    expect(count('warm')).toBe(1);
    expect(count('a')).toBe(4); // not 0: no checkpoint moved past the failed batch
  });

  it('a batch whose checkpoint could not be written is applied exactly once after a restart', async () => {
    const runner = new ProjectionRunner(store, db, [counter(true)], AS_STORED);
    runner.start();
    expect(await runner.applied.waitFor(await append('warm', ['Counted']), 10_000)).toBe(true);
    await runner.stop();
    // From here, writing any checkpoint fails (as a full disk or an I/O error would, but coded
    // so that the runner stops instead of retrying).
    db.exec(`
      CREATE TRIGGER no_checkpoint_update BEFORE UPDATE ON projection_checkpoints
      BEGIN SELECT RAISE(ABORT, 'checkpoint write failed'); END;
      CREATE TRIGGER no_checkpoint_insert BEFORE INSERT ON projection_checkpoints
      BEGIN SELECT RAISE(ABORT, 'checkpoint write failed'); END;`);
    const head = await append('a', ['Counted', 'Counted', 'Counted']);
    const first = new ProjectionRunner(store, db, [counter(true)], AS_STORED);
    first.start();
    await until(() => first.state.state === 'failed', 'the checkpoint write to fail');
    expect(first.state.error).toMatch(/checkpoint write failed/);
    await first.stop();
    db.exec('DROP TRIGGER no_checkpoint_update; DROP TRIGGER no_checkpoint_insert');

    const second = new ProjectionRunner(store, db, [counter(true)], AS_STORED);
    second.start();
    expect(await second.applied.waitFor(head, 10_000)).toBe(true);
    await second.stop();
    expect(count('warm')).toBe(1);
    expect(count('a')).toBe(3); // not 6: no row committed without its checkpoint
  });
});
