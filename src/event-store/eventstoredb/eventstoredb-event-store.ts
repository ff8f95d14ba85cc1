import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  StreamNotFoundError,
  type AllStreamResolvedEvent,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
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
import { decodeEvent, stampOf } from './eventstoredb-codec';
import { connect, deadlineOf, endpointOf } from './eventstoredb-connection';
import { EventStoreDbAppends } from './eventstoredb-append';
import { toPortError } from './eventstoredb-errors';
import { readAllEvents, readStreamEvents } from './eventstoredb-grpc-read';
import type { CallDeadlines } from './eventstoredb-idempotency';
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
  /**
   * Write each append as one multi-stream append session where the node offers them (KurrentDB
   * 25.1+; default true): the claims and the events in one transaction. False: always two appends.
   */
  readonly appendSessions?: boolean;
  /**
   * How long the last event a live subscription delivered stands in for the head of `$all` in the
   * writer's stamp (eventstoredb-recorded-at.ts; default 1 s).
   */
  readonly liveHeadMs?: number;
  /** This instance's clock (ms since the epoch), for the writer's stamp (eventstoredb-recorded-at.ts). */
  readonly clock?: () => number;
}

const PAGE = 256;
const DEFAULT_DEADLINE_MS = 10_000;

/**
 * The EventStore port over EventStoreDB / KurrentDB through @kurrent/kurrentdb-client: appends and
 * subscriptions on the client, reads over its grpc-js channel (eventstoredb-grpc-read.ts).
 */
export class EventStoreDbEventStore implements EventStore {
  readonly driver = 'eventstoredb';
  private readonly client: KurrentDBClient;
  private readonly appends: EventStoreDbAppends;
  private readonly endpoint: string;
  private readonly subscriptions = new Set<Subscription>();
  private readonly deadlines: CallDeadlines;
  private readonly times: TransactionTimes;
  private closed = false;

  constructor(private readonly options: EventStoreDbOptions) {
    this.client = connect(options.connectionString);
    const deadline = options.deadlineMs ?? deadlineOf(options.connectionString);
    this.deadlines = { readMs: deadline ?? DEFAULT_DEADLINE_MS, appendMs: options.deadlineMs };
    this.times = new TransactionTimes(
      (from, maxCount) => this.readPort(from, maxCount, BACKWARDS),
      options.clock,
      options.liveHeadMs,
    );
    this.endpoint = endpointOf(options.connectionString);
    this.appends = new EventStoreDbAppends(this.client, this.times, {
      ...options,
      deadlines: this.deadlines,
      endpoint: this.endpoint,
      closed: () => this.closed,
    });
  }

  /** Appends with idempotency by event id, in one session where the node has them (eventstoredb-append.ts). */
  async append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    return this.call(stream, () => this.appends.append(stream, events, options));
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
    return this.call(undefined, () => this.appends.idClaims.claimedForm(id));
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
