import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  UnsupportedError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendStreamRequest,
  type KurrentDBClient,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import type { AppendOptions, AppendResult, NewEvent } from '../event-store.port';
import { positionOf } from '../position';
import {
  CLAIM_EVENT_TYPE,
  CLAIM_STREAM_PREFIX,
  encodeSessionEvent,
  storedMarks,
  type WriterStamp,
} from './eventstoredb-codec';
import { storedResult, type Found } from './eventstoredb-idempotency';

/*
 * One append per event on KurrentDB 25.1+: the claims (`evid-<id>`, expected no_stream) and the
 * events go out in one multi-stream append session, which the node commits as one transaction
 * (docs/eventstoredb.md, "Appends"). A claim then never exists without its events, so the scan for
 * an earlier copy is not needed: a second copy of an id cannot be written, as its claim would be
 * refused and the whole session with it. The events go out with the caller's expected revision as
 * it is (`any` stays `any`), and are read back once for their log positions, which the session's
 * answer does not give.
 *
 * Anything but a clean answer leaves the decision to the two-append path (eventstoredb-idempotency.ts),
 * which reads the claims and the stream and so settles every case: an id claimed before (a retry, or a
 * duplicate), a session whose answer was lost (its claims and events are both there, or neither),
 * NotLeader (the v2 error carries no redirect the client follows), a node without sessions. Only a
 * revision conflict on the events' own stream is final: nothing was written, and it is the caller's.
 */

/** Event types a node accepts in a session (its AppendRecord schema name rule). */
const SESSION_TYPE = /^[a-zA-Z0-9_.$:-]+$/;

export type ReadForwards = (
  stream: string,
  fromRevision: bigint,
  maxCount: number,
) => Promise<ResolvedEvent[]>;

export class SessionAppends {
  /** False once the node said it has no append sessions (before 25.1), or when turned off. */
  private available: boolean;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly readForwards: ReadForwards,
    enabled = true,
  ) {
    this.available = enabled;
  }

  /** Whether sessions are still tried: false when turned off or once the node said it has none. */
  get enabled(): boolean {
    return this.available;
  }

  /**
   * Appends claims and events in one session. Returns null when the two-append path must decide
   * (see above); throws only the events' stream's own revision conflict.
   */
  async append(
    stream: string,
    events: readonly NewEvent[],
    hashes: readonly string[],
    appendId: string,
    stamp: WriterStamp,
    expected: AppendOptions['expectedRevision'],
  ): Promise<AppendResult | null> {
    if (!this.available || !events.every((e) => e.id === e.id.toLowerCase() && SESSION_TYPE.test(e.type)))
      return null;
    const ids = new Set(events.map((e) => e.id));
    if (ids.size !== events.length) return null; // one claim stream per id: a node refuses a stream twice
    const requests: AppendStreamRequest[] = events.map((e, i) => ({
      streamName: CLAIM_STREAM_PREFIX + e.id,
      expectedState: NO_STREAM,
      events: [jsonEvent({ type: CLAIM_EVENT_TYPE, data: { stream, contentHash: hashes[i]! } })],
    }));
    requests.push({
      streamName: stream,
      expectedState: expected === 'any' ? ANY : expected === 'stream_exists' ? STREAM_EXISTS : expected,
      events: events.map((e) => encodeSessionEvent(e, appendId, stamp)),
    });
    let revision: bigint;
    try {
      const result = await this.client.multiStreamAppend(requests);
      revision = result.responses.find((r) => r.streamName === stream)!.revision;
    } catch (e) {
      if (e instanceof UnsupportedError) {
        this.available = false;
        return null;
      }
      if (e instanceof WrongExpectedVersionError && e.streamName === stream) throw e;
      return null;
    }
    const first = revision - BigInt(events.length) + 1n;
    const read = await this.readForwards(stream, first, events.length);
    const found = new Map<string, Found>();
    for (const resolved of read) {
      const e = resolved.event!;
      const position = positionOf(e.position!.commit, e.position!.prepare);
      found.set(e.id.toLowerCase(), { revision: e.revision, position, ...storedMarks(resolved) });
    }
    const written = storedResult(stream, events, hashes, { current: revision, found }, appendId);
    if (!written) throw new Error(`append session to ${stream} succeeded but its events cannot be read back`);
    return written;
  }
}
