/** The event loop's utilisation (0..1) over about the last second. */
export interface LoopMeter {
  utilization(now: number): number;
}

/**
 * Utilisation above which publishing each batch at once saturates the loop. From the bench (1,000
 * subscribers, 2 cores): at 0.9, 50 events/s went unpaced (server CPU 87%, delivery p99 118 ms,
 * against 89 ms at 0.8); 25 events/s (server CPU ~60%) gave the same figures with either.
 */
const SATURATED = 0.8;
/** Shortest span a utilisation figure covers. */
const WINDOW_MS = 500;

/** performance.eventLoopUtilization over the last complete window of at least WINDOW_MS. */
export class RecentLoopUtilization implements LoopMeter {
  private since = performance.eventLoopUtilization();
  private sinceAt = performance.now();
  private last = 0;

  utilization(now: number): number {
    if (now - this.sinceAt >= WINDOW_MS) {
      const current = performance.eventLoopUtilization();
      this.last = performance.eventLoopUtilization(current, this.since).utilization;
      this.since = current;
      this.sinceAt = now;
    }
    return this.last;
  }
}

/**
 * When the projection runner publishes a batch. Publishing can be costly (a fan-out to 1,000 live
 * subscribers is a write per socket: tens of ms), and when events come so fast that publishing each
 * batch at once keeps the event loop saturated (busy over SATURATED of the last window of half a second or more), requests queue
 * behind fan-outs and every fan-out carries one event. Then the next batch waits until D ms after
 * the last publish ended (D: how long that publish took): publishing takes at most half the loop,
 * requests get the other half, and the events that arrived meanwhile go out together, one write per
 * subscriber. Below saturation nothing waits, however much of the loop publishing takes: waiting
 * would only add to each event's delivery time.
 */
export class PublishPacer {
  private publishMs = 0;
  private holdUntil = 0;
  private heldCount = 0;

  constructor(private readonly loop: LoopMeter = new RecentLoopUtilization()) {}

  /** Batches that waited (for metrics and tests). */
  get held(): number {
    return this.heldCount;
  }

  /** A batch's 'applied' listeners ran from `start` to `end`. */
  published(start: number, end: number): void {
    this.publishMs = end - start;
    this.holdUntil = end + this.publishMs;
  }

  /** How long the next batch waits before it is applied and published (0: the next turn). */
  waitMs(now: number = performance.now()): number {
    if (this.publishMs < 1 || this.loop.utilization(now) <= SATURATED) return 0;
    const wait = this.holdUntil - now;
    if (wait < 1) return 0;
    this.heldCount++;
    return wait;
  }
}
