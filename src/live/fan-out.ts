import type { AppliedBatch } from '../projections/applied-stream';
import type { Feed } from './feeds';
import { encodeMessage, type SseStream } from './sse-stream';

export interface Subscriber {
  readonly stream: SseStream;
  readonly feed: Feed;
  /** Ordinal of the last event this subscriber has been sent (or skipped as not matching). */
  cursor: number;
  live: boolean;
}

/** A feed that could not render a batch: its subscribers are closed. */
const FAILED = Symbol('failed');

/** A feed's bytes for some batches: null when none of them has anything for it. */
type Bytes = Buffer | null | typeof FAILED;

interface Pending {
  readonly batch: AppliedBatch;
  readonly lastSeq: number;
  /** The batch's messages per feed key, encoded once for every subscriber of that feed. */
  readonly encoded: Map<string, Bytes>;
}

export interface FanOutHooks {
  /** Live subscribers now (read at the start of each round). */
  subscribers(): Iterable<Subscriber>;
  /** A subscriber that cannot be sent more live (behind, or out of step) reads the log instead. */
  fallBack(s: Subscriber): void;
  /** A feed could not render a batch (its subscribers are closed). */
  failed(feedKey: string, error: Error): void;
  /** A round that visited live subscribers ended: each was sent all up to the frontier it saw. */
  roundEnded(ms: number): void;
}

/** Longest stretch of socket writes before other work (requests, commits) gets the loop. */
const SLICE_MS = 2;

/**
 * Writes applied batches to live subscribers in rounds. A round visits every live subscriber once
 * and sends it, in one write, everything applied after its cursor; it yields the event loop every
 * SLICE_MS, so with 1,000 subscribers (a write each, tens of ms in all) appends and commits are not
 * held up behind it. Batches applied during a round go, in that same round, to the subscribers not
 * yet visited, and a further round takes them to the rest: each subscriber still gets every batch
 * once and in order, and under load the batches coalesce into fewer, larger writes by themselves.
 */
export class FanOut {
  /** Batches applied but not yet written to every live subscriber (protected: the spec observes it). */
  protected backlog: Pending[] = [];
  private running = false;

  constructor(private readonly hooks: FanOutHooks) {}

  /** The runner applied `batch` (the batches arrive in order, with no gap). */
  push(batch: AppliedBatch): void {
    if (batch.events.length === 0) return;
    const pending: Pending = { batch, lastSeq: batch.firstSeq + batch.events.length - 1, encoded: new Map() };
    this.backlog.push(pending);
    // Rendered now, as the batch is applied, for the feeds followed live (the others on demand).
    for (const s of this.hooks.subscribers()) if (s.live) this.encoded(pending, s.feed);
    if (!this.running) this.round();
  }

  private round(): void {
    this.running = true;
    const start = performance.now();
    const frontier = this.frontier();
    const queue = [...this.hooks.subscribers()].filter((s) => s.live);
    // Subscribers of one feed at the same cursor are sent the same bytes: joined once per round.
    const joined = new Map<string, Bytes>();
    let i = 0;
    const slice = (): void => {
      const sliceStart = performance.now();
      let now = sliceStart;
      while (i < queue.length && now - sliceStart < SLICE_MS) {
        this.deliverSafely(queue[i++]!, now, joined);
        if (i % 32 === 0) now = performance.now();
      }
      if (i < queue.length) {
        setImmediate(slice);
        return;
      }
      if (queue.length > 0) this.hooks.roundEnded(performance.now() - start);
      const before = this.backlog.length;
      this.trim();
      // What is left was applied during the round, for subscribers visited before it came. (A
      // round that moved nothing on would only spin: the next batch starts one.)
      if (this.backlog.length > 0 && (this.backlog.length < before || this.frontier() > frontier)) {
        setImmediate(() => this.round());
      } else this.running = false;
    };
    slice();
  }

  /** A subscriber whose delivery throws is closed (it resumes by position); the round goes on. */
  private deliverSafely(s: Subscriber, now: number, joined: Map<string, Bytes>): void {
    try {
      this.deliver(s, now, joined);
    } catch (e) {
      this.hooks.failed(s.feed.key, e as Error);
      s.stream.close('feed failed');
    }
  }

  /** Sends one subscriber everything after its cursor, as one write. */
  private deliver(s: Subscriber, now: number, joined: Map<string, Bytes>): void {
    if (!s.live || s.stream.closed) return;
    const first = this.backlog.findIndex((p) => p.lastSeq > s.cursor);
    if (first < 0) return; // up to date
    if (this.backlog[first]!.batch.firstSeq - 1 !== s.cursor) {
      s.live = false; // out of step (should not happen): catch up from the log instead
      this.hooks.fallBack(s);
      return;
    }
    const key = `${s.feed.key}\u0000${first}\u0000${this.backlog.length}`;
    let bytes = joined.get(key);
    if (bytes === undefined) {
      bytes = this.bytesFrom(first, s.feed);
      joined.set(key, bytes);
    }
    if (bytes === FAILED) {
      s.stream.close('feed failed');
      return;
    }
    if (!bytes || s.stream.writeLive(bytes, now)) {
      s.cursor = this.frontier();
    } else if (!s.stream.closed) {
      s.live = false; // behind: it reads the rest from the log at its own pace
      this.hooks.fallBack(s);
    }
  }

  /** A feed's messages for the batches from backlog[first] on, as one Buffer (null: none). */
  private bytesFrom(first: number, feed: Feed): Bytes {
    const parts: Buffer[] = [];
    for (let k = first; k < this.backlog.length; k++) {
      const chunk = this.encoded(this.backlog[k]!, feed);
      if (chunk === FAILED) return FAILED;
      if (chunk) parts.push(chunk);
    }
    return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** The batch's bytes for a feed (null: nothing for it), rendered once per feed key. */
  private encoded(p: Pending, feed: Feed): Bytes {
    const known = p.encoded.get(feed.key);
    if (known !== undefined) return known;
    let chunk: Bytes;
    try {
      const text = feed.live(p.batch).map(encodeMessage).join('');
      chunk = text ? Buffer.from(text, 'utf8') : null;
    } catch (e) {
      chunk = FAILED;
      this.hooks.failed(feed.key, e as Error);
    }
    p.encoded.set(feed.key, chunk);
    return chunk;
  }

  /** Ordinal of the last batch pushed that is still held (0 when none is). */
  private frontier(): number {
    return this.backlog[this.backlog.length - 1]?.lastSeq ?? 0;
  }

  /** Drops the batches every live subscriber has been sent. */
  private trim(): void {
    let low = Infinity;
    for (const s of this.hooks.subscribers()) {
      if (s.live && !s.stream.closed && s.cursor < low) low = s.cursor;
    }
    let keep = 0;
    while (keep < this.backlog.length && this.backlog[keep]!.lastSeq <= low) keep++;
    if (keep > 0) this.backlog = this.backlog.slice(keep);
  }
}
