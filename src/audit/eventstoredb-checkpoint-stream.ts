import { EventStoreDbStream, type JsonObject } from '../event-store';
import type { AppendOutcome, CheckpointStream, StreamRecord } from './checkpoint-stream';

/**
 * The stream of the deployment's signed checkpoints. The EventStoreDB adapter names the same
 * stream (CHECKPOINT_STREAM in eventstoredb-codec.ts) to keep it out of the log and the feeds; a
 * spec checks that both names agree.
 */
export const CHECKPOINT_STREAM = 'chronology-audit-checkpoints';

/** How long a read of the stream may take (a gRPC deadline; the read is cancelled past it). */
const READ_DEADLINE_MS = 10_000;

/**
 * The checkpoint stream over a client of its own, opened from the same connection string as the
 * event store: the port offers no way to read a stream it hides, and the audit layer does not
 * reach into the adapter (the event-store layer exports EventStoreDbStream for this). One more
 * gRPC connection per instance, used only when signing and when checkpoints are listed or looked up.
 */
export class EventStoreDbCheckpointStream implements CheckpointStream {
  private readonly stream: EventStoreDbStream;

  constructor(connectionString: string) {
    this.stream = new EventStoreDbStream(connectionString, CHECKPOINT_STREAM, {
      readDeadlineMs: READ_DEADLINE_MS,
    });
  }

  read(fromRevision: bigint, maxCount: number): Promise<StreamRecord[]> {
    return this.stream.read(fromRevision, maxCount);
  }

  append(type: string, data: JsonObject, expected: bigint | null): Promise<AppendOutcome> {
    return this.stream.append(type, data, expected);
  }

  close(): Promise<void> {
    return this.stream.close();
  }
}
