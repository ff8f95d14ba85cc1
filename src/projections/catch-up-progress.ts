/** How far catch-up has come: what `/health` shows and the runner logs while it runs. */
export interface CatchUpProgress {
  /** Events applied since this catch-up started. */
  readonly events: number;
  /** Applied per second over the last few seconds (null until measured). */
  readonly eventsPerSecond: number | null;
  readonly startedAt: string;
}

/** Rate over a sliding window of this many milliseconds. */
const WINDOW_MS = 10_000;

/**
 * Counts the events a catch-up applies and its recent rate: samples of (time, total) at most one per
 * 250 ms, the rate taken between the oldest sample in the window and now.
 */
export class ProgressMeter {
  private total = 0;
  private readonly samples: Array<{ at: number; total: number }>;

  constructor(private readonly started = Date.now()) {
    this.samples = [{ at: started, total: 0 }];
  }

  add(events: number, now = Date.now()): void {
    this.total += events;
    const last = this.samples[this.samples.length - 1]!;
    if (now - last.at >= 250) this.samples.push({ at: now, total: this.total });
    while (this.samples.length > 2 && now - this.samples[1]!.at > WINDOW_MS) this.samples.shift();
  }

  get events(): number {
    return this.total;
  }

  rate(now = Date.now()): number | null {
    const first = this.samples[0]!;
    const elapsed = now - first.at;
    return elapsed >= 500 ? ((this.total - first.total) * 1000) / elapsed : null;
  }

  snapshot(): CatchUpProgress {
    const rate = this.rate();
    return {
      events: this.total,
      eventsPerSecond: rate === null ? null : Math.round(rate),
      startedAt: new Date(this.started).toISOString(),
    };
  }
}

/**
 * Sizes catch-up batches by time: one batch is one synchronous transaction, during which the event
 * loop (HTTP, timers, live feeds) waits. After each batch the next size is chosen from the last
 * batch's cost per event so that a batch takes about `targetMs`, within [min, max].
 */
export class BatchSizer {
  private current: number;

  constructor(
    private readonly targetMs: number,
    private readonly min: number,
    private readonly max: number,
  ) {
    this.current = min;
  }

  get size(): number {
    return this.current;
  }

  /** `events` applied in `ms`. */
  observe(events: number, ms: number): void {
    if (events === 0) return;
    const perEvent = Math.max(ms, 0.01) / events;
    const next = Math.round(this.targetMs / perEvent);
    // Grow gently (a cheap batch of one kind of event says little about the next), shrink at once.
    const grown = Math.min(next, this.current * 2);
    this.current = Math.max(this.min, Math.min(this.max, grown));
  }
}
