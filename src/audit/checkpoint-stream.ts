import type { JsonObject } from '../event-store';

/** One record of the deployment's checkpoint stream, as stored. */
export interface StreamRecord {
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
}

/**
 * The one stream of the store that holds a deployment's signed checkpoints, read and written with
 * the store's own client (the port hides it from the log, the feeds and stream reads alike).
 */
export interface CheckpointStream {
  /** Up to `maxCount` records from `fromRevision` on (inclusive), in order; none when the stream does not exist. */
  read(fromRevision: bigint, maxCount: number): Promise<StreamRecord[]>;
  /**
   * Appends one record if the stream's last revision is `expected` (null: the stream does not
   * exist yet); false, with nothing written, when it is not. Throws when the outcome is unknown.
   */
  append(type: string, data: JsonObject, expected: bigint | null): Promise<boolean>;
  close(): Promise<void>;
}
