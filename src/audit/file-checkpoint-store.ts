import { CheckpointLog } from './checkpoint-log';
import type { CheckpointStore, PublishOutcome, SignedCheckpoint } from './checkpoint-store';

/**
 * The embedded default: the checkpoints this instance signed, in its own append-only file beside
 * the log (checkpoint-log.ts). Nobody else writes it, so there is nothing to refresh or adopt.
 */
export class FileCheckpointStore implements CheckpointStore {
  readonly kind = 'file';
  readonly problem = null;
  readonly warning = null;
  /** The file itself, for the check that its history covers the log (checkpoint-history.ts). */
  readonly log: CheckpointLog;

  constructor(file: string) {
    this.log = new CheckpointLog(file);
  }

  open(): Promise<void> {
    return Promise.resolve();
  }

  refresh(): Promise<void> {
    return Promise.resolve();
  }

  publish(checkpoint: SignedCheckpoint): Promise<PublishOutcome> {
    this.log.add(checkpoint);
    return Promise.resolve('stored');
  }

  latest(): SignedCheckpoint | null {
    return this.log.latest();
  }

  at(size: number): SignedCheckpoint | null {
    return this.log.at(size);
  }

  all(): SignedCheckpoint[] {
    return this.log.all();
  }

  close(): Promise<void> {
    this.log.close();
    return Promise.resolve();
  }
}
