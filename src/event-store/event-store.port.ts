import type { Position } from './position';

export type { Position } from './position';

/** Injection token for the one EventStore of the application. */
export const EVENT_STORE = Symbol('EVENT_STORE');

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type JsonObject = { [key: string]: unknown };

export interface EventMetadata {
  /** Server time when the event was appended (ISO 8601, UTC); non-decreasing in log order. */
  readonly recordedAt: string;
  /** Who appended it: taken from the authenticated key, never from a request body. */
  readonly principal: string;
  readonly correlationId: string;
  readonly causationId: string | null;
}

export interface NewEvent {
  /** UUID; the idempotency key. */
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: Omit<EventMetadata, 'recordedAt'>;
}

export interface RecordedEvent<D extends JsonObject = JsonObject> {
  readonly id: string;
  readonly stream: string;
  readonly revision: bigint;
  readonly position: Position;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: D;
  readonly metadata: EventMetadata;
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  readonly stream: string;
  /** Revision of the last event written (or found, for an idempotent retry). */
  readonly nextExpectedRevision: bigint;
  /** Position of the last event written. */
  readonly position: Position;
  /** One entry per appended event, in order. */
  readonly events: ReadonlyArray<{
    readonly id: string;
    readonly revision: bigint;
    readonly position: Position;
  }>;
  /** True when every event was already stored with identical content and nothing was written. */
  readonly idempotent: boolean;
}

export interface ReadStreamOptions {
  /** Inclusive. Default: the first revision (forwards) or the last (backwards). */
  readonly fromRevision?: bigint;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Inclusive. Default: the start of the log. */
  readonly fromPosition?: Position;
  /** Default 1,000; the log is read in pages. */
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Exclusive: events strictly after this position. 'start' for the whole log, 'end' for new events only. */
  readonly from: Position | 'start' | 'end';
}

export type SubscriptionItem =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  /** Emitted each time the subscription passes from catching up to following live. */
  | { readonly kind: 'caught-up'; readonly position: Position | null };

/**
 * A slow consumer is never dropped and never has to resume from a checkpoint of its own: the
 * subscription applies back-pressure and waits for it. The SQLite adapter reads the next page (512
 * events) only when the consumer asks for it, so unread events stay in the file; the EventStoreDB
 * adapter pauses the gRPC stream (flow control) once `subscriptionBufferSize` events (512 by default)
 * wait unconsumed, and resumes it when fewer than half do. A server FellBehind only starts a new
 * catch-up pass (a new caught-up item follows). When the EventStoreDB connection drops, the
 * subscription resubscribes on its own from the last event the consumer received (events buffered
 * but not yet consumed are read again), so nothing is skipped or repeated; other errors end the
 * iteration with that error.
 */
export interface Subscription extends AsyncIterable<SubscriptionItem> {
  /** Ends the iteration; pending reads finish. Safe to call twice. */
  close(): Promise<void>;
}

export interface StoreHealth {
  readonly up: boolean;
  readonly driver: string;
  readonly detail?: string;
}

/**
 * The event store port. Semantics (proven for every adapter by `testing/event-store.contract.ts`):
 * - revisions start at 0 and are contiguous per stream; appends to one stream are atomic;
 * - a wrong expected revision throws WrongExpectedRevision carrying the actual revision;
 * - an event id already stored with identical content is not stored twice (the original result
 *   is returned); the same id with other content, or in another stream, throws DuplicateEvent;
 *   ids are UUIDs, the same in any case;
 * - positions are totally ordered; readAll and subscribeToAll follow the log order;
 * - readStream of a stream that does not exist throws StreamNotFound.
 */
export interface EventStore {
  readonly driver: string;
  append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The current revision of a stream, or null when it does not exist. */
  streamRevision(stream: string): Promise<bigint | null>;
  /**
   * The form in which an event id is stored, looked up without regard to case, or null when no
   * event has it. Ids are UUIDs and are stored in lower case; an id stored before that in another
   * case keeps its form (audit leaves commit to it), so a retry can find and use it.
   */
  storedEventId(id: string): Promise<string | null>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last event in the log (null when empty). */
  headPosition(): Promise<Position | null>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
