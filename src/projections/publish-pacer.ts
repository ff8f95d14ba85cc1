/** Recent events whose arrival times decide the pace (enough to see a rate, short enough to follow it). */
const WINDOW = 16;

/**
 * When the projection runner publishes a batch. Publishing can be costly (a fan-out to 1,000 live
 * subscribers is a write per socket: tens of ms), so when events arrive faster than one publish
 * takes, publishing each on its own would fall further and further behind. Then the next batch
 * waits until D ms after the last publish ended (D: how long that publish took): publishing takes
 * at most half the loop, requests get the other half, and the events that arrived meanwhile go out
 * together, one write per subscriber. Events that arrive slower than a publish takes never wait,
 * however busy the publishing keeps the loop: waiting would only add to their delivery time.
 */
export class PublishPacer {
  private readonly arrivals = new Float64Array(WINDOW);
  private count = 0;
  private publishMs = 0;
  private holdUntil = 0;
  /** Batches that waited (for metrics and tests). */
  held = 0;

  /** An event reached the runner. */
  arrived(now: number = performance.now()): void {
    this.arrivals[this.count % WINDOW] = now;
    this.count++;
  }

  /** A batch's 'applied' listeners ran from `start` to `end`. */
  published(start: number, end: number): void {
    this.publishMs = end - start;
    this.holdUntil = end + this.publishMs;
  }

  /** How long the next batch waits before it is applied and published (0: the next turn). */
  waitMs(now: number = performance.now()): number {
    if (this.publishMs < 1 || this.meanGapMs() >= this.publishMs) return 0;
    const wait = this.holdUntil - now;
    if (wait < 1) return 0;
    this.held++;
    return wait;
  }

  /** Mean time between the recent arrivals (Infinity with fewer than two). */
  private meanGapMs(): number {
    const n = Math.min(this.count, WINDOW);
    if (n < 2) return Infinity;
    const newest = this.arrivals[(this.count - 1) % WINDOW]!;
    const oldest = this.arrivals[this.count > WINDOW ? this.count % WINDOW : 0]!;
    return (newest - oldest) / (n - 1);
  }
}
