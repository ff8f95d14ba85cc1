import { Logger } from '@nestjs/common';
import type { LogEvent } from '../chronology/events';
import {
  formatPosition,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '../event-store';
import { isStorageFailure, relieveWal } from '../shared/sqlite';
import { nextTurn } from '../shared/turn';
import { AppliedStream } from './applied-stream';
import { BoundProjections } from './bound-projections';
import { BatchSizer, ProgressMeter, type CatchUpProgress } from './catch-up-progress';
import { tablesOf, type EventDecoder, type ProjectedEvent, type Projection, type ReadDb } from './projection';
import { digestTables } from './projection-digest';

export interface RunnerOptions<E extends ProjectedEvent> {
  /** Decodes each event once as it is read, for every projection and listener. */
  readonly decode: EventDecoder<E>;
  /** Most events applied in one transaction. */
  readonly batchSize?: number;
  /**
   * While catching up, about how long one batch (one synchronous transaction) may hold the event
   * loop; batches are sized to it and the loop turns between them.
   */
  readonly catchUpBatchMs?: number;
  /** Delay before resubscribing after the store failed. */
  readonly retryDelayMs?: number;
  /** Computes a projection's digest (in the read pool's workers); default: on the loop. */
  readonly digest?: (projection: string, tables: readonly string[]) => Promise<string>;
}

export type RunnerState = 'starting' | 'catching-up' | 'live' | 'retrying' | 'failed' | 'stopped';

/** How often catch-up logs its progress. */
const PROGRESS_LOG_MS = 10_000;
/** Smallest catch-up batch, however costly its events: fewer would cost more in commits than it saves. */
const MIN_CATCH_UP_BATCH = 4;
/** While live, the loop spends at most about 1 / (1 + LIVE_PACE) of its time applying batches... */
const LIVE_PACE = 3;
/** ...and no batch waits longer than this for the one before it (what live feeds and reads wait). */
const MAX_LIVE_WAIT_MS = 50;

/**
 * Feeds projections from one catch-up subscription to the whole log. Each batch is applied in one
 * read-database transaction together with every projection's checkpoint, so effects are exactly-once
 * and a restart resumes where the last commit left off (no full replay). Each committed batch is
 * then published on the AppliedStream, which live feeds, the audit signer, metrics and
 * read-your-writes waiters listen to. While catching up, batches are sized to take about
 * `catchUpBatchMs` each and the event loop turns between them, so the server answers (and
 * reports progress) throughout a catch-up of any length.
 */
export class ProjectionRunner<E extends ProjectedEvent = LogEvent> {
  private readonly logger = new Logger('Projections');
  private readonly bound: BoundProjections<E>;
  private readonly decode: EventDecoder<E>;
  private subscription: Subscription | null = null;
  private pending: E[] = [];
  private flushScheduled = false;
  private cursorSeq = 0;
  private loop: Promise<void> | null = null;
  private stopped = false;
  /** The subscription or the read database failed: resubscribe from the checkpoints after a pause. */
  private retryPending = false;
  private runnerState: RunnerState = 'starting';
  private lastError: string | null = null;
  private readonly batchSize: number;
  private readonly retryDelayMs: number;
  private readonly digester: NonNullable<RunnerOptions<E>['digest']>;
  private readonly sizer: BatchSizer;
  private meter: ProgressMeter | null = null;
  private lastProgressLog = 0;
  /** Has been live once since start: every read model holds the log as it was at start. */
  private hasCaughtUp = false;
  /** When the loop last turned during catch-up: a batch's cost is measured from there. */
  private stretchStart = performance.now();
  /** The loop has turned since stretchStart (the events came in over several turns, e.g. over gRPC). */
  private turned = false;
  private lastFlushEnd = 0;
  private lastFlushMs = 0;
  private readonly caughtUpWaiters = new Set<() => void>();

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadDb,
    projections: ReadonlyArray<Projection<E>>,
    options: RunnerOptions<E>,
    /** Where committed batches are published. */
    readonly applied: AppliedStream<E> = new AppliedStream<E>(),
  ) {
    this.decode = options.decode;
    this.bound = new BoundProjections(db, projections, options.decode);
    this.batchSize = options.batchSize ?? 1000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.digester =
      options.digest ?? ((name, tables) => Promise.resolve(digestTables(db, tables, tablesOf(name))));
    const min = Math.min(MIN_CATCH_UP_BATCH, this.batchSize);
    this.sizer = new BatchSizer(options.catchUpBatchMs ?? 10, min, this.batchSize);
  }

  /** Prepares every projection (rebuilding those whose version changed) and starts following the log. */
  start(): void {
    this.bound.prepare();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.runnerState = 'stopped';
    this.releaseCaughtUpWaiters();
    await this.subscription?.close();
    await this.loop;
    this.flushSafely();
    this.applied.end();
  }

  get state(): {
    state: RunnerState;
    position: Position | null;
    seq: number;
    error: string | null;
    caughtUp: boolean;
    progress: CatchUpProgress | null;
  } {
    const lowest = this.bound.lowest();
    return {
      state: this.runnerState,
      position: lowest.position,
      seq: lowest.seq,
      error: this.lastError,
      caughtUp: this.hasCaughtUp,
      progress:
        this.runnerState === 'catching-up' || this.runnerState === 'retrying'
          ? (this.meter?.snapshot() ?? null)
          : null,
    };
  }

  /**
   * The read models have applied the whole log as it was when this process started (and have been
   * live since, give or take the usual lag): until then they answer for an older state of the log.
   */
  get caughtUp(): boolean {
    return this.hasCaughtUp;
  }

  /** Resolves true once caught up (see caughtUp), or false after `timeoutMs`. */
  whenCaughtUp(timeoutMs: number): Promise<boolean> {
    if (this.hasCaughtUp) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.caughtUpWaiters.delete(done);
        resolve(this.hasCaughtUp);
      };
      const timer = setTimeout(done, timeoutMs);
      this.caughtUpWaiters.add(done);
    });
  }

  /** Position every projection has applied (the lowest checkpoint). */
  get position(): Position | null {
    return this.bound.lowest().position;
  }

  get names(): string[] {
    return this.bound.names;
  }

  /** SHA-256 over the projection's rows (equal read models, equal digests). */
  digest(name: string): Promise<string> {
    return this.digester(name, this.bound.tablesOf(name));
  }

  /**
   * Rebuilds one projection from the log into a shadow copy while the live one keeps serving, then
   * swaps them atomically; returns the digests before and after and how many events were replayed.
   */
  async rebuild(name: string): Promise<{ name: string; before: string; after: string; events: number }> {
    this.bound.assertCanRebuild(name);
    const before = await this.digest(name);
    const events = await this.bound.rebuild(name, this.store);
    return { name, before, after: await this.digest(name), events };
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const from = this.bound.lowest();
      this.cursorSeq = from.seq;
      this.applied.resumeAt(from.position, from.seq);
      // After a failure the state stays 'retrying' until the runner has caught up again.
      if (this.runnerState !== 'retrying') this.runnerState = 'catching-up';
      this.meter = new ProgressMeter();
      this.startStretch();
      try {
        this.subscription = this.store.subscribeToAll({ from: from.position ?? 'start' });
        for await (const item of this.subscription) {
          if (this.retryPending) break;
          if (item.kind === 'event') {
            this.pending.push(this.decodeOrFail(item.event));
            const live = this.runnerState === 'live';
            if (this.pending.length < (live ? this.batchSize : this.sizer.size)) this.scheduleFlush();
            else {
              this.flushSafely();
              // Reading a SQLite page and applying it are synchronous: without this turn, a whole
              // catch-up (or a burst while live) would run as one chain of microtasks, with no
              // timer or request served.
              await nextTurn();
              await relieveWal(this.db);
              this.startStretch();
            }
          } else {
            this.flushSafely();
            if (this.failed || this.retryPending || this.stopped) break;
            if (this.runnerState !== 'live') this.logger.log(`caught up at ${this.describe()}${this.rate()}`);
            if (this.lastError) {
              // Health reports what is wrong now: a recovered outage is only in the log.
              this.logger.log(`recovered from: ${this.lastError}`);
              this.lastError = null;
            }
            this.runnerState = 'live';
            this.hasCaughtUp = true;
            this.releaseCaughtUpWaiters();
          }
          if (this.stopped) break;
        }
        this.flushSafely();
      } catch (e) {
        if (this.failed) return;
        this.flushSafely();
        this.lastError = (e as Error).message;
        this.runnerState = 'retrying';
        this.retryPending = true;
        this.logger.warn(`subscription failed (${this.lastError}); resuming from the checkpoint`);
      } finally {
        await this.subscription?.close();
        this.subscription = null;
      }
      if (this.retryPending && !this.stopped) {
        this.retryPending = false;
        await new Promise((r) => setTimeout(r, this.retryDelayMs));
      }
    }
  }

  /**
   * An event this version cannot decode stops the runner like a failing projection: skipping it
   * would leave read models that silently miss it.
   */
  private decodeOrFail(event: RecordedEvent): E {
    try {
      return this.decode(event);
    } catch (e) {
      this.flushSafely(); // what came before it is good
      this.fail(e);
      throw e;
    }
  }

  /**
   * Applies what is pending on the next turn: the events read in this one go in one batch. While
   * live, a batch also waits until the last one's cost has been repaid LIVE_PACE times over: a
   * commit writes every page the batch touched, so under a stream of appends the batches grow and
   * the commits get fewer, instead of one costly commit per group of appends holding the loop.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const wait =
      this.runnerState === 'live'
        ? Math.min(MAX_LIVE_WAIT_MS, this.lastFlushEnd + LIVE_PACE * this.lastFlushMs - performance.now())
        : 0;
    if (wait > 0) setTimeout(() => this.flushSafely(), wait).unref();
    else setImmediate(() => this.flushSafely());
  }

  private flushSafely(): void {
    try {
      this.flush();
    } catch (e) {
      if (isStorageFailure(e)) this.retryLater(e);
      else this.fail(e);
    }
  }

  /**
   * The read database refused the batch (disk full, read-only, I/O error): its transaction rolled
   * back, so nothing of it was applied and no checkpoint moved. Rather than stopping for good as
   * for a projection's own error, the runner drops what is pending and, after a pause, reads the log
   * again from the checkpoints: it resumes by itself once the storage is back.
   */
  private retryLater(e: unknown): void {
    const error = `read database: ${(e as Error).message}`;
    // Once per outage, not once per retry.
    if (this.runnerState !== 'retrying' || error !== this.lastError) {
      this.logger.warn(`could not apply a batch (${error}); retrying from the checkpoint until it can`);
    }
    this.pending = [];
    this.retryPending = true;
    this.runnerState = 'retrying';
    this.lastError = error;
    void this.subscription?.close();
  }

  /** Waiters learn whether the runner caught up: now, or never (failed, stopped). */
  private releaseCaughtUpWaiters(): void {
    for (const release of [...this.caughtUpWaiters]) release();
  }

  private fail(e: unknown): void {
    this.pending = [];
    this.runnerState = 'failed';
    this.releaseCaughtUpWaiters();
    this.lastError = (e as Error).message;
    this.logger.error(`a projection failed; projections are stopped: ${(e as Error).stack ?? String(e)}`);
    this.stopped = true;
    void this.subscription?.close();
  }

  /** Applies the pending events and advances every checkpoint, in one transaction. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.runnerState === 'failed') return;
    const batch = this.pending;
    this.pending = [];
    const firstSeq = this.cursorSeq + 1;
    const applying = performance.now();
    this.bound.apply(batch, firstSeq);
    this.cursorSeq += batch.length;
    this.lastFlushEnd = performance.now();
    this.lastFlushMs = this.lastFlushEnd - applying;
    if (this.runnerState !== 'live') {
      // The whole synchronous stretch (reading and decoding the batch, then applying it) when the
      // loop has not turned since it began; else only the apply, since waits came in between.
      const now = performance.now();
      this.caughtUpBy(batch.length, now - (this.turned ? applying : this.stretchStart));
      this.startStretch();
    }
    this.applied.publish({ events: batch, firstSeq });
  }

  private startStretch(): void {
    this.stretchStart = performance.now();
    this.turned = false;
    setImmediate(() => (this.turned = true));
  }

  /** Sizes the next catch-up batch by this one's cost, counts it, and logs progress now and then. */
  private caughtUpBy(events: number, ms: number): void {
    this.sizer.observe(events, ms);
    this.meter?.add(events);
    const now = Date.now();
    if (now - this.lastProgressLog < PROGRESS_LOG_MS) return;
    if (this.lastProgressLog === 0) {
      this.lastProgressLog = now; // the first batch: nothing to report yet
      return;
    }
    this.lastProgressLog = now;
    this.logger.log(`catching up: ${this.describe()}${this.rate()}`);
  }

  private rate(): string {
    const rate = this.meter?.rate();
    const events = this.meter?.events ?? 0;
    return rate == null || events === 0
      ? ''
      : `; ${events.toLocaleString('en')} events applied since start, ${Math.round(rate).toLocaleString('en')}/s`;
  }

  private get failed(): boolean {
    return this.runnerState === 'failed';
  }

  private describe(): string {
    const p = this.position;
    return p ? `position ${formatPosition(p)} (${this.bound.lowest().seq} events)` : 'an empty log';
  }
}
