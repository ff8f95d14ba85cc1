import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  EventStoreDBClient,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { contentHash } from '../append-rules';
import { EventStoreUnavailable } from '../event-store.errors';
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
import { decodeEvent, encodeEvent } from './eventstoredb-codec';
import { endpointOf, forClient } from './eventstoredb-connection';
import { toPortError } from './eventstoredb-errors';
import { EventIdClaims, collect, storedResult } from './eventstoredb-idempotency';
import { EventStoreDbSubscription } from './eventstoredb-subscription';

export interface EventStoreDbOptions {
  /** esdb://host:port?tls=false, esdb+discover://…; see README "Running on EventStoreDB / KurrentDB". */
  readonly connectionString: string;
  /** How long health() waits for the server. */
  readonly healthTimeoutMs?: number;
  /** First delay before a dropped subscription resubscribes (it grows up to 5 s). */
  readonly resubscribeDelayMs?: number;
  /** Events a subscription holds for a slow consumer before it stops reading from the server. */
  readonly subscriptionBufferSize?: number;
}

/**
 * How often an 'any' / 'stream_exists' append retries after losing a race to another writer; past
 * that the caller gets the WrongExpectedRevision (a conflict it may retry).
 */
const MAX_ATTEMPTS = 20;
const PAGE = 256;

/** The EventStore port over EventStoreDB / KurrentDB through @eventstore/db-client (gRPC). */
export class EventStoreDbEventStore implements EventStore {
  readonly driver = 'eventstoredb';
  private readonly client: EventStoreDBClient;
  private readonly claims: EventIdClaims;
  private readonly endpoint: string;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(private readonly options: EventStoreDbOptions) {
    this.client = EventStoreDBClient.connectionString(forClient(options.connectionString));
    this.claims = new EventIdClaims(this.client);
    this.endpoint = endpointOf(options.connectionString);
  }

  async append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (events.length === 0) throw new TypeError('append needs at least one event');
    const hashes = events.map(contentHash);
    const appendId = randomUUID();
    return this.call(stream, async () => {
      const since = await this.claims.claim(stream, events, hashes);
      const expected = options.expectedRevision;
      for (let attempt = 1; ; attempt++) {
        const scan = await this.claims.scan(stream, since);
        const stored = storedResult(stream, events, hashes, scan, null);
        if (stored) return stored;
        // 'any' and 'stream_exists' go out as the exact revision just read (see the idempotency notes).
        const target: AppendExpectedRevision =
          expected === 'any'
            ? (scan.current ?? NO_STREAM)
            : expected === 'stream_exists'
              ? (scan.current ?? STREAM_EXISTS)
              : expected;
        try {
          const encoded = events.map((e) => encodeEvent(e, appendId));
          await this.client.appendToStream(stream, encoded, { expectedRevision: target });
        } catch (e) {
          if (!(e instanceof WrongExpectedVersionError)) throw e;
          const retry =
            expected === 'any' || (expected === 'stream_exists' && e.actualVersion !== 'no_stream');
          if (attempt < MAX_ATTEMPTS && retry) continue;
          // Lost to a retry of this very append? Then that one's result is ours.
          const again = storedResult(stream, events, hashes, await this.claims.scan(stream, since), null);
          if (again) return again;
          throw e;
        }
        const written = storedResult(stream, events, hashes, await this.claims.scan(stream, since), appendId);
        if (!written) throw new Error(`append to ${stream} succeeded but its events cannot be read back`);
        return written;
      }
    });
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    return this.call(stream, async () => {
      const read = await collect(
        this.client.readStream(stream, {
          direction: backwards ? BACKWARDS : FORWARDS,
          fromRevision: options.fromRevision ?? (backwards ? END : START),
          maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
        }),
      );
      return decodeAll(read);
    });
  }

  async streamRevision(stream: string): Promise<bigint | null> {
    return this.call(stream, async () => {
      try {
        const [last] = await collect(
          this.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }),
        );
        return last?.event?.revision ?? null;
      } catch (e) {
        if (e instanceof StreamNotFoundError) return null;
        throw e;
      }
    });
  }

  /** The log without system events and claim streams; reads pages until `maxCount` events are found. */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const max = options.maxCount ?? 1000;
    return this.call(undefined, async () => {
      const out: RecordedEvent[] = [];
      let from: Position | typeof START = options.fromPosition ?? START;
      for (;;) {
        const page = await collect(this.client.readAll({ fromPosition: from, maxCount: PAGE }));
        for (const resolved of page) {
          const event = decodeEvent(resolved);
          if (!event || (from !== START && comparePositions(event.position, from) < 0)) continue;
          if (from !== START && from !== options.fromPosition && comparePositions(event.position, from) === 0)
            continue; // the first event of a following page is the last of the previous one
          out.push(event);
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
        const page = await collect(
          this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: PAGE }),
        );
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
    // The client gives reads no deadline, so the wait is bounded here.
    const ms = this.options.healthTimeoutMs ?? 2000;
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new EventStoreUnavailable(`EventStoreDB at ${this.endpoint} gave no answer in ${ms} ms`)),
        ms,
      );
    });
    try {
      await Promise.race([collect(read), timeout]);
      return { up: true, driver: this.driver };
    } catch (e) {
      const error = toPortError(e, this.endpoint);
      return { up: false, driver: this.driver, detail: (error as Error).message };
    } finally {
      clearTimeout(timer);
      await read.cancel().catch(() => undefined);
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
}

function decodeAll(read: readonly ResolvedEvent[]): RecordedEvent[] {
  return read.map(decodeEvent).filter((e): e is RecordedEvent => e !== null);
}
