import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../../shared/clock';
import { EventStoreError, EventStoreUnavailable, StreamNotFound } from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
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
import { EventStatements, rowToEvent } from './sqlite-statements';
import { SqliteSubscription } from './sqlite-subscription';
import { WalSync, type SyncWal } from './wal-sync';
import { SqliteAppender, type AppendRequest } from './sqlite-append';

export interface SqliteEventStoreOptions {
  /** Path of the events file, or ':memory:' for tests that need no durability. */
  readonly file: string;
  readonly clock?: Clock;
  /** How often an idle subscription looks for rows written by another process. */
  readonly pollIntervalMs?: number;
  /** Replaces the WAL's fdatasync (tests hold or fail it). */
  readonly syncWal?: SyncWal;
}

interface PendingAppend extends AppendRequest {
  readonly resolve: (r: AppendResult) => void;
  readonly reject: (e: unknown) => void;
}

type Outcome = { ok: AppendResult } | { error: EventStoreError };

const MAX_GROUP = 1000;

/**
 * The embedded event store. Appends issued in the same turn of the event loop are group-committed:
 * one transaction, each append in its own savepoint so one failure does not undo its neighbours.
 * Every promise settles, and subscribers see the events, only once the WAL holding the commit is
 * synced to disk; the sync runs off the event loop and covers every commit made while the previous
 * one ran (see WalSync).
 */
export class SqliteEventStore implements EventStore {
  readonly driver = 'sqlite';
  /** Protected so that a spec can set per-connection pragmas on it (a full disk, a read-only file). */
  protected readonly db: SqliteDatabase;
  private readonly sql: EventStatements;
  private readonly appender: SqliteAppender;
  private readonly pollMs: number;
  private readonly appended = new EventEmitter();
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly wal: WalSync;

  constructor(options: SqliteEventStoreOptions) {
    // NORMAL: the commit writes the WAL and WalSync syncs it before anything is acknowledged,
    // which is what FULL would do inside the commit, on the event loop.
    this.db = openSqlite(options.file, { synchronous: 'NORMAL', checkpoints: 'background' });
    try {
      migrateEventsSchema(this.db);
      this.sql = new EventStatements(this.db);
      this.wal = new WalSync(
        options.file === ':memory:' ? null : `${options.file}-wal`,
        this.sql.head.get()?.position ?? 0n,
        options.syncWal,
      );
      this.appender = new SqliteAppender(this.sql, options.clock ?? systemClock);
    } catch (e) {
      this.db.close(); // a store that cannot open leaves nothing running (its checkpointer)
      throw e;
    }
    this.pollMs = options.pollIntervalMs ?? 1000;
    this.appended.setMaxListeners(0);
  }

  append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailable('event store is closed'));
    if (this.wal.failed) return Promise.reject(this.notDurable(this.wal.failed));
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
    if (rows.length === 0 && this.appender.currentRevision(stream) === null) throw new StreamNotFound(stream);
    return Promise.resolve(rows.map(rowToEvent));
  }

  async storedEventId(id: string): Promise<string | null> {
    this.assertOpen();
    return Promise.resolve(this.appender.stored(id)?.event_id ?? null);
  }

  async streamRevision(stream: string): Promise<bigint | null> {
    this.assertOpen();
    return Promise.resolve(this.appender.currentRevision(stream));
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
      if (this.wal.failed) throw this.notDurable(this.wal.failed);
      this.db.prepare('SELECT 1').get();
      return Promise.resolve({ up: true, driver: this.driver });
    } catch (e) {
      return Promise.resolve({ up: false, driver: this.driver, detail: (e as Error).message });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    await this.wal.idle();
    this.closed = true;
    this.appended.emit('appended');
    this.wal.close();
    this.db.close();
    return Promise.resolve();
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
    let upTo = 0n;
    for (const o of outcomes) {
      if ('ok' in o && !o.ok.idempotent && o.ok.position.commit > upTo) upTo = o.ok.position.commit;
    }
    // Everything waits for the sync, rejections and retries too: each was decided on what is committed.
    this.wal.committed(upTo, (error) => {
      if (error) {
        const unavailable = this.notDurable(error);
        for (const item of batch) item.reject(unavailable);
        return;
      }
      batch.forEach((item, i) => {
        const outcome = outcomes[i]!;
        if ('ok' in outcome) item.resolve(outcome.ok);
        else item.reject(outcome.error);
      });
      if (upTo > 0n) this.appended.emit('appended');
    });
  }

  private notDurable(cause: Error): EventStoreUnavailable {
    return new EventStoreUnavailable(
      `the log could not be synced to disk (${cause.message}); restart the service once the disk is healthy`,
      { cause },
    );
  }

  private appendInSavepoint(item: PendingAppend): Outcome {
    try {
      return { ok: this.db.transaction(() => this.appender.append(item))() };
    } catch (e) {
      if (e instanceof EventStoreError) return { error: e };
      throw e;
    }
  }

  /** The last durable position: readers never see a commit before it is synced. */
  private head(): Position | null {
    const p = this.wal.durable;
    return p > 0n ? positionOf(p) : null;
  }

  private readFrom(from: bigint, max: number): RecordedEvent[] {
    return this.sql.allForwards.all(from, this.wal.durable, max).map(rowToEvent);
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
