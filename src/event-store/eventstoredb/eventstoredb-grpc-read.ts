import {
  BACKWARDS,
  DeadlineExceededError,
  END,
  FORWARDS,
  START,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type Direction,
  type KurrentDBClient,
  type ResolvedEvent,
  type StreamingRead,
} from '@kurrent/kurrentdb-client';
import type { CallOptions, ClientReadableStream, Metadata } from '@grpc/grpc-js';
// The one place with deep imports of the client: its generated v1 code and two of its internals.
import {
  Empty,
  StreamIdentifier,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import { StreamsClient } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb';
import {
  ReadReq,
  type ReadResp,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import { ReadStream } from '@kurrent/kurrentdb-client/dist/streams/utils/ReadStream';
import { convertGrpcEvent } from '@kurrent/kurrentdb-client/dist/utils';
import type { Position } from '../position';
import { CHECKPOINT_STREAM, CLAIM_STREAM_PREFIX } from './eventstoredb-codec';

/*
 * Every read this adapter makes (stream reads, `$all` reads, claim reads, the audit checkpoint
 * stream) goes through here, not through the client's readStream/readAll. Those go through the
 * client's native (Rust) bridge, which takes no deadline and cannot be cancelled, rounds `created`
 * to whole seconds, and never reads again when the client was created while the node was down
 * (docs/eventstoredb-client.md). Here the Streams.Read request is built as the client's older
 * grpc-js path built it and sent over the client's own grpc-js channel (leader discovery,
 * reconnects, error conversion, the same channel as appends and subscriptions), with a gRPC
 * deadline, and cancelled when the deadline passes: the node sees the call end.
 *
 * `$all` reads are filtered by the node to the port's streams. A node filters `$all` reads and
 * subscriptions on the stream name or on the event type, one of the two; the stream name is the
 * one that removes claims (`evid-…`, one per stored event) and the checkpoint stream, and
 * `$`-prefixed streams go with them. `$`-typed events in ordinary streams (rare: link events a user
 * projection writes) still come, and isHidden drops them, as it drops anything a node did not filter.
 */

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Stream names the port shows: not `$…`, not a claim stream, not the checkpoint stream. */
export const PORT_STREAMS_REGEX = `^(?!\\$|${escape(CLAIM_STREAM_PREFIX)}|${escape(CHECKPOINT_STREAM)}$)`;

/** The subscription filter (the client passes it to the node as it is). */
export const portStreamsFilter = () => streamNameFilter({ regex: PORT_STREAMS_REGEX });

export interface StreamReadOptions {
  readonly direction?: Direction;
  readonly fromRevision?: bigint | typeof START | typeof END;
  readonly maxCount?: number;
}

export interface AllReadOptions {
  readonly fromPosition: Position | typeof START | typeof END;
  readonly direction?: Direction;
  /** With `portOnly`, counts matching events, as a node counts them for a filtered read. */
  readonly maxCount: number;
  /** Only the port's streams, filtered by the node (PORT_STREAMS_REGEX); else all of `$all`. */
  readonly portOnly: boolean;
}

/** The parts of the client that its own (older) grpc-js reads used and that it does not export. */
interface ClientInternals {
  GRPCStreamCreator(
    client: typeof StreamsClient,
    debugName: string,
    creator: (client: StreamsClient) => ClientReadableStream<ReadResp>,
  ): () => Promise<ClientReadableStream<ReadResp>>;
  callArguments(options: { deadline?: number }): [Metadata, CallOptions];
}

/** A stream read, whole, within `deadlineMs`; StreamNotFoundError when the stream does not exist. */
export function readStreamEvents(
  client: KurrentDBClient,
  stream: string,
  options: StreamReadOptions,
  deadlineMs: number,
): Promise<ResolvedEvent[]> {
  const identifier = new StreamIdentifier();
  identifier.setStreamName(Buffer.from(stream, 'utf8'));
  const s = new ReadReq.Options.StreamOptions();
  s.setStreamIdentifier(identifier);
  const from = options.fromRevision ?? START;
  if (from === START) s.setStart(new Empty());
  else if (from === END) s.setEnd(new Empty());
  else s.setRevision(from.toString());
  const o = baseOptions(options.direction, options.maxCount ?? Number.MAX_SAFE_INTEGER);
  o.setStream(s);
  o.setNoFilter(new Empty());
  return collect(send<ResolvedEvent>(client, 'readStream', o, deadlineMs), deadlineMs);
}

/** A `$all` read, whole, within `deadlineMs`. */
export function readAllEvents(
  client: KurrentDBClient,
  options: AllReadOptions,
  deadlineMs: number,
): Promise<AllStreamResolvedEvent[]> {
  const all = new ReadReq.Options.AllOptions();
  if (options.fromPosition === START) all.setStart(new Empty());
  else if (options.fromPosition === END) all.setEnd(new Empty());
  else {
    const position = new ReadReq.Options.Position();
    position.setCommitPosition(options.fromPosition.commit.toString());
    position.setPreparePosition(options.fromPosition.prepare.toString());
    all.setPosition(position);
  }
  const o = baseOptions(options.direction, options.maxCount);
  o.setAll(all);
  if (options.portOnly) {
    const expression = new ReadReq.Options.FilterOptions.Expression();
    expression.setRegex(PORT_STREAMS_REGEX);
    const filter = new ReadReq.Options.FilterOptions();
    filter.setStreamIdentifier(expression);
    filter.setCount(new Empty());
    filter.setCheckpointintervalmultiplier(1);
    o.setFilter(filter);
  } else o.setNoFilter(new Empty());
  return collect(send<AllStreamResolvedEvent>(client, 'readAll', o, deadlineMs), deadlineMs);
}

function baseOptions(direction: Direction | undefined, maxCount: number): ReadReq.Options {
  const uuid = new ReadReq.Options.UUIDOption();
  uuid.setString(new Empty());
  const o = new ReadReq.Options();
  o.setResolveLinks(false);
  o.setCount(maxCount.toString());
  o.setUuidOption(uuid);
  o.setReadDirection(
    (direction ?? FORWARDS) === BACKWARDS
      ? ReadReq.Options.ReadDirection.BACKWARDS
      : ReadReq.Options.ReadDirection.FORWARDS,
  );
  return o;
}

/** Sends the read over the client's grpc-js channel, the call bounded by a gRPC deadline. */
function send<E extends ResolvedEvent>(
  client: KurrentDBClient,
  name: string,
  options: ReadReq.Options,
  deadlineMs: number,
): StreamingRead<E> {
  const req = new ReadReq();
  req.setOptions(options);
  const internals = client as unknown as ClientInternals;
  const create = internals.GRPCStreamCreator(StreamsClient, name, (grpc) =>
    grpc.read(req, ...internals.callArguments({ deadline: deadlineMs })),
  );
  return new ReadStream<E>(create, (event) => convertGrpcEvent<E>(event), {});
}

/**
 * Reads a whole (bounded) read. The gRPC deadline ends the call on the wire; this timer also
 * covers the time before the call exists (connecting, discovering the leader): past `deadlineMs`
 * the read is cancelled and fails as a deadline does (EventStoreUnavailable for the port's
 * callers, retried by appends, a 503 at the API).
 */
async function collect<E>(read: StreamingRead<E>, deadlineMs: number): Promise<E[]> {
  const out: E[] = [];
  const drained = (async () => {
    for await (const e of read as AsyncIterable<E>) out.push(e);
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      drained.catch(() => undefined); // the cancelled read's own error is not the caller's
      void read.cancel().catch(() => undefined);
      reject(new DeadlineExceededError(undefined, `a read got no answer within ${deadlineMs} ms`));
    }, deadlineMs);
  });
  try {
    await Promise.race([drained, deadline]);
    return out;
  } finally {
    clearTimeout(timer);
  }
}
