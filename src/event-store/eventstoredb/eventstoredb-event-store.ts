import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  MaxAppendSizeExceededError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import { contentHash } from '../append-rules';
import { AppendTooLarge, EventStoreUnavailable } from '../event-store.errors';
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
import { comparePositions, positionOf, type Position } from '../position';
import { LARGEST_STAMP, appendSize, decodeEvent, encodeEvent, stampOf } from './eventstoredb-codec';
import { connect, deadlineOf, endpointOf } from './eventstoredb-connection';
import { isTransient, toPortError } from './eventstoredb-errors';
import { readAllEvents, readStreamEvents } from './eventstoredb-grpc-read';
import { EventIdClaims, storedResult, type CallDeadlines } from './eventstoredb-idempotency';
import { TransactionTimes } from './eventstoredb-recorded-at';
import { EventStoreDbSubscription } from './eventstoredb-subscription';

export interface EventStoreDbOptions {
  /** kurrentdb://host:port?tls=false, esdb://…, kurrentdb+discover://…; see docs/eventstoredb.md. */
  readonly connectionString: string;
  /** How long health() waits for the server. */
  readonly healthTimeoutMs?: number;
  /** First delay before a dropped subscription resubscribes (it grows up to 5 s). */
  readonly resubscribeDelayMs?: number;
  /** Events a subscription holds for a slow consumer before it stops reading from the server. */
  readonly subscriptionBufferSize?: number;
  /**
   * Deadline of each call in ms: appends (passed to the client) and reads (a gRPC deadline, then
   * cancelled: eventstoredb-grpc-read.ts). Default: the connection string's `defaultDeadline`, else
   * 10 s as the client's.
   */
  readonly deadlineMs?: number;
  /** Attempts of an append whose outcome is unknown (timeout, deadline, NotLeader, lost connection). */
  readonly appendAttempts?: number;
  /** First delay between those attempts (doubling). */
  readonly retryDelayMs?: number;
  /** The node's MaxAppendSize (1 MiB by default, as a node's); a node's own refusal lowers it. */
  readonly maxAppendSize?: number;
  /** This instance's clock (ms since the epoch), for the writer's stamp (eventstoredb-recorded-at.ts). */
  readonly clock?: () => number;
}

/**
 * How often an 'any' / 'stream_exists' append retries after losing a race to another writer; past
 * that the caller gets the WrongExpectedRevision (a conflict it may retry).
 */
const MAX_ATTEMPTS = 20;
const PAGE = 256;
const DEFAULT_DEADLINE_MS = 10_000;
const DEFAULT_APPEND_ATTEMPTS = 4;

/**
 * The EventStore port over EventStoreDB / KurrentDB through @kurrent/kurrentdb-client: appends and
 * subscriptions on the client, reads over its grpc-js channel (eventstoredb-grpc-read.ts).
 */
export class EventStoreDbEventStore implements EventStore {
  readonly driver = 'eventstoredb';
  private readonly client: KurrentDBClient;
  private readonly claims: EventIdClaims;
  private readonly endpoint: string;
  private readonly subscriptions = new Set<Subscription>();
  private readonly deadlines: CallDeadlines;
  private readonly times: TransactionTimes;
  private maxAppendSize: number;
  private closed = false;

  constructor(private readonly options: EventStoreDbOptions) {
    this.client = connect(options.connectionString);
    const deadline = options.deadlineMs ?? deadlineOf(options.connectionString);
    this.deadlines = { readMs: deadline ?? DEFAULT_DEADLINE_MS, appendMs: options.deadlineMs };
    this.claims = new EventIdClaims(this.client, this.deadlines);
    this.times = new TransactionTimes(
      (from, maxCount) => this.readPort(from, maxCount, BACKWARDS),
      options.clock,
    );
    this.endpoint = endpointOf(options.connectionString);
    this.maxAppendSize = options.maxAppendSize ?? 1024 * 1024;
  }

  /**
   * Claims the ids, then appends at the exact revision of a scan (eventstoredb-idempotency.ts). A
   * call whose outcome is unknown (commit timeout, deadline, NotLeader, dropped connection: the
   * write may have been stored) is run again from the claim with the same event ids and append id,
   * up to `appendAttempts` times: a stored attempt is then found by the scan and answered as
   * written by this call, so nothing is stored twice and nothing is lost. Past the attempts the
   * caller gets EventStoreUnavailable (a 503 with Retry-After) and may retry with the same ids.
   */
  async append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (events.length === 0) throw new TypeError('append needs at least one event');
    const appendId = randomUUID();
    const size = appendSize(events.map((e) => encodeEvent(e, appendId, LARGEST_STAMP)));
    // Refused before anything is claimed, so the ids stay free for content that fits.
    if (size > this.maxAppendSize) throw new AppendTooLarge(stream, size, this.maxAppendSize);
    const attempts = this.options.appendAttempts ?? DEFAULT_APPEND_ATTEMPTS;
    return this.call(stream, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.appendOnce(stream, events, appendId, options);
        } catch (e) {
          if (e instanceof MaxAppendSizeExceededError) {
            this.maxAppendSize = e.maxAppendSize; // the node's own limit is lower: learn it
            throw new AppendTooLarge(stream, size, e.maxAppendSize);
          }
          if (!isTransient(e) || this.closed) throw e;
          if (attempt >= attempts) throw this.unconfirmed(stream, attempt, e);
          await new Promise((r) => setTimeout(r, (this.options.retryDelayMs ?? 100) * 2 ** (attempt - 1)));
        }
      }
    });
  }

  private async appendOnce(
    stream: string,
    events: readonly NewEvent[],
    appendId: string,
    options: AppendOptions,
  ): Promise<AppendResult> {
    const hashes = events.map(contentHash);
    const since = await this.claims.claim(stream, events, hashes);
    const expected = options.expectedRevision;
    for (let attempt = 1; ; attempt++) {
      // The stamp is read anew for every attempt: the head may have moved, or the leader changed.
      const [scan, stamp] = await Promise.all([this.claims.scan(stream, since), this.times.stamp()]);
      // Found with this call's append id: an earlier attempt whose answer was lost stored them.
      const stored = storedResult(stream, events, hashes, scan, appendId);
      if (stored) return stored;
      // 'any' and 'stream_exists' go out as the exact revision just read (see the idempotency notes).
      const target: AppendStreamState =
        expected === 'any'
          ? (scan.current ?? NO_STREAM)
          : expected === 'stream_exists'
            ? (scan.current ?? STREAM_EXISTS)
            : expected;
      try {
        await this.client.appendToStream(
          stream,
          events.map((e) => encodeEvent(e, appendId, stamp)),
          {
            streamState: target,
            deadline: this.deadlines.appendMs,
          },
        );
      } catch (e) {
        if (!(e instanceof WrongExpectedVersionError)) throw e;
        const retry = expected === 'any' || (expected === 'stream_exists' && e.actualState !== 'no_stream');
        if (attempt < MAX_ATTEMPTS && retry) continue;
        // Lost to a retry of this very append? Then that one's result is ours.
        const again = storedResult(stream, events, hashes, await this.claims.scan(stream, since), appendId);
        if (again) return again;
        throw e;
      }
      const written = storedResult(stream, events, hashes, await this.claims.scan(stream, since), appendId);
      if (!written) throw new Error(`append to ${stream} succeeded but its events cannot be read back`);
      return written;
    }
  }

  private unconfirmed(stream: string, attempts: number, cause: unknown): EventStoreUnavailable {
    const reason = cause instanceof Error && cause.message ? cause.message : 'no answer';
    return new EventStoreUnavailable(
      `EventStoreDB at ${this.endpoint} did not confirm the append to ${stream} in ${attempts} attempts ` +
        `(${reason}); it may have been stored: retry with the same event ids`,
      { cause },
    );
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    return this.call(stream, async () => {
      const read = await readStreamEvents(
        this.client,
        stream,
        {
          direction: backwards ? BACKWARDS : FORWARDS,
          fromRevision: options.fromRevision ?? (backwards ? END : START),
          maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
        },
        this.deadlines.readMs,
      );
      return this.times.decodeStream(read);
    });
  }

  /** The node keeps ids as GUIDs; what tells the form an id was first used in is its claim stream. */
  async storedEventId(id: string): Promise<string | null> {
    return this.call(undefined, () => this.claims.claimedForm(id));
  }

  async streamRevision(stream: string): Promise<bigint | null> {
    return this.call(stream, async () => {
      try {
        const [last] = await readStreamEvents(
          this.client,
          stream,
          { direction: BACKWARDS, fromRevision: END, maxCount: 1 },
          this.deadlines.readMs,
        );
        return last?.event?.revision ?? null;
      } catch (e) {
        if (e instanceof StreamNotFoundError) return null;
        throw e;
      }
    });
  }

  /**
   * The log without system events, claims and checkpoints (filtered by the node, and again here);
   * reads pages until `maxCount` events are found. recordedAt is the running maximum of the stamps,
   * seeded from the event before the start (eventstoredb-recorded-at.ts).
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const max = options.maxCount ?? 1000;
    return this.call(undefined, async () => {
      const out: RecordedEvent[] = [];
      let from: Position | typeof START = options.fromPosition ?? START;
      let time = from === START ? -Infinity : await this.times.timeBefore(from);
      for (;;) {
        const page = await this.readPort(from, PAGE, FORWARDS);
        for (const resolved of page) {
          const stamped = decodeEvent(resolved);
          if (!stamped || (from !== START && comparePositions(stamped.position, from) < 0)) continue;
          if (
            from !== START &&
            from !== options.fromPosition &&
            comparePositions(stamped.position, from) === 0
          )
            continue; // the first event of a following page is the last of the previous one
          time = Math.max(time, stampOf(resolved).at);
          this.times.remember(stamped.position, time);
          out.push(decodeEvent(resolved, time)!);
          if (out.length >= max) return out;
        }
        const last = page[page.length - 1]?.event?.position;
        if (page.length < PAGE || !last) return out;
        from = positionOf(last.commit, last.prepare);
      }
    });
  }

  async headPosition(): Promise<Position | null> {
    return this.call(undefined, async () => {
      let from: Position | typeof END = END;
      for (;;) {
        const page = await this.readPort(from, PAGE, BACKWARDS);
        for (const resolved of page) {
          const event = decodeEvent(resolved);
          if (event && (from === END || comparePositions(event.position, from) < 0)) return event.position;
        }
        const last = page[page.length - 1]?.event?.position;
        if (page.length < PAGE || !last) return null;
        from = positionOf(last.commit, last.prepare);
      }
    });
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const subscription = new EventStoreDbSubscription(
      {
        client: this.client,
        head: () => this.headPosition(),
        times: this.times,
        deadlineMs: this.deadlines.readMs,
        retryDelayMs: this.options.resubscribeDelayMs,
        highWaterMark: this.options.subscriptionBufferSize,
      },
      options.from,
    );
    this.subscriptions.add(subscription);
    return {
      [Symbol.asyncIterator]: () => subscription[Symbol.asyncIterator](),
      close: async () => {
        this.subscriptions.delete(subscription);
        await subscription.close();
      },
    };
  }

  async health(): Promise<StoreHealth> {
    if (this.closed) return { up: false, driver: this.driver, detail: 'event store is closed' };
    const ms = this.options.healthTimeoutMs ?? 2000;
    try {
      const last = { direction: BACKWARDS, fromPosition: END, maxCount: 1, portOnly: false } as const;
      await readAllEvents(this.client, last, ms);
      return { up: true, driver: this.driver };
    } catch (e) {
      const error = toPortError(e, this.endpoint);
      return { up: false, driver: this.driver, detail: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.subscriptions.clear();
    await this.client.dispose();
  }

  /** Runs one operation: refused once closed; client errors become the port's errors. */
  private async call<T>(stream: string | undefined, operation: () => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await operation();
    } catch (e) {
      throw toPortError(e, this.endpoint, stream);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailable('event store is closed');
  }

  /** A page of `$all` filtered by the node to the port's streams, with the read deadline. */
  private readPort(
    from: Position | typeof START | typeof END,
    maxCount: number,
    direction: typeof FORWARDS | typeof BACKWARDS,
  ): Promise<AllStreamResolvedEvent[]> {
    return readAllEvents(
      this.client,
      { fromPosition: from, direction, maxCount, portOnly: true },
      this.deadlines.readMs,
    );
  }
}
