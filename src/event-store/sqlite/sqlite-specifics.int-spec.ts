import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentHash } from '../append-rules';
import { EventStoreUnavailable } from '../event-store.errors';
import { testEvent } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';
import { openSqlite, readPragma, type SqliteDatabase } from '../../shared/sqlite';

/** The store with its own connection in view, for pragmas that hold per connection. */
class StoreWithConnection extends SqliteEventStore {
  get connection(): SqliteDatabase {
    return this.db;
  }
}

describe('SQLite event store specifics', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chronology-sqlite-'));
    file = join(dir, 'events.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens the log: WAL (synced by WalSync, not in the commit), trusted_schema off, schema version 1', async () => {
    const store = new StoreWithConnection({ file });
    const db = store.connection;
    expect(readPragma(db, 'journal_mode')).toBe('wal');
    expect(readPragma(db, 'synchronous')).toBe(1); // NORMAL + fdatasync before any ack
    expect(readPragma(db, 'trusted_schema')).toBe(0);
    expect(readPragma(db, 'user_version')).toBe(1);
    await store.close();
  });

  it('keeps the events table append-only', async () => {
    const store = new SqliteEventStore({ file });
    await store.append('entry-x', [testEvent('A')], { expectedRevision: 'no_stream' });
    const other = openSqlite(file, { synchronous: 'NORMAL' }); // any writer, not only the store
    expect(() => other.prepare("UPDATE events SET data = '{}'").run()).toThrow(/append-only/);
    expect(() => other.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    other.close();
    await store.close();
  });

  it('keeps acknowledged events across a reopen, with recordedAt still non-decreasing', async () => {
    let store = new SqliteEventStore({ file });
    const first = await store.append('entry-x', [testEvent('A'), testEvent('B')], {
      expectedRevision: 'no_stream',
    });
    await store.close();
    store = new SqliteEventStore({ file });
    const read = await store.readStream('entry-x');
    expect(read.map((e) => e.type)).toEqual(['A', 'B']);
    expect(read[1]!.position).toEqual(first.position);
    const next = await store.append('entry-x', [testEvent('C')], { expectedRevision: 1n });
    const [c] = await store.readAll({ fromPosition: next.position, maxCount: 1 });
    expect(Date.parse(c!.metadata.recordedAt)).toBeGreaterThanOrEqual(
      Date.parse(read[1]!.metadata.recordedAt),
    );
    await store.close();
  });

  it('group-commits concurrent appends in one transaction, each failing or succeeding on its own', async () => {
    const store = new SqliteEventStore({ file });
    await store.append('entry-taken', [testEvent()], { expectedRevision: 'no_stream' });
    const results = await Promise.allSettled([
      ...Array.from({ length: 50 }, (_, i) =>
        store.append(`entry-${i}`, [testEvent()], { expectedRevision: 'no_stream' }),
      ),
      store.append('entry-taken', [testEvent()], { expectedRevision: 'no_stream' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(50);
    expect(results[50]!.status).toBe('rejected');
    const positions = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.position.commit] : []));
    expect(new Set(positions).size).toBe(50);
    const head = await store.headPosition();
    expect(head!.commit).toBe(51n); // contiguous: the failed append left no gap
    await store.close();
  });

  it('refuses a file written by a newer schema version', () => {
    const raw = openSqlite(file, { synchronous: 'NORMAL' });
    raw.exec('PRAGMA user_version = 99');
    raw.close();
    expect(() => new SqliteEventStore({ file })).toThrow(/schema version 99/);
  });

  it('answers appends with EventStoreUnavailable once closed, and health says down', async () => {
    const store = new SqliteEventStore({ file });
    await store.close();
    await expect(store.append('entry-x', [testEvent()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
      EventStoreUnavailable,
    );
    expect((await store.health()).up).toBe(false);
  });

  it('acknowledges nothing when the database cannot be written (read-only file)', async () => {
    const first = new SqliteEventStore({ file });
    await first.append('entry-x', [testEvent('A')], { expectedRevision: 'no_stream' });
    await first.close();
    const store = new StoreWithConnection({ file });
    store.connection.exec('PRAGMA query_only = ON'); // writes now fail inside the transaction
    const error = await store
      .append('entry-x', [testEvent('B')], { expectedRevision: 0n })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventStoreUnavailable);
    store.connection.exec('PRAGMA query_only = OFF');
    expect((await store.readStream('entry-x')).map((e) => e.type)).toEqual(['A']);
    await store.append('entry-x', [testEvent('C')], { expectedRevision: 0n }); // recovers
    await store.close();
  });

  it('a full disk: the group that no longer fits is refused whole and nothing of it is kept; appends work again once there is room', async () => {
    const store = new StoreWithConnection({ file });
    await store.append('entry-x', [testEvent('A')], { expectedRevision: 'no_stream' });
    store.connection.exec(`PRAGMA max_page_count = ${Number(readPragma(store.connection, 'page_count'))}`);
    const big = { note: 'x'.repeat(2000) }; // two of these no longer fit in the free space
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        store.append(`entry-${i}`, [testEvent('Big', big)], { expectedRevision: 'no_stream' }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(Array(8).fill('rejected'));
    const reason = (outcomes[0] as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(EventStoreUnavailable);
    expect(reason.message).toMatch(/full/);
    expect((await store.readAll({})).map((e) => e.type)).toEqual(['A']);

    store.connection.exec('PRAGMA max_page_count = 1073741823'); // space is back
    const next = await store.append('entry-0', [testEvent('Big', big)], {
      expectedRevision: 'no_stream',
    });
    expect(next.position.commit).toBe(2n); // right after the last acknowledged event: no hole
    await store.close();
  });

  it('an id stored in upper case before ids were lower-cased is found in any case, and keeps its form', async () => {
    const store = new SqliteEventStore({ file });
    const legacy = { ...testEvent('A'), id: '0F8E2C3A-9B4D-4E6F-8A1B-2C3D4E5F6A7B' };
    // A row as the adapter wrote it before (the id as the client sent it); rows cannot be rewritten.
    const other = openSqlite(file, { synchronous: 'NORMAL' });
    other
      .prepare(
        `INSERT INTO events (event_id, stream, revision, type, schema_version, data, metadata, content_hash)
         VALUES (?, 'entry-legacy', 0, 'A', 1, ?, ?, ?)`,
      )
      .run(
        legacy.id,
        JSON.stringify(legacy.data),
        JSON.stringify({ ...legacy.metadata, recordedAt: new Date().toISOString() }),
        contentHash(legacy),
      );
    other.close();
    const lower = { ...legacy, id: legacy.id.toLowerCase() };
    const retried = await store.append('entry-legacy', [lower], { expectedRevision: 'any' });
    expect(retried).toMatchObject({ idempotent: true, events: [{ id: legacy.id, revision: 0n }] });
    expect(await store.storedEventId(lower.id)).toBe(legacy.id);
    expect((await store.readStream('entry-legacy')).map((e) => e.id)).toEqual([legacy.id]);
    await store.close();
  });
});
