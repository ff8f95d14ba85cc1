import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What an operator watches of the live feeds: how many follow, how long a fan-out takes, who is cut off. */
export class LiveMetrics {
  /** One fan-out round: each live subscriber sent, in one write, what it has not been sent. */
  readonly fanOutSeconds: Histogram;
  readonly cutOff: Counter;

  constructor(registry: Registry, read: { subscribers: () => number; largestUnsentBytes: () => number }) {
    new Gauge({
      name: 'chronology_live_subscribers',
      help: 'Open live feeds (SSE connections), catching up or live.',
      registers: [registry],
      collect() {
        this.set(read.subscribers());
      },
    });
    new Gauge({
      name: 'chronology_live_unsent_bytes_max',
      help: 'Largest output written to one live feed and not yet taken by its client (past LIVE_MAX_BUFFER_BYTES it reads from the log instead).',
      registers: [registry],
      collect() {
        this.set(read.largestUnsentBytes());
      },
    });
    this.fanOutSeconds = new Histogram({
      name: 'chronology_live_fanout_seconds',
      help: 'Wall time of one fan-out round: writing every live subscriber what it has not been sent (other work runs between its slices).',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25],
      registers: [registry],
    });
    this.cutOff = new Counter({
      name: 'chronology_live_slow_consumers_cut_off_total',
      help: 'Live subscribers disconnected because they stopped reading (they resume by position).',
      registers: [registry],
    });
  }
}
