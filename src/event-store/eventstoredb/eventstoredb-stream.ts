import { randomUUID } from 'node:crypto';
import {
  FORWARDS,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import type { JsonObject } from '../event-store.port';
import { connect, deadlineOf } from './eventstoredb-connection';
import { readStreamEvents } from './eventstoredb-grpc-read';

/** One record of a stream as stored. */
export interface EventStoreDbStreamRecord {
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
}

/**
 * Whether an append was written; when it was refused (nothing written), the stream's last revision
 * as the refusal reported it (null: the stream does not exist; undefined: not reported).
 */
export type EventStoreDbStreamAppend =
  { readonly written: true } | { readonly written: false; readonly actual?: bigint | null };

/**
 * One stream of an EventStoreDB / KurrentDB store read and written outside the port, over a client
 * of its own opened from the store's connection string (any accepted scheme): the audit layer's
 * checkpoint stream, which the port hides. Reads take the adapter's read path (a gRPC deadline,
 * cancelled when it passes: eventstoredb-grpc-read.ts); appends the client's.
 */
export class EventStoreDbStream {
  private readonly client: KurrentDBClient;
  private readonly readDeadlineMs: number;

  constructor(
    connectionString: string,
    private readonly stream: string,
    options: { readonly readDeadlineMs?: number } = {},
  ) {
    this.client = connect(connectionString);
    this.readDeadlineMs = options.readDeadlineMs ?? deadlineOf(connectionString) ?? 10_000;
  }

  /** Up to `maxCount` records from `fromRevision` on (inclusive), in order; none when the stream does not exist. */
  async read(fromRevision: bigint, maxCount: number): Promise<EventStoreDbStreamRecord[]> {
    try {
      const read = await readStreamEvents(
        this.client,
        this.stream,
        { direction: FORWARDS, fromRevision, maxCount },
        this.readDeadlineMs,
      );
      return read.flatMap(({ event: e }) =>
        e ? [{ revision: e.revision, type: e.type, data: e.data }] : [],
      );
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
  }

  /** Appends one JSON record if the stream's last revision is `expected` (null: no stream yet). */
  async append(type: string, data: JsonObject, expected: bigint | null): Promise<EventStoreDbStreamAppend> {
    try {
      await this.client.appendToStream(this.stream, jsonEvent({ id: randomUUID(), type, data }), {
        streamState: expected ?? NO_STREAM,
      });
      return { written: true };
    } catch (e) {
      if (!(e instanceof WrongExpectedVersionError)) throw e;
      const actual: unknown = e.actualState;
      return {
        written: false,
        actual: typeof actual === 'bigint' ? actual : actual === NO_STREAM ? null : undefined,
      };
    }
  }

  close(): Promise<void> {
    return this.client.dispose();
  }
}
