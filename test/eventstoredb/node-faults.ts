import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import * as shared from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import { Status } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb';
import { Code } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/code_pb';

/**
 * What a real node answers when a write cannot be acknowledged, as the EventStoreDB server sends it
 * (Services/Transport/Grpc: RpcExceptions, Streams.Append, Streams.BatchAppend) and as
 * @kurrent/kurrentdb-client 1.3.1 maps it (utils/CommandError.js convertToCommandError, appendToStream/):
 *
 * | fault          | Streams.Append (status + trailers)                         | Streams.BatchAppend                                   | client error               |
 * | not-leader     | NOT_FOUND, `exception: not-leader`, leader host and port   | the whole call ends with that status                  | NotLeaderError (+ reconnect to the leader) |
 * | commit-timeout | ABORTED "Operation timed out"                              | reply Status{DEADLINE_EXCEEDED, details Timeout}      | UnknownError, code 10 (Append) / DeadlineExceededError (BatchAppend) |
 * | deadline       | no reply: the client's gRPC deadline fires                 | reply Status.Timeout at the request's `deadline`      | DeadlineExceededError      |
 * | too large      | INVALID_ARGUMENT, `exception: maximum-append-size-exceeded`, `maximum-append-size` | reply Status{INVALID_ARGUMENT, details MaximumAppendSizeExceeded} | MaxAppendSizeExceededError |
 *
 * A commit timeout or a deadline says nothing about the write: `written` chooses whether the events
 * were stored all the same (the uncertain commit a client has to resolve) or not. `slow-commit`
 * holds a write until `until` settles and then commits it (a write that other writes overtake).
 */
export type AppendFault =
  | { readonly kind: 'not-leader'; readonly leader?: { readonly host: string; readonly port: number } }
  | { readonly kind: 'slow-commit'; readonly until: Promise<void> }
  | { readonly kind: 'commit-timeout'; readonly written: boolean }
  | { readonly kind: 'deadline'; readonly written: boolean };

interface PlannedFault {
  readonly fault: AppendFault;
  readonly stream: (name: string) => boolean;
  remaining: number;
}

/** Faults planned for coming appends, consumed in order by the appends they match. */
export class FaultPlan {
  private readonly planned: PlannedFault[] = [];
  /** Reads held without an answer (a node that stopped answering reads), for the next `reads` reads. */
  stalledReads = 0;
  /** Subscriptions held without a confirmation or any event, for the next this many subscriptions. */
  stalledSubscriptions = 0;
  /** Held reads that the client ended (its deadline passed, or it cancelled): the node saw them go. */
  endedStalledReads = 0;
  /** How many faults have been served, for tests. */
  served = 0;

  /** The next `times` appends to a stream matching `stream` (default: any stream) fail with `fault`. */
  failAppends(
    fault: AppendFault,
    options: { stream?: (name: string) => boolean; times?: number } = {},
  ): void {
    this.planned.push({ fault, stream: options.stream ?? (() => true), remaining: options.times ?? 1 });
  }

  /** Takes the fault for an append to `stream`, if one is planned. */
  take(stream: string): AppendFault | undefined {
    const next = this.planned.find((p) => p.remaining > 0 && p.stream(stream));
    if (!next) return undefined;
    next.remaining -= 1;
    this.served += 1;
    return next.fault;
  }

  /** Takes a stalled read, if one is planned. */
  takeStalledRead(): boolean {
    if (this.stalledReads <= 0) return false;
    this.stalledReads -= 1;
    return true;
  }

  /** Takes a stalled subscription, if one is planned. */
  takeStalledSubscription(): boolean {
    if (this.stalledSubscriptions <= 0) return false;
    this.stalledSubscriptions -= 1;
    return true;
  }

  clear(): void {
    this.planned.length = 0;
    this.stalledReads = 0;
    this.stalledSubscriptions = 0;
  }
}

/** The real node's leader redirection (RpcExceptions.LeaderInfo). */
export function notLeaderError(leader: { host: string; port: number }): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set('exception', 'not-leader');
  metadata.set('leader-endpoint-host', leader.host);
  metadata.set('leader-endpoint-port', String(leader.port));
  return { code: grpc.status.NOT_FOUND, details: 'Leader info available', metadata };
}

/** Streams.Append: a commit, prepare or forward timeout (RpcExceptions.Timeout). */
export const appendTimeoutError = (): Partial<grpc.StatusObject> => ({
  code: grpc.status.ABORTED,
  details: 'Operation timed out',
});

/** Streams.Append over the maximum append size (RpcExceptions.MaxAppendSizeExceeded). */
export function maxAppendSizeError(max: number): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set('exception', 'maximum-append-size-exceeded');
  metadata.set('maximum-append-size', String(max));
  return { code: grpc.status.INVALID_ARGUMENT, details: `Maximum Append Size of ${max} Exceeded.`, metadata };
}

/** Streams.BatchAppend: Status.Timeout. */
export function batchTimeoutStatus(): Status {
  const details = new Any();
  details.pack(new shared.Timeout().serializeBinary(), 'event_store.client.Timeout');
  const status = new Status();
  status.setCode(Code.DEADLINE_EXCEEDED);
  status.setMessage('Timeout');
  status.setDetails(details);
  return status;
}

/** Streams.BatchAppend: Status.MaximumAppendSizeExceeded. */
export function batchMaxAppendSizeStatus(max: number): Status {
  const exceeded = new shared.MaximumAppendSizeExceeded();
  exceeded.setMaxappendsize(max);
  const details = new Any();
  details.pack(exceeded.serializeBinary(), 'event_store.client.MaximumAppendSizeExceeded');
  const status = new Status();
  status.setCode(Code.INVALID_ARGUMENT);
  status.setMessage('MaximumAppendSizeExceeded');
  status.setDetails(details);
  return status;
}

/** A real node's size of an event against the limit (Event.SizeOnDisk): data, metadata, type in UTF-16. */
export const sizeOnDisk = (type: string, data: Uint8Array, customMetadata: Uint8Array): number =>
  data.length + customMetadata.length + type.length * 2;

/** The default `MaxAppendSize` of a node: 1 MiB. */
export const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;
