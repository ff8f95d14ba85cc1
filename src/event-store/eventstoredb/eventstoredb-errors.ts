import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import {
  EventStoreError,
  EventStoreUnavailable,
  StreamNotFound,
  WrongExpectedRevision,
} from '../event-store.errors';

/** gRPC status codes: 4 DEADLINE_EXCEEDED, 10 ABORTED, 14 UNAVAILABLE. */
const DEADLINE_EXCEEDED = 4;
const ABORTED = 10;
const UNAVAILABLE = 14;

/** True for the errors after which the same call may succeed once the server is back. */
export function isTransient(e: unknown): boolean {
  return (
    e instanceof UnavailableError ||
    e instanceof DeadlineExceededError ||
    e instanceof CancelledError ||
    e instanceof TimeoutError ||
    e instanceof NotLeaderError ||
    e instanceof EventStoreUnavailable ||
    // A commit timeout on Streams.Append (ABORTED without status details): the client gives it
    // as UnknownError, where client 6.2.1 gave TimeoutError. The write may have been stored.
    (e instanceof UnknownError && (e.code as number | undefined) === ABORTED) ||
    // grpc-js errors that reached us unconverted (an append to a stopped node, a lost call)
    (typeof e === 'object' &&
      e !== null &&
      [DEADLINE_EXCEEDED, UNAVAILABLE].includes((e as { code?: unknown }).code as number))
  );
}

/** Turns a client error into the port's error; anything unknown is returned unchanged. */
export function toPortError(e: unknown, endpoint: string, stream?: string): unknown {
  if (e instanceof EventStoreError) return e;
  if (e instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevision(
      e.streamName ?? stream ?? '',
      String(e.expectedState),
      e.actualState === 'no_stream' ? 'no_stream' : BigInt(e.actualState),
    );
  }
  if (e instanceof StreamNotFoundError) return new StreamNotFound(stream ?? e.streamName ?? '');
  if (isTransient(e)) {
    const reason = e instanceof Error && e.message ? e.message : 'no answer';
    return new EventStoreUnavailable(`EventStoreDB at ${endpoint} is unavailable: ${reason}`, { cause: e });
  }
  return e;
}
