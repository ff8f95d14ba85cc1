import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config';
import { formatPosition, parsePosition } from '../event-store';
import { Metrics } from '../health/metrics';
import { AppliedStream } from '../projections/applied-stream';
import { LogReader } from '../projections/log/log.reader';
import { AppError } from '../shared/errors';
import { FanOut, type Subscriber } from './fan-out';
import type { Feed, LogIndex } from './feeds';
import { LiveMetrics } from './live-metrics';
import { encodeMessage, SseStream } from './sse-stream';

/** Events read per catch-up step; the writer waits for the socket between steps. */
const CATCH_UP_EVENTS = 500;

/**
 * Every SSE subscriber: catches up from the log in bounded steps (waiting for the socket between
 * them), then follows live from the batches the read models apply (written in rounds, see FanOut).
 * The switch happens in one synchronous step at the runner's last applied ordinal, so nothing is
 * missed or sent twice.
 * A live subscriber that falls behind (unsent output past the bound) goes back to catching up
 * from the log; one that takes nothing for the stall timeout is cut off and resumes by position.
 */
@Injectable()
export class LiveHub implements OnApplicationBootstrap, BeforeApplicationShutdown, LogIndex {
  private readonly logger = new Logger('Live');
  private readonly subscribers = new Set<Subscriber>();
  private heartbeat: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly metrics: LiveMetrics;
  private readonly fanOut: FanOut;

  constructor(
    private readonly applied: AppliedStream,
    private readonly log: LogReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    this.metrics = new LiveMetrics(metrics.registry, {
      subscribers: () => this.subscribers.size,
      largestUnsentBytes: () => {
        let largest = 0;
        for (const s of this.subscribers) largest = Math.max(largest, s.stream.buffered);
        return largest;
      },
    });
    this.fanOut = new FanOut({
      subscribers: () => this.subscribers,
      fallBack: (s) => void this.catchUp(s),
      failed: (key, e) => this.logger.error(`live feed ${key} failed: ${e.message}`),
      roundEnded: (ms) => this.metrics.fanOutSeconds.observe(ms / 1000),
    });
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.applied.subscribe((batch) => this.fanOut.push(batch));
    // Only idle streams get a heartbeat: one that carries messages needs none, and with many
    // subscribers a heartbeat round is as costly as a fan-out. Checked every quarter interval, a
    // stream idle for three quarters gets one, so no stream goes a whole interval without a write.
    const interval = this.config.live.heartbeatMs;
    this.heartbeat = setInterval(() => {
      const now = performance.now();
      for (const s of this.subscribers) {
        if (s.stream.idleMs(now) >= interval * 0.75) s.stream.comment('heartbeat', now);
      }
    }, interval / 4);
    this.heartbeat.unref();
  }

  beforeApplicationShutdown(): void {
    this.unsubscribe?.();
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const s of [...this.subscribers]) s.stream.close('server shutting down');
  }

  /** Validates the resume point, then turns the response into an event stream. */
  async open(reply: FastifyReply, feed: Feed, resume: string | null): Promise<void> {
    if (this.subscribers.size >= this.config.live.maxSubscribers) {
      throw new AppError(
        'store_unavailable',
        'too many live subscribers on this instance',
        {},
        { 'retry-after': '5' },
      );
    }
    const cursor = await this.resumeSeq(resume);
    reply.hijack();
    const stream = new SseStream(reply.raw, this.config.live.maxBufferBytes);
    stream.open(this.config.live.retryMs);
    const subscriber: Subscriber = { stream, feed, cursor, live: false };
    this.subscribers.add(subscriber);
    stream.onClose((reason) => {
      this.subscribers.delete(subscriber);
      if (reason.startsWith('slow')) {
        this.metrics.cutOff.inc();
        this.logger.warn(`cut off a live subscriber (${feed.key}): ${reason}`);
      }
    });
    void this.catchUp(subscriber);
  }

  /** Synchronous, as LogIndex asks (see LogReader.positionAfterSync). */
  positionAfter(seq: number): { commit: bigint; prepare: bigint } | null {
    const position = this.log.positionAfterSync(seq);
    return position === null ? null : parsePosition(position);
  }

  /** The ordinal a subscriber resumes after: that of the position it last saw, or now. */
  private async resumeSeq(resume: string | null): Promise<number> {
    if (resume === null) return this.applied.appliedSeq;
    const position = parsePosition(resume);
    if (!position) {
      throw AppError.validation([
        {
          path: 'Last-Event-ID',
          message: 'Last-Event-ID / after must be a position this API sent, e.g. "42"',
        },
      ]);
    }
    if (!(await this.applied.waitFor(position, this.config.readWaitTimeoutMs))) {
      throw new AppError(
        'not_caught_up',
        `this instance has not applied position ${resume} yet`,
        {},
        { 'retry-after': '1' },
      );
    }
    return this.log.seqAtPosition(formatPosition(position));
  }

  private async catchUp(s: Subscriber): Promise<void> {
    try {
      for (;;) {
        if (!(await s.stream.drained(this.config.live.stallTimeoutMs))) {
          s.stream.close(
            `slow consumer: took nothing for ${this.config.live.stallTimeoutMs} ms with ${s.stream.buffered} bytes unsent`,
          );
          return;
        }
        const frontier = this.applied.appliedSeq;
        if (s.cursor >= frontier) {
          s.live = true; // synchronous with the check: the next applied batch starts right after
          return;
        }
        const upTo = Math.min(frontier, s.cursor + CATCH_UP_EVENTS);
        const messages = await s.feed.catchUp(s.cursor, upTo);
        if (s.stream.closed) return;
        s.stream.write(messages.map(encodeMessage).join(''));
        s.cursor = upTo;
      }
    } catch (e) {
      this.logger.error(`live feed ${s.feed.key} failed: ${(e as Error).message}`);
      s.stream.close('feed failed');
    }
  }
}
