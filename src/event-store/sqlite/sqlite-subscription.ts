import type { RecordedEvent, Subscription, SubscriptionItem } from '../event-store.port';
import { positionOf } from '../position';

export interface LogReader {
  /** Events with position > after, in order, at most `max`. */
  readAfter(after: bigint, max: number): RecordedEvent[];
  /** Resolves when something was appended, or after `ms` (other processes may write the file). */
  waitForAppend(ms: number, signal: AbortSignal): Promise<void>;
}

const PAGE = 512;

/**
 * Catch-up then live over the SQLite log. The subscriber pulls pages at its own pace, so a slow
 * consumer costs no memory here: it simply reads older rows later.
 */
export class SqliteSubscription implements Subscription {
  private readonly abort = new AbortController();

  constructor(
    private readonly reader: LogReader,
    private cursor: bigint,
    private readonly pollMs: number,
  ) {}

  async close(): Promise<void> {
    this.abort.abort();
    return Promise.resolve();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
    let caughtUp = false;
    while (!this.abort.signal.aborted) {
      const page = this.reader.readAfter(this.cursor, PAGE);
      for (const event of page) {
        if (this.abort.signal.aborted) return;
        this.cursor = event.position.commit;
        yield { kind: 'event', event };
      }
      if (page.length === PAGE) continue;
      if (!caughtUp) {
        caughtUp = true;
        yield { kind: 'caught-up', position: this.cursor > 0n ? positionOf(this.cursor) : null };
        continue;
      }
      // Wait only right after an empty read: no yield between the read and the wait, so no
      // append can slip past unnoticed.
      if (page.length > 0) continue;
      await this.reader.waitForAppend(this.pollMs, this.abort.signal);
    }
  }
}
