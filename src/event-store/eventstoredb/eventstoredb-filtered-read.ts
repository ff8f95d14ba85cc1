import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type Direction,
  type EventStoreDBClient,
  type StreamingRead,
} from '@eventstore/db-client';
import type { ClientReadableStream, Metadata, CallOptions } from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { ReadStream } from '@eventstore/db-client/dist/streams/utils/ReadStream';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils';
import type { Position } from '../position';
import { CHECKPOINT_STREAM, CLAIM_STREAM_PREFIX } from './eventstoredb-codec';

/*
 * `$all` without this adapter's own streams, filtered by the node. A node filters `$all` reads and
 * subscriptions on the stream name or on the event type, one of the two; the stream name is the one
 * that removes claims (`evid-…`, one per stored event) and the checkpoint stream, and `$`-prefixed
 * streams go with them. `$`-typed events in ordinary streams (rare: link events a user projection
 * writes) still come, and isHidden drops them, as it drops anything a node did not filter.
 */

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Stream names the port shows: not `$…`, not a claim stream, not the checkpoint stream. */
export const PORT_STREAMS_REGEX = `^(?!\\$|${escape(CLAIM_STREAM_PREFIX)}|${escape(CHECKPOINT_STREAM)}$)`;

/** The subscription filter (client 6.2.1 passes it to the node as it is). */
export const portStreamsFilter = () => streamNameFilter({ regex: PORT_STREAMS_REGEX });

export interface FilteredReadOptions {
  readonly fromPosition: Position | typeof START | typeof END;
  readonly direction?: Direction;
  readonly maxCount: number;
  /** The call's gRPC deadline (the client's own readAll gives none). */
  readonly deadlineMs: number;
}

/** The parts of the client that its own readAll uses and does not export. */
interface ClientInternals {
  GRPCStreamCreator(
    client: typeof StreamsClient,
    debugName: string,
    creator: (client: StreamsClient) => ClientReadableStream<ReadResp>,
  ): () => Promise<ClientReadableStream<ReadResp>>;
  callArguments(options: { deadline?: number }): [Metadata, CallOptions];
}

/**
 * A `$all` read filtered by the node on the port's stream names, with a deadline: the request the
 * client's readAll builds (client 6.2.1 always sends it unfiltered and without a deadline), sent
 * through the client's own connection handling (leader discovery, reconnects, error conversion).
 * `maxCount` counts matching events, as a node counts them for a filtered read.
 */
export function readPortEvents(
  client: EventStoreDBClient,
  options: FilteredReadOptions,
): StreamingRead<AllStreamResolvedEvent> {
  const all = new ReadReq.Options.AllOptions();
  if (options.fromPosition === START) all.setStart(new Empty());
  else if (options.fromPosition === END) all.setEnd(new Empty());
  else {
    const position = new ReadReq.Options.Position();
    position.setCommitPosition(options.fromPosition.commit.toString());
    position.setPreparePosition(options.fromPosition.prepare.toString());
    all.setPosition(position);
  }
  const expression = new ReadReq.Options.FilterOptions.Expression();
  expression.setRegex(PORT_STREAMS_REGEX);
  const filter = new ReadReq.Options.FilterOptions();
  filter.setStreamIdentifier(expression);
  filter.setCount(new Empty());
  filter.setCheckpointintervalmultiplier(1);
  const uuid = new ReadReq.Options.UUIDOption();
  uuid.setString(new Empty());
  const o = new ReadReq.Options();
  o.setAll(all);
  o.setResolveLinks(false);
  o.setCount(options.maxCount.toString());
  o.setUuidOption(uuid);
  o.setFilter(filter);
  o.setReadDirection(
    (options.direction ?? FORWARDS) === BACKWARDS
      ? ReadReq.Options.ReadDirection.BACKWARDS
      : ReadReq.Options.ReadDirection.FORWARDS,
  );
  const req = new ReadReq();
  req.setOptions(o);
  const internals = client as unknown as ClientInternals;
  const create = internals.GRPCStreamCreator(StreamsClient, 'readAll', (grpc) =>
    grpc.read(req, ...internals.callArguments({ deadline: options.deadlineMs })),
  );
  return new ReadStream<AllStreamResolvedEvent>(create, convertGrpcEvent, {});
}
