import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  EventStoreError,
  EventStoreUnavailable,
  StreamNotFound,
  WrongExpectedRevision,
} from '../event-store.errors';

/** True for the errors after which the same call may succeed once the server is back. */
export function isTransient(e: unknown): boolean {
  return (
    e instanceof UnavailableError ||
    e instanceof DeadlineExceededError ||
    e instanceof CancelledError ||
    e instanceof TimeoutError ||
    e instanceof NotLeaderError ||
    e instanceof EventStoreUnavailable ||
    // grpc-js errors that reached us unconverted (status 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED)
    (typeof e === 'object' && e !== null && [4, 14].includes((e as { code?: unknown }).code as number))
  );
}

/** Turns a client error into the port's error; anything unknown is returned unchanged. */
export function toPortError(e: unknown, endpoint: string, stream?: string): unknown {
  if (e instanceof EventStoreError) return e;
  if (e instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevision(
      e.streamName ?? stream ?? '',
      String(e.expectedVersion),
      e.actualVersion === 'no_stream' ? 'no_stream' : BigInt(e.actualVersion),
    );
  }
  if (e instanceof StreamNotFoundError) return new StreamNotFound(stream ?? e.streamName ?? '');
  if (isTransient(e)) {
    const reason = e instanceof Error && e.message ? e.message : 'no answer';
    return new EventStoreUnavailable(`EventStoreDB at ${endpoint} is unavailable: ${reason}`, { cause: e });
  }
  return e;
}
