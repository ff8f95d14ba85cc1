/** Errors raised by every EventStore adapter. Each carries a stable `code`. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

export type ActualRevision = bigint | 'no_stream';

export class WrongExpectedRevision extends EventStoreError {
  readonly code = 'wrong_expected_revision';
  constructor(
    readonly stream: string,
    readonly expected: string,
    readonly actual: ActualRevision,
  ) {
    super(`stream ${stream} is at revision ${String(actual)}, expected ${expected}`);
  }
}

/** The same event id was stored before with different content, or in another stream. */
export class DuplicateEvent extends EventStoreError {
  readonly code = 'duplicate_event';
  constructor(
    readonly eventId: string,
    readonly storedIn: string,
    reason: string,
  ) {
    super(`event ${eventId} already stored in ${storedIn}: ${reason}`);
  }
}

export class StreamNotFound extends EventStoreError {
  readonly code = 'stream_not_found';
  constructor(readonly stream: string) {
    super(`stream ${stream} not found`);
  }
}

/** The store cannot be reached or cannot write (server down, disk full, read-only file). */
export class EventStoreUnavailable extends EventStoreError {
  readonly code = 'store_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const isWrongExpectedRevision = (e: unknown): e is WrongExpectedRevision =>
  e instanceof WrongExpectedRevision;
export const isStreamNotFound = (e: unknown): e is StreamNotFound => e instanceof StreamNotFound;
export const isDuplicateEvent = (e: unknown): e is DuplicateEvent => e instanceof DuplicateEvent;

/**
 * An append larger than the store takes in one write (EventStoreDB / KurrentDB: the node's
 * MaxAppendSize, 1 MiB by default). Nothing was written. `statusCode` lets the HTTP layer's
 * mapping of client errors answer 413 payload_too_large.
 */
export class AppendTooLarge extends EventStoreError {
  readonly code = 'payload_too_large';
  readonly statusCode = 413;
  constructor(
    readonly stream: string,
    /** The append's size as the store counts it, when known. */
    readonly size: number | null,
    readonly maxAppendSize: number,
  ) {
    super(
      `the append to ${stream} is too large for the event store: ${size === null ? 'over' : `${size} bytes against`} ` +
        `its maximum append size of ${maxAppendSize} bytes (data, metadata and twice the type's length)`,
    );
  }
}

export const isAppendTooLarge = (e: unknown): e is AppendTooLarge => e instanceof AppendTooLarge;
