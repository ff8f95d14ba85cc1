import { randomUUID } from 'node:crypto';
import {
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { JsonObject } from '../event-store';
import type { AppendOutcome, CheckpointStream, StreamRecord } from './checkpoint-stream';

/**
 * The stream of the deployment's signed checkpoints. The EventStoreDB adapter names the same
 * stream (CHECKPOINT_STREAM in eventstoredb-codec.ts) to keep it out of the log and the feeds; a
 * spec checks that both names agree.
 */
export const CHECKPOINT_STREAM = 'chronology-audit-checkpoints';

/** How long a read of the stream may take; the client gives reads no deadline of its own. */
const READ_DEADLINE_MS = 10_000;

/**
 * The checkpoint stream over a client of its own, opened from the same connection string as the
 * event store: the port offers no way to read a stream it hides, and the audit layer does not
 * reach into the adapter. One more gRPC connection per instance, used only when signing and when
 * checkpoints are listed or looked up.
 */
export class EventStoreDbCheckpointStream implements CheckpointStream {
  private readonly client: EventStoreDBClient;

  constructor(connectionString: string) {
    // Client 6.2.1 parses only the esdb schemes; the KurrentDB ones the config accepts are the same otherwise.
    const esdb = connectionString.trim().replace(/^(?:kurrentdb|kdb)(\+discover)?:\/\//i, 'esdb$1://');
    this.client = EventStoreDBClient.connectionString(esdb);
  }

  async read(fromRevision: bigint, maxCount: number): Promise<StreamRecord[]> {
    const read = this.client.readStream(CHECKPOINT_STREAM, { direction: FORWARDS, fromRevision, maxCount });
    const records = (async () => {
      const out: StreamRecord[] = [];
      for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
        const e = resolved.event;
        if (e) out.push({ revision: e.revision, type: e.type, data: e.data });
      }
      return out;
    })();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        records.catch(() => undefined); // the cancelled read's own error reaches no one
        void read.cancel().catch(() => undefined);
        reject(new Error(`reading ${CHECKPOINT_STREAM} got no answer within ${READ_DEADLINE_MS} ms`));
      }, READ_DEADLINE_MS);
    });
    try {
      return await Promise.race([records, deadline]);
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async append(type: string, data: JsonObject, expected: bigint | null): Promise<AppendOutcome> {
    try {
      await this.client.appendToStream(CHECKPOINT_STREAM, jsonEvent({ id: randomUUID(), type, data }), {
        expectedRevision: expected ?? NO_STREAM,
      });
      return { written: true };
    } catch (e) {
      if (!(e instanceof WrongExpectedVersionError)) throw e;
      const actual: unknown = e.actualVersion;
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
