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
