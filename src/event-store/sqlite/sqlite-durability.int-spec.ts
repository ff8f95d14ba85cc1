import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreUnavailable } from '../event-store.errors';
import type { AppendResult } from '../event-store.port';
import { testEvent } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';
import type { SyncWal } from './wal-sync';

/** A WAL sync the test releases by hand, counting the syncs the store asked for. */
function heldSync(): { sync: SyncWal; requested: () => number; release: (error?: Error) => void } {
  let pending: Array<(error: Error | null) => void> = [];
  let requested = 0;
  return {
    sync: (done) => {
      requested++;
      pending.push(done);
    },
    requested: () => requested,
    release: (error) => {
      const now = pending;
      pending = [];
      for (const done of now) done(error ?? null);
    },
  };
}

const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setTimeout(r, 30));
  return done;
};

describe('SQLite event store durability (the WAL is synced before anything is acknowledged)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chronology-durable-'));
    file = join(dir, 'events.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('acknowledges a commit and shows it to readers only after its sync; one sync covers many commits', async () => {
    const held = heldSync();
    const store = new SqliteEventStore({ file, syncWal: held.sync });
    const first = store.append('entry-a', [testEvent('A')], { expectedRevision: 'no_stream' });
    expect(await settled(first)).toBe(false); // committed, not yet on disk
    expect(held.requested()).toBe(1);
    expect(await store.readAll()).toEqual([]);
    expect(await store.headPosition()).toBeNull();
    // Commits made while a sync runs wait for the next one, which covers them all.
    const more = ['b', 'c', 'd'].map((s) =>
      store.append(`entry-${s}`, [testEvent(s)], { expectedRevision: 'no_stream' }),
    );
    expect(await settled(Promise.all(more))).toBe(false);
    expect(held.requested()).toBe(1);
    held.release();
    const a = await first;
    expect(await settled(Promise.all(more))).toBe(false);
    expect((await store.readAll()).map((e) => e.id)).toEqual([a.events[0]!.id]);
    expect(held.requested()).toBe(2);
    held.release();
    const rest: AppendResult[] = await Promise.all(more);
    expect((await store.readAll()).map((e) => e.position)).toEqual([a, ...rest].map((r) => r.position));
    expect(await store.headPosition()).toEqual(rest[2]!.position);
    await store.close();
  });

  it('a retry of an event not yet on disk is answered only after the sync too', async () => {
    const held = heldSync();
    const store = new SqliteEventStore({ file, syncWal: held.sync });
    const event = testEvent('A');
    const original = store.append('entry-a', [event], { expectedRevision: 'no_stream' });
    await settled(original);
    const retry = store.append('entry-a', [event], { expectedRevision: 'no_stream' });
    expect(await settled(retry)).toBe(false);
    held.release();
    await original;
    held.release();
    expect((await retry).idempotent).toBe(true);
    await store.close();
  });

  it('after a failed sync nothing waiting is acknowledged, writes are refused and health is down', async () => {
    const held = heldSync();
    const store = new SqliteEventStore({ file, syncWal: held.sync });
    const pending = store.append('entry-a', [testEvent('A')], { expectedRevision: 'no_stream' });
    await settled(pending);
    held.release(new Error('EIO: i/o error, fdatasync'));
    await expect(pending).rejects.toBeInstanceOf(EventStoreUnavailable);
    await expect(pending).rejects.toThrow(/could not be synced to disk \(EIO/);
    expect(await store.readAll()).toEqual([]);
    await expect(
      store.append('entry-b', [testEvent('B')], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(EventStoreUnavailable);
    expect(await store.health()).toMatchObject({ up: false });
    await store.close();
  });

  it('with the real fdatasync, a reopened store has every acknowledged event', async () => {
    let store = new SqliteEventStore({ file });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.append(`entry-${i}`, [testEvent()], { expectedRevision: 'no_stream' }),
      ),
    );
    await store.close();
    store = new SqliteEventStore({ file });
    expect((await store.readAll({ maxCount: 100 })).map((e) => e.position)).toEqual(
      results.map((r) => r.position),
    );
    await store.close();
  });
});
