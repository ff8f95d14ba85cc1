import { EventEmitter } from 'node:events';
import { canonicalJson, sha256Hex } from '../../shared/canonical-json';
import { systemClock, type Clock } from '../../shared/clock';
import {
  DuplicateEvent,
  EventStoreError,
  EventStoreUnavailable,
  StreamNotFound,
  WrongExpectedRevision,
} from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoreHealth,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { positionOf, type Position } from '../position';
import { openSqlite, type SqliteDatabase } from '../../shared/sqlite';
import { migrateEventsSchema } from './sqlite-schema';
import { EventStatements, rowToEvent, type EventRow } from './sqlite-statements';
import { SqliteSubscription } from './sqlite-subscription';

export interface SqliteEventStoreOptions {
  /** Path of the events file, or ':memory:' for tests that need no durability. */
  readonly file: string;
  readonly clock?: Clock;
  /** How often an idle subscription looks for rows written by another process. */
  readonly pollIntervalMs?: number;
}

interface PendingAppend {
  readonly stream: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
  readonly resolve: (r: AppendResult) => void;
  readonly reject: (e: unknown) => void;
}

type Outcome = { ok: AppendResult } | { error: EventStoreError };

const MAX_GROUP = 1000;

/**
 * The embedded event store. Appends issued in the same turn of the event loop are group-committed:
 * one transaction (one fsync with synchronous=FULL), each append in its own savepoint so one
 * failure does not undo its neighbours, and every promise settles only after the commit.
 */
export class SqliteEventStore implements EventStore {
  readonly driver = 'sqlite';
  private readonly db: SqliteDatabase;
  private readonly sql: EventStatements;
  private readonly clock: Clock;
  private readonly pollMs: number;
  private readonly appended = new EventEmitter();
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private lastRecordedMs: number;
  private closed = false;

  constructor(options: SqliteEventStoreOptions) {
    this.db = openSqlite(options.file, { synchronous: 'FULL', checkpoints: 'background' });
    migrateEventsSchema(this.db);
    this.sql = new EventStatements(this.db);
    this.clock = options.clock ?? systemClock;
    this.pollMs = options.pollIntervalMs ?? 1000;
    this.appended.setMaxListeners(0);
    const last = this.sql.lastRecordedAt.get();
    this.lastRecordedMs = last
      ? Date.parse((JSON.parse(last.metadata) as { recordedAt: string }).recordedAt)
      : 0;
  }

  append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailable('event store is closed'));
    if (events.length === 0) return Promise.reject(new TypeError('append needs at least one event'));
    return new Promise((resolve, reject) => {
      this.queue.push({ stream, events, expected: options.expectedRevision, resolve, reject });
      if (this.queue.length >= MAX_GROUP) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const rows =
      options.direction === 'backwards'
        ? this.sql.streamBackwards.all(stream, options.fromRevision ?? 2n ** 62n, max)
        : this.sql.streamForwards.all(stream, options.fromRevision ?? 0n, max);
    if (rows.length === 0 && this.currentRevision(stream) === null) throw new StreamNotFound(stream);
    return Promise.resolve(rows.map(rowToEvent));
  }

  async streamRevision(stream: string): Promise<bigint | null> {
    this.assertOpen();
    return Promise.resolve(this.currentRevision(stream));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const from = options.fromPosition?.commit ?? 0n;
    return Promise.resolve(this.readFrom(from, options.maxCount ?? 1000));
  }

  async headPosition(): Promise<Position | null> {
    this.assertOpen();
    return Promise.resolve(this.head());
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const after =
      options.from === 'start'
        ? 0n
        : options.from === 'end'
          ? (this.head()?.commit ?? 0n)
          : options.from.commit;
    return new SqliteSubscription(
      {
        readAfter: (cursor, max) => (this.closed ? [] : this.readFrom(cursor + 1n, max)),
        waitForAppend: (ms, signal) => this.waitForAppend(ms, signal),
      },
      after,
      this.pollMs,
    );
  }

  async health(): Promise<StoreHealth> {
    try {
      this.assertOpen();
      this.db.prepare('SELECT 1').get();
      return Promise.resolve({ up: true, driver: this.driver });
    } catch (e) {
      return Promise.resolve({ up: false, driver: this.driver, detail: (e as Error).message });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.appended.emit('appended');
    this.db.close();
    return Promise.resolve();
  }

  /** The underlying database, for tools that inspect the file (tests, audit verify). */
  get database(): SqliteDatabase {
    return this.db;
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const outcomes: Outcome[] = [];
    try {
      this.db
        .transaction(() => {
          for (const item of batch) outcomes.push(this.appendInSavepoint(item));
        })
        .immediate();
    } catch (e) {
      // The commit itself failed (disk full, read-only file, I/O error): nothing is acknowledged.
      const error = new EventStoreUnavailable(`append failed: ${(e as Error).message}`, { cause: e });
      for (const item of batch) item.reject(error);
      return;
    }
    let wrote = false;
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if ('ok' in outcome) {
        wrote ||= !outcome.ok.idempotent;
        item.resolve(outcome.ok);
      } else item.reject(outcome.error);
    });
    if (wrote) this.appended.emit('appended');
  }

  private appendInSavepoint(item: PendingAppend): Outcome {
    try {
      return { ok: this.db.transaction(() => this.appendOne(item))() };
    } catch (e) {
      if (e instanceof EventStoreError) return { error: e };
      throw e;
    }
  }

  private appendOne({ stream, events, expected }: PendingAppend): AppendResult {
    const hashes = events.map(contentHash);
    const stored = events.map((e) => this.sql.byEventId.get(e.id));
    if (stored.some((row) => row !== undefined)) return this.replayed(stream, events, hashes, stored);

    const current = this.currentRevision(stream);
    checkExpected(stream, expected, current);
    const recordedAt = this.nextRecordedAt();
    let revision = current ?? -1n;
    const written = events.map((event, i) => {
      revision += 1n;
      const metadata = JSON.stringify({ ...event.metadata, recordedAt });
      const row = this.sql.insert.get(
        event.id,
        stream,
        revision,
        event.type,
        event.schemaVersion,
        JSON.stringify(event.data),
        metadata,
        hashes[i]!,
      ) as { position: bigint };
      return { id: event.id, revision, position: positionOf(row.position) };
    });
    const last = written[written.length - 1]!;
    return {
      stream,
      nextExpectedRevision: last.revision,
      position: last.position,
      events: written,
      idempotent: false,
    };
  }

  /** Some ids are already stored: a faithful retry returns the original result; anything else is refused. */
  private replayed(
    stream: string,
    events: readonly NewEvent[],
    hashes: string[],
    stored: Array<EventRow | undefined>,
  ): AppendResult {
    stored.forEach((row, i) => {
      const id = events[i]!.id;
      if (!row) throw new DuplicateEvent(id, stream, 'part of this append was stored before, part was not');
      if (row.stream !== stream) throw new DuplicateEvent(id, row.stream, 'the id belongs to another stream');
      if (row.content_hash !== hashes[i])
        throw new DuplicateEvent(id, row.stream, 'stored with different content');
      if (i > 0 && row.revision !== stored[i - 1]!.revision + 1n) {
        throw new DuplicateEvent(id, row.stream, 'the ids were stored in another order');
      }
    });
    const written = stored.map((row) => ({
      id: row!.event_id,
      revision: row!.revision,
      position: positionOf(row!.position),
    }));
    const last = written[written.length - 1]!;
    return {
      stream,
      nextExpectedRevision: last.revision,
      position: last.position,
      events: written,
      idempotent: true,
    };
  }

  private nextRecordedAt(): string {
    this.lastRecordedMs = Math.max(this.clock.now().getTime(), this.lastRecordedMs);
    return new Date(this.lastRecordedMs).toISOString();
  }

  private currentRevision(stream: string): bigint | null {
    return this.sql.streamRevision.get(stream)?.revision ?? null;
  }

  private head(): Position | null {
    const p = this.sql.head.get()?.position ?? null;
    return p === null ? null : positionOf(p);
  }

  private readFrom(from: bigint, max: number): RecordedEvent[] {
    return this.sql.allForwards.all(from, max).map(rowToEvent);
  }

  private waitForAppend(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.appended.off('appended', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.appended.once('appended', done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailable('event store is closed');
  }
}

function checkExpected(stream: string, expected: ExpectedRevision, current: bigint | null): void {
  const actual = current ?? 'no_stream';
  if (expected === 'any') return;
  if (expected === 'no_stream' && current === null) return;
  if (expected === 'stream_exists' && current !== null) return;
  if (typeof expected === 'bigint' && current === expected) return;
  throw new WrongExpectedRevision(stream, String(expected), actual);
}

/** What makes two events "the same" for idempotency: type, schema version and data. */
function contentHash(event: NewEvent): string {
  return sha256Hex(canonicalJson({ type: event.type, schemaVersion: event.schemaVersion, data: event.data }));
}
