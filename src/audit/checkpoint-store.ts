export interface SignedCheckpoint {
  readonly size: number;
  readonly rootHash: Buffer;
  /** The C2SP signed note, exactly as published. */
  readonly note: string;
  readonly signedAt: string;
}

/**
 * What publishing a checkpoint came to: `stored` (this instance's note is the deployment's),
 * `adopted` (another instance had already stored one of the same size and root: that one is kept),
 * `superseded` (others stored checkpoints meanwhile, none of this size: they are now known, and
 * the caller may sign again from what it knows).
 */
export type PublishOutcome = 'stored' | 'adopted' | 'superseded';

/**
 * Where the signed checkpoints of the log are kept, and what every read of them answers from.
 * Reads (`latest`, `at`, `all`) are synchronous over what is known; `refresh` learns what other
 * instances stored. Two implementations: the embedded default's own file (checkpoint-log.ts), and
 * the deployment's stream on EventStoreDB (stream-checkpoint-store.ts).
 */
export interface CheckpointStore {
  /** `file`: this instance's own file; `stream`: shared by every instance on the same store. */
  readonly kind: 'file' | 'stream';
  /** Loads what is stored; on a store that is away, what is known stays empty until `refresh` works. */
  open(): Promise<void>;
  /** Reads what was stored since the last read (other instances' checkpoints); nothing for a file. */
  refresh(): Promise<void>;
  /**
   * Stores a checkpoint unless one was stored meanwhile (then learns what is there). Throws
   * CheckpointConflict when the store holds another root for the same size: the logs differ.
   */
  publish(checkpoint: SignedCheckpoint): Promise<PublishOutcome>;
  latest(): SignedCheckpoint | null;
  at(size: number): SignedCheckpoint | null;
  /** Every known checkpoint, by size, one per size. */
  all(): SignedCheckpoint[];
  /** Set once the store holds two roots for one size under this deployment's key: the logs differ. */
  readonly problem: string | null;
  /** Records the store holds that are not served (not signed by this deployment's key); null if none. */
  readonly warning: string | null;
  close(): Promise<void>;
}

/** Two checkpoints of one size with different roots, or a note this deployment's key did not sign. */
export class CheckpointConflict extends Error {
  override readonly name = 'CheckpointConflict';
}
