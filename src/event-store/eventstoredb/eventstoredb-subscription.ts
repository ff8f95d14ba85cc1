import {
  DeadlineExceededError,
  END,
  START,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import { EventStoreUnavailable } from '../event-store.errors';
import type { RecordedEvent, Subscription, SubscriptionItem } from '../event-store.port';
import { comparePositions, type Position } from '../position';
import { decodeEvent, stampOf } from './eventstoredb-codec';
import { isTransient } from './eventstoredb-errors';
import { portStreamsFilter } from './eventstoredb-grpc-read';
import type { TransactionTimes } from './eventstoredb-recorded-at';

export interface SubscriptionDeps {
  readonly client: KurrentDBClient;
  /** Position of the last event the port shows, read when a (re)subscription starts. */
  readonly head: () => Promise<Position | null>;
  /** Pause the gRPC stream when this many items wait for the consumer (backpressure). */
  readonly highWaterMark?: number;
  /** First delay before resubscribing after the server dropped the subscription. */
  readonly retryDelayMs?: number;
  /** Transaction times along `$all` (eventstoredb-recorded-at.ts). */
  readonly times: TransactionTimes;
  /** How long a (re)subscription waits for the node's confirmation before it starts again. */
  readonly deadlineMs: number;
}

type Waiter = () => void;

/** An event as received: its transaction time is set when it is handed to the consumer. */
type Received =
  | { readonly kind: 'event'; readonly event: RecordedEvent; readonly resolved: AllStreamResolvedEvent }
  | Extract<SubscriptionItem, { kind: 'caught-up' }>;

/**
 * subscribeToAll over the client's catch-up subscription, filtered by the node to the port's
 * streams (eventstoredb-grpc-read.ts), and again client-side (isHidden).
 *
 * recordedAt: the running maximum of the stamps along `$all`, seeded for the first event from the
 * events before it and carried over a resubscription (eventstoredb-recorded-at.ts).
 *
 * Deadline: a (re)subscription the node does not confirm within `deadlineMs` is dropped and
 * started again, as for a lost connection.
 *
 * Caught-up: the server's CaughtUp message (client 6.1+, servers 23.10+), or, for servers that
 * never send it, the first delivered event at or after the head read when the subscription started
 * (immediately when the start is already past it). Emitted once per pass from catch-up to live; a
 * FellBehind message from the server starts a new pass.
 *
 * Drops: when the server goes away (unavailable, cancelled) the subscription resubscribes, with a
 * growing delay, from the position of the last event the consumer received, so nothing is skipped or
 * repeated; events received but not yet consumed are discarded and read again. Other errors end the
 * iteration with that error.
 */
export class EventStoreDbSubscription implements Subscription {
  private readonly queue: Received[] = [];
  /** Transaction time of the last event handed to the consumer; undefined until it is known. */
  private time: number | undefined;
  private confirmTimer: NodeJS.Timeout | undefined;
  private waiter: Waiter | null = null;
  private failure: Error | null = null;
  private closed = false;
  private inner: AllStreamSubscription | null = null;
  /** Position of the last event handed to the consumer: where a resubscription starts. */
  private delivered: Position | null;
  private live = false;
  /** The head read when the current (re)subscription started; undefined until it is known. */
  private head: Position | null | undefined = undefined;
  private endFallback: Position | null | undefined = undefined;
  /** A caught-up that must wait until these many items already buffered by the client are queued. */
  private caughtUpAfter: number | null = null;
  private readonly highWaterMark: number;
  private readonly retryDelayMs: number;
  private attempt = 0;

  constructor(
    private readonly deps: SubscriptionDeps,
    private readonly from: Position | 'start' | 'end',
  ) {
    this.delivered = typeof from === 'object' ? from : null;
    this.time = from === 'start' ? -Infinity : undefined;
    this.highWaterMark = deps.highWaterMark ?? 512;
    this.retryDelayMs = deps.retryDelayMs ?? 250;
    this.open();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    await this.stopInner();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
    try {
      while (!this.closed) {
        const item = this.queue.shift();
        if (item) {
          if (this.queue.length < this.highWaterMark / 2) this.inner?.resume();
          if (item.kind !== 'event') {
            yield item;
            continue;
          }
          const event = await this.timed(item);
          if (!event) break;
          this.delivered = event.position;
          yield { kind: 'event', event };
          continue;
        }
        if (this.failure) throw this.failure;
        await new Promise<void>((resolve) => (this.waiter = resolve));
      }
    } finally {
      await this.close();
    }
  }

  /** The event with its transaction time; null once closed. */
  private async timed(item: Extract<Received, { kind: 'event' }>): Promise<RecordedEvent | null> {
    const { position } = item.event;
    const at = stampOf(item.resolved).at;
    for (let attempt = 0; this.time === undefined; attempt++) {
      try {
        this.time = await this.deps.times.timeAt(position, item.resolved);
      } catch (e) {
        if (!isTransient(e)) throw e;
        await new Promise((r) => setTimeout(r, Math.min(this.retryDelayMs * 2 ** attempt, 5_000)));
        if (this.closed) return null;
      }
    }
    this.time = Math.max(this.time, at);
    this.deps.times.remember(position, this.time);
    if (this.live) this.deps.times.noteLive(position, this.time);
    return {
      ...item.event,
      metadata: { ...item.event.metadata, recordedAt: new Date(this.time).toISOString() },
    };
  }

  private open(): void {
    if (this.closed) return;
    this.live = false;
    this.caughtUpAfter = null;
    this.head = undefined;
    // 'end' is resolved by the server on the first subscription; a resubscription before anything
    // was delivered starts from the head read alongside it, so an outage does not skip events.
    const fromEnd = this.delivered === null && this.from === 'end' && this.endFallback === undefined;
    const inner = this.deps.client.subscribeToAll({
      fromPosition: this.delivered ?? (fromEnd ? END : (this.endFallback ?? START)),
      filter: portStreamsFilter(),
    });
    this.inner = inner;
    clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => {
      const error = new DeadlineExceededError(
        undefined,
        `no subscription confirmation within ${this.deps.deadlineMs} ms`,
      );
      if (this.inner === inner) void this.dropped(error);
    }, this.deps.deadlineMs);
    this.deps.head().then(
      (head) => {
        if (fromEnd) this.endFallback ??= head;
        else if (this.inner === inner) {
          this.head = head;
          this.fallbackCaughtUp();
        }
      },
      () => undefined, // the subscription itself reports the outage
    );
    inner.on('data', (resolved: AllStreamResolvedEvent) => {
      if (this.inner === inner) this.onData(resolved);
    });
    inner.on('confirmation', () => {
      if (this.inner === inner) clearTimeout(this.confirmTimer);
      this.attempt = 0;
      if (fromEnd) this.caughtUp();
      else this.fallbackCaughtUp();
    });
    inner.on('caughtUp', () => {
      // Items the client buffered before this message are still to come as 'data'.
      if (inner.readableLength === 0) this.caughtUp();
      else this.caughtUpAfter = inner.readableLength;
    });
    inner.on('fellBehind', () => (this.live = false));
    inner.on('error', (e: unknown) => {
      if (this.inner === inner) void this.dropped(e);
    });
    inner.on('end', () => {
      if (this.inner === inner)
        void this.dropped(new EventStoreUnavailable('the server ended the subscription'));
    });
  }

  private onData(resolved: AllStreamResolvedEvent): void {
    const event = decodeEvent(resolved);
    if (event) {
      this.queue.push({ kind: 'event', event, resolved });
      this.fallbackCaughtUp();
      if (this.queue.length >= this.highWaterMark) this.inner?.pause();
    }
    if (this.caughtUpAfter !== null && --this.caughtUpAfter <= 0) this.caughtUp();
    this.wake();
  }

  /** For servers without CaughtUp messages: live once the head read at the start is delivered. */
  private fallbackCaughtUp(): void {
    if (this.live || this.head === undefined) return;
    const last = this.lastQueued() ?? this.delivered;
    if (this.head === null || (last && comparePositions(last, this.head) >= 0)) this.caughtUp();
  }

  private lastQueued(): Position | null {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const item = this.queue[i]!;
      if (item.kind === 'event') return item.event.position;
    }
    return null;
  }

  private caughtUp(): void {
    this.caughtUpAfter = null;
    if (this.live) return;
    this.live = true;
    this.queue.push({ kind: 'caught-up', position: this.lastQueued() ?? this.delivered });
    this.wake();
  }

  private async dropped(error: unknown): Promise<void> {
    await this.stopInner();
    if (this.closed) return;
    if (!isTransient(error)) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.wake();
      return;
    }
    // Resume from what the consumer has actually received; drop what it has not.
    const pending = this.queue.findIndex((i) => i.kind === 'event');
    if (pending >= 0) this.queue.splice(pending);
    const delay = Math.min(this.retryDelayMs * 2 ** this.attempt++, 5_000);
    await new Promise((r) => setTimeout(r, delay));
    this.open();
  }

  private async stopInner(): Promise<void> {
    clearTimeout(this.confirmTimer);
    const inner = this.inner;
    this.inner = null;
    if (!inner) return;
    inner.removeAllListeners('data');
    inner.on('error', () => undefined);
    await inner.unsubscribe().catch(() => undefined);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }
}
