import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';

/** Makes the WAL durable; `done` runs once it is (or with the error). */
export type SyncWal = (done: (error: Error | null) => void) => void;

/**
 * Group commit with the fsync off the event loop. The log's connection commits with
 * synchronous=NORMAL (the WAL frames are written, not synced), and this syncs the WAL file with
 * fdatasync on libuv's thread pool: a commit is acknowledged, and its events become readable by
 * subscribers, only once a sync that started after it has finished. That is the guarantee of
 * synchronous=FULL ("the WAL is synced after each commit"), without the event loop waiting on the
 * disk, and with every commit that lands during one sync sharing the next.
 *
 * A crash can only lose a suffix of the WAL (each frame's checksum chains to the one before it), so
 * a later acknowledged commit never depends on an earlier one that was lost. After a failed sync the
 * kernel may have dropped the dirty pages, so later syncs would prove nothing: the failure sticks,
 * and the store refuses writes until it is restarted.
 */
export class WalSync {
  private durablePosition: bigint;
  private committedPosition: bigint;
  private waiting: Array<(error: Error | null) => void> = [];
  private inFlight = false;
  private failure: Error | null = null;
  private idleWaiters: Array<() => void> = [];
  private readonly fd: number | null;
  private readonly sync: SyncWal;

  /** `walFile` null: an in-memory database, nothing to sync. */
  constructor(walFile: string | null, head: bigint, sync?: SyncWal) {
    this.durablePosition = head;
    this.committedPosition = head;
    this.fd = walFile === null ? null : openSync(walFile, 'r');
    // What an earlier process committed without living to sync it is made durable before use.
    if (this.fd !== null) fdatasyncSync(this.fd);
    this.sync = sync ?? this.defaultSync;
  }

  /** Highest position that is on disk: what readers may see. */
  get durable(): bigint {
    return this.durablePosition;
  }

  get failed(): Error | null {
    return this.failure;
  }

  /** After a commit that wrote up to `position` (or wrote nothing): `settle` runs once it is durable. */
  committed(position: bigint, settle: (error: Error | null) => void): void {
    if (position > this.committedPosition) this.committedPosition = position;
    this.waiting.push(settle);
    this.next();
  }

  /** Resolves when no commit is waiting for its sync. */
  idle(): Promise<void> {
    if (!this.inFlight && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
  }

  private readonly defaultSync: SyncWal = (done) => {
    if (this.fd === null) setImmediate(done, null);
    else fdatasync(this.fd, (error) => done(error));
  };

  private next(): void {
    if (this.inFlight) return;
    if (this.waiting.length === 0) {
      for (const wake of this.idleWaiters.splice(0)) wake();
      return;
    }
    const group = this.waiting;
    this.waiting = [];
    const upTo = this.committedPosition;
    this.inFlight = true;
    this.sync((error) => {
      this.inFlight = false;
      if (error) this.failure ??= error;
      else if (!this.failure) this.durablePosition = upTo;
      const outcome = this.failure;
      for (const settle of group) settle(outcome);
      this.next();
    });
  }
}
