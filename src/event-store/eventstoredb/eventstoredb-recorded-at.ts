import { END, type AllStreamResolvedEvent, type ResolvedEvent } from '@kurrent/kurrentdb-client';
import { comparePositions, formatPosition, positionOf, type Position } from '../position';
import type { RecordedEvent } from '../event-store.port';
import { decodeEvent, isHidden, stampOf, type WriterStamp } from './eventstoredb-codec';

/*
 * Transaction time on EventStoreDB: `recordedAt` is a function of `$all` order alone.
 *
 * A node's `created` is its wall clock at the write: it steps back with NTP, and a failover can land
 * on a node that is behind, so along `$all` it can go backwards, and an as-of read would then show
 * a state the log never had. Instead:
 *
 * - Stamp. Before appending, the writer reads the transaction time T(h) of the last event h it sees
 *   in `$all`, and stores S = max(its clock, T(h)) with the position of h (`recordedAfter`).
 * - Transaction time. T(e) = the largest S over e and every event before it in `$all` (the port's
 *   events only). Non-decreasing along `$all` by definition, and the same for every reader.
 *
 * A writer that raced others may have stored an S below an event committed between h and e; the
 * running maximum covers it. Reading `$all` forwards, readers keep the running maximum; a read or
 * subscription that starts at a position seeds it from the event before (`timeBefore`). A stream
 * read does not see the events in between, so it asks for T of each event (`timeAt`): since
 * S(e) >= T(h), T(e) = max S over (h, e], a short backwards read of `$all` down to h (only the
 * events committed while e was being written). Any stamped event q met on the way gives the same
 * bound: T(e) = max S over (recordedAfter(q), e], so the walk stops at the highest bound it meets.
 *
 * Events without a stamp (written before stamps, or by other writers) count with their `created`
 * and give no bound: a walk from one goes down to the nearest stamped event, or to the start of the
 * log. Known transaction times are cached (by position; the log is immutable, and the service never
 * deletes), so stream reads of events this instance's subscriptions have delivered cost no read.
 *
 * Any h works for the stamp, as long as its T is known: the running maximum counts whatever lies
 * between h and e. So while a live subscription of this instance keeps delivering events, the
 * writer stamps after the last one it delivered instead of reading the head of `$all` (`noteLive`);
 * a stream read of an event then walks back over the few events the subscription had not delivered
 * yet. Past LIVE_HEAD_MS without a new event the writer reads the head again.
 */

/** Reads up to `maxCount` events of `$all` backwards from `from` (exclusive). */
export type BackwardsRead = (
  from: Position | typeof END,
  maxCount: number,
) => Promise<Array<AllStreamResolvedEvent | ResolvedEvent>>;

export interface TimedPosition {
  readonly position: Position;
  /** Transaction time, ms since the epoch. */
  readonly at: number;
}

/**
 * A walk's pages: every event read is sent and parsed, so the first page is one event (enough when
 * its time is known: an instance's subscription has usually delivered the head already), the
 * next ones eight times larger (a window usually holds the few events committed while one was
 * being written).
 */
const FIRST_PAGE = 1;
const LARGEST_PAGE = 1024;
/** Transaction-time lookups a stream read runs at once. */
const STREAM_READ_LOOKUPS = 8;
const CACHE_SIZE = 100_000;
/** How long the last event a live subscription delivered stands in for the head of `$all` (default). */
export const LIVE_HEAD_MS = 1_000;

/** An event a walk passed: its position (wire form) and its stamp. */
interface Passed {
  readonly key: string;
  readonly at: number;
}

interface Stamp {
  readonly at: number;
  readonly after: Position | null | undefined;
}

export class TransactionTimes {
  private readonly cache = new Map<string, number>();
  /** The newest event a live subscription delivered, with its time, and when (monotonic ms). */
  private live: (TimedPosition & { readonly seen: number }) | null = null;

  constructor(
    private readonly readBackwards: BackwardsRead,
    private readonly clock: () => number = Date.now,
    private readonly liveHeadMs = LIVE_HEAD_MS,
  ) {}

  /** What the writer stores: its clock, never below the last event's transaction time. */
  async stamp(): Promise<WriterStamp> {
    const recent = this.live && performance.now() - this.live.seen <= this.liveHeadMs ? this.live : null;
    const head = recent ?? (await this.walk(END, null));
    const at = Math.max(this.clock(), head?.at ?? -Infinity);
    return {
      recordedAt: new Date(at).toISOString(),
      recordedAfter: head ? formatPosition(head.position) : null,
    };
  }

  /** Transaction time of the event read at `position` with this stamp (see the notes above). */
  async timeAt(position: Position, resolved: AllStreamResolvedEvent | ResolvedEvent): Promise<number> {
    const known = this.cache.get(formatPosition(position));
    if (known !== undefined) return known;
    const stamp = stampOf(resolved);
    const timed = await this.walk(position, { position, ...stamp });
    return timed!.at;
  }

  /** A stream read's port events, each with its transaction time (a few lookups at a time). */
  async decodeStream(read: readonly ResolvedEvent[]): Promise<RecordedEvent[]> {
    const visible = read.filter((r) => decodeEvent(r) !== null);
    const out = new Array<RecordedEvent>(visible.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < visible.length; i = next++) {
        const e = visible[i]!.event!;
        const at = await this.timeAt(positionOf(e.position!.commit, e.position!.prepare), visible[i]!);
        out[i] = decodeEvent(visible[i]!, at)!;
      }
    };
    await Promise.all(Array.from({ length: Math.min(STREAM_READ_LOOKUPS, visible.length) }, worker));
    return out;
  }

  /** Transaction time of the last event before `position`, or -Infinity when there is none. */
  async timeBefore(position: Position): Promise<number> {
    return (await this.walk(position, null))?.at ?? -Infinity;
  }

  /** A live subscription delivered the event at `position`, at transaction time `at`. */
  noteLive(position: Position, at: number): void {
    if (this.live && comparePositions(position, this.live.position) <= 0) return;
    this.live = { position, at, seen: performance.now() };
  }

  /** Records a transaction time a reader worked out along `$all`. */
  remember(position: Position, at: number): void {
    this.rememberKey(formatPosition(position), at);
  }

  private rememberKey(key: string, at: number): void {
    if (this.cache.has(key)) return;
    this.cache.set(key, at);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
  }

  /**
   * Reads `$all` backwards from `from` (exclusive) and returns the transaction time of `target`,
   * or, without one, of the first port event met (null when there is none). The events passed are
   * kept (as many as the cache holds, top first; below those only their largest stamp): when the
   * walk ends at the start of the log or at an event whose time is known, each of them gets its time
   * as well, so that a walk down a stretch without stamps is made once, not once per event.
   */
  private async walk(
    from: Position | typeof END,
    target: ({ position: Position } & Stamp) | null,
  ): Promise<TimedPosition | null> {
    let found = target;
    let bound = found?.after ?? null;
    const passed: Passed[] = found ? [{ key: formatPosition(found.position), at: found.at }] : [];
    let below = -Infinity;
    let cursor = from;
    for (let size = FIRST_PAGE; ; size = Math.min(size * 8, LARGEST_PAGE)) {
      const page = await this.readBackwards(cursor, size);
      for (const resolved of page) {
        const e = resolved.event;
        if (!e?.position) continue;
        const position = positionOf(e.position.commit, e.position.prepare);
        // A node may include the start position of a backwards read: only what lies below counts.
        if (cursor !== END && comparePositions(position, cursor) >= 0) continue;
        cursor = position;
        if (!e.isJson || isHidden(e.streamId, e.type)) continue;
        const stamp = stampOf(resolved);
        const key = formatPosition(position);
        const known = this.cache.get(key);
        if (!found) {
          if (known !== undefined) return { position, at: known };
          found = { position, ...stamp };
          bound = stamp.after ?? null;
          passed.push({ key, at: stamp.at });
          continue;
        }
        if (bound && comparePositions(position, bound) <= 0)
          return this.finish(found.position, passed, below);
        if (known !== undefined) return this.finish(found.position, passed, Math.max(below, known), true);
        if (passed.length < CACHE_SIZE) passed.push({ key, at: stamp.at });
        else below = Math.max(below, stamp.at);
        if (stamp.after && (!bound || comparePositions(stamp.after, bound) > 0)) bound = stamp.after;
      }
      if (page.length < size) return found ? this.finish(found.position, passed, below, true) : null;
    }
  }

  /**
   * The time of the walk's event: the largest stamp passed and `below`. With `exact` (nothing lies
   * under `below` that is not counted in it), every passed event's time is known too: the largest
   * stamp from below up to it.
   */
  private finish(position: Position, passed: readonly Passed[], below: number, exact = false): TimedPosition {
    let at = below;
    if (!exact) {
      for (const p of passed) at = Math.max(at, p.at);
      this.remember(position, at);
      return { position, at };
    }
    for (let i = passed.length - 1; i >= 0; i--) {
      at = Math.max(at, passed[i]!.at);
      this.rememberKey(passed[i]!.key, at);
    }
    return { position, at };
  }
}
