import { randomUUID } from 'node:crypto';
import {
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  WrongExpectedVersionError,
  type AppendStreamState,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import { contentHash } from '../append-rules';
import { AppendTooLarge, EventStoreUnavailable } from '../event-store.errors';
import type { AppendOptions, AppendResult, NewEvent } from '../event-store.port';
import { LARGEST_STAMP, appendSize, encodeEvent } from './eventstoredb-codec';
import { isTransient } from './eventstoredb-errors';
import { readStreamEvents } from './eventstoredb-grpc-read';
import { EventIdClaims, storedResult, type CallDeadlines } from './eventstoredb-idempotency';
import type { TransactionTimes } from './eventstoredb-recorded-at';
import { SessionAppends } from './eventstoredb-session-append';

/**
 * How often an 'any' / 'stream_exists' append retries after losing a race to another writer; past
 * that the caller gets the WrongExpectedRevision (a conflict it may retry).
 */
const MAX_RACES = 20;
const DEFAULT_APPEND_ATTEMPTS = 4;

export interface AppendSettings {
  readonly deadlines: CallDeadlines;
  /** host:port of the node(s), for messages. */
  readonly endpoint: string;
  /** Attempts of an append whose outcome is unknown (timeout, deadline, NotLeader, lost connection). */
  readonly appendAttempts?: number;
  /** First delay between those attempts (doubling). */
  readonly retryDelayMs?: number;
  /** The node's MaxAppendSize (1 MiB by default, as a node's); a node's own refusal lowers it. */
  readonly maxAppendSize?: number;
  /** Try multi-stream append sessions (KurrentDB 25.1+) before the two-append path. */
  readonly appendSessions?: boolean;
  /** True once the store is closed: no more attempts. */
  readonly closed: () => boolean;
}

/**
 * Appends with idempotency by event id. On a node with append sessions (KurrentDB 25.1+) the first
 * attempt writes the claims and the events in one session (eventstoredb-session-append.ts); else,
 * and whenever a session's answer does not settle the append, the claims go first and the events
 * follow at the exact revision of a scan (eventstoredb-idempotency.ts).
 *
 * A call whose outcome is unknown (commit timeout, deadline, NotLeader, dropped connection: the
 * write may have been stored) is run again from the claim with the same event ids and append id, up
 * to `appendAttempts` times: a stored attempt is then found by the scan and answered as written by
 * this call, so nothing is stored twice and nothing is lost. Past the attempts the caller gets
 * EventStoreUnavailable (a 503 with Retry-After) and may retry with the same ids.
 */
export class EventStoreDbAppends {
  private readonly claims: EventIdClaims;
  private readonly sessions: SessionAppends;
  private maxAppendSize: number;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly times: TransactionTimes,
    private readonly settings: AppendSettings,
  ) {
    this.claims = new EventIdClaims(client, settings.deadlines);
    const readForwards = (stream: string, fromRevision: bigint, maxCount: number) =>
      readStreamEvents(
        client,
        stream,
        { direction: FORWARDS, fromRevision, maxCount },
        settings.deadlines.readMs,
      );
    this.sessions = new SessionAppends(client, readForwards, settings.appendSessions ?? true);
    this.maxAppendSize = settings.maxAppendSize ?? 1024 * 1024;
  }

  /** The claims, for the form an id was first claimed in. */
  get idClaims(): EventIdClaims {
    return this.claims;
  }

  async append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (events.length === 0) throw new TypeError('append needs at least one event');
    const appendId = randomUUID();
    const size = appendSize(events.map((e) => encodeEvent(e, appendId, LARGEST_STAMP)));
    // Refused before anything is claimed, so the ids stay free for content that fits.
    if (size > this.maxAppendSize) throw new AppendTooLarge(stream, size, this.maxAppendSize);
    const hashes = events.map(contentHash);
    const attempts = this.settings.appendAttempts ?? DEFAULT_APPEND_ATTEMPTS;
    for (let attempt = 1; ; attempt++) {
      try {
        if (attempt === 1) {
          const stamp = await this.times.stamp();
          const expected = options.expectedRevision;
          const done = await this.sessions.append(stream, events, hashes, appendId, stamp, expected);
          if (done) return done;
        }
        return await this.twoAppends(stream, events, hashes, appendId, options);
      } catch (e) {
        if (e instanceof MaxAppendSizeExceededError) {
          this.maxAppendSize = e.maxAppendSize; // the node's own limit is lower: learn it
          throw new AppendTooLarge(stream, size, e.maxAppendSize);
        }
        if (!isTransient(e) || this.settings.closed()) throw e;
        if (attempt >= attempts) throw this.unconfirmed(stream, attempt, e);
        await new Promise((r) => setTimeout(r, (this.settings.retryDelayMs ?? 100) * 2 ** (attempt - 1)));
      }
    }
  }

  /** Claims first, then the events at the exact revision of a scan (eventstoredb-idempotency.ts). */
  private async twoAppends(
    stream: string,
    events: readonly NewEvent[],
    hashes: readonly string[],
    appendId: string,
    options: AppendOptions,
  ): Promise<AppendResult> {
    const since = await this.claims.claim(stream, events, hashes);
    const expected = options.expectedRevision;
    for (let race = 1; ; race++) {
      // The stamp is read anew for every attempt: the head may have moved, or the leader changed.
      const [scan, stamp] = await Promise.all([this.claims.scan(stream, since), this.times.stamp()]);
      // Found with this call's append id: an earlier attempt whose answer was lost stored them.
      const stored = storedResult(stream, events, hashes, scan, appendId);
      if (stored) return stored;
      // 'any' and 'stream_exists' go out as the exact revision just read (see the idempotency notes).
      const target: AppendStreamState =
        expected === 'any'
          ? (scan.current ?? NO_STREAM)
          : expected === 'stream_exists'
            ? (scan.current ?? STREAM_EXISTS)
            : expected;
      try {
        await this.client.appendToStream(
          stream,
          events.map((e) => encodeEvent(e, appendId, stamp)),
          { streamState: target, deadline: this.settings.deadlines.appendMs },
        );
      } catch (e) {
        if (!(e instanceof WrongExpectedVersionError)) throw e;
        const retry = expected === 'any' || (expected === 'stream_exists' && e.actualState !== 'no_stream');
        if (race < MAX_RACES && retry) continue;
        // Lost to a retry of this very append? Then that one's result is ours.
        const again = storedResult(stream, events, hashes, await this.claims.scan(stream, since), appendId);
        if (again) return again;
        throw e;
      }
      const written = storedResult(stream, events, hashes, await this.claims.scan(stream, since), appendId);
      if (!written) throw new Error(`append to ${stream} succeeded but its events cannot be read back`);
      return written;
    }
  }

  private unconfirmed(stream: string, attempts: number, cause: unknown): EventStoreUnavailable {
    const reason = cause instanceof Error && cause.message ? cause.message : 'no answer';
    return new EventStoreUnavailable(
      `EventStoreDB at ${this.settings.endpoint} did not confirm the append to ${stream} in ${attempts} attempts ` +
        `(${reason}); it may have been stored: retry with the same event ids`,
      { cause },
    );
  }
}
