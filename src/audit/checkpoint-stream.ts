import type { JsonObject } from '../event-store';

/** One record of the deployment's checkpoint stream, as stored. */
export interface StreamRecord {
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
}

/**
 * Whether an append was written; when it was refused (nothing written), the stream's last revision
 * as the refusal reported it (null: the stream does not exist; undefined: not reported).
 */
export type AppendOutcome =
  { readonly written: true } | { readonly written: false; readonly actual?: bigint | null };

/**
 * The one stream of the store that holds a deployment's signed checkpoints, read and written with
 * the store's own client (the port hides it from the log, the feeds and stream reads alike).
 */
export interface CheckpointStream {
  /** Up to `maxCount` records from `fromRevision` on (inclusive), in order; none when the stream does not exist. */
  read(fromRevision: bigint, maxCount: number): Promise<StreamRecord[]>;
  /**
   * Appends one record if the stream's last revision is `expected` (null: the stream does not
   * exist yet). Throws when the outcome is unknown.
   */
  append(type: string, data: JsonObject, expected: bigint | null): Promise<AppendOutcome>;
  close(): Promise<void>;
}
