import {
  BACKWARDS,
  END,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type KurrentDBClient,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { appendResult, eventIdForms } from '../append-rules';
import { DuplicateEvent } from '../event-store.errors';
import type { AppendResult, NewEvent } from '../event-store.port';
import { comparePositions, positionOf, type Position } from '../position';
import { CLAIM_EVENT_TYPE, CLAIM_STREAM_PREFIX, storedMarks } from './eventstoredb-codec';
import { readStreamEvents } from './eventstoredb-grpc-read';

/*
 * Idempotency by event id, without relying on the server's dedupe (a best-effort cache).
 *
 * Claims. Before an event is appended, its id is claimed: one event written to the stream
 * `evid-<id in lower case>` (a claim made before ids were lower-cased keeps its name: `claimStreamOf`)
 * with expected revision NO_STREAM, holding the target stream and the content hash.
 * The server makes NO_STREAM writes to one stream mutually exclusive, so exactly one claim per id
 * ever exists, and it is written before any copy of the event can be. A later append of the same id
 * finds the claim: another stream or another hash → DuplicateEvent (also when the first append never
 * completed: the id stays bound to what it was first claimed for); the same stream and hash → a
 * retry, which returns the stored result if the event is there, else appends it.
 *
 * Exactly once within the stream. Every copy of an id is appended after its claim, so looking for
 * it means reading the target stream backwards only down to the claim's log position (`scan`). The
 * append then goes out with an exact expected revision taken from that same read (for 'any' and
 * 'stream_exists' too), so if a racing retry wrote the event after the scan, the server refuses
 * with a wrong expected version, and the caller scans again and finds it.
 *
 * Claim streams are ordinary (`$`-free, so no admin rights are needed to write them) and are hidden
 * from readAll and subscriptions by the adapter. They cost one small event per stored event.
 */

export interface Scan {
  /** Revision of the last event of the stream, null when the stream does not exist. */
  readonly current: bigint | null;
  /** Events of the stream written since the claims, by id in lower case (a node's ids are GUIDs). */
  readonly found: ReadonlyMap<string, Found>;
}

export interface Found {
  readonly revision: bigint;
  readonly position: Position;
  readonly hash: string | null;
  readonly appendId: string | null;
}

interface ClaimData {
  readonly stream: string;
  readonly contentHash: string;
}

const PAGE = 64n;

/** Deadlines of the calls: `readMs` bounds every read (eventstoredb-grpc-read.ts). */
export interface CallDeadlines {
  readonly readMs: number;
  /** Appends: the client's own deadline (its `defaultDeadline` when undefined). */
  readonly appendMs?: number;
}

export class EventIdClaims {
  constructor(
    private readonly client: KurrentDBClient,
    private readonly deadlines: CallDeadlines,
  ) {}

  /**
   * Claims every id for `stream` and returns the earliest claim position (no copy of these ids can
   * be stored before it). Throws DuplicateEvent when an id is bound to another stream or content.
   */
  async claim(stream: string, events: readonly NewEvent[], hashes: readonly string[]): Promise<Position> {
    const settled = await Promise.allSettled(events.map((e, i) => this.claimOne(stream, e.id, hashes[i]!)));
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    const duplicate = failed.find((f) => f.reason instanceof DuplicateEvent);
    if (duplicate ?? failed[0]) throw (duplicate ?? failed[0]!).reason;
    const positions = settled.map((s) => (s as PromiseFulfilledResult<Position>).value);
    return positions.reduce((low, p) => (comparePositions(p, low) < 0 ? p : low));
  }

  /**
   * The form of `id` whose claim exists, or null. The API sends ids in lower case; a claim made
   * before that is named with the id as its client sent it (`evid-<UPPER>`), and the retry must
   * use that claim, or the scan would start after the event it looks for. The forms are read at once.
   */
  async claimedForm(id: string): Promise<string | null> {
    const forms = eventIdForms(id);
    const found = await Promise.all(forms.map((form) => this.exists(CLAIM_STREAM_PREFIX + form)));
    return forms.find((_, i) => found[i]) ?? null;
  }

  /** Reads `stream` backwards down to `since`: its current revision and the events written after. */
  async scan(stream: string, since: Position): Promise<Scan> {
    const found = new Map<string, Found>();
    let current: bigint | null = null;
    let from: bigint | typeof END = END;
    for (;;) {
      let page: ResolvedEvent[];
      try {
        page = await readStreamEvents(
          this.client,
          stream,
          { direction: BACKWARDS, fromRevision: from, maxCount: Number(PAGE) },
          this.deadlines.readMs,
        );
      } catch (e) {
        if (e instanceof StreamNotFoundError) return { current: null, found };
        throw e;
      }
      for (const resolved of page) {
        const e = resolved.event!;
        current ??= e.revision;
        const position = positionOf(e.position!.commit, e.position!.prepare);
        if (comparePositions(position, since) < 0) return { current, found };
        found.set(e.id.toLowerCase(), { revision: e.revision, position, ...storedMarks(resolved) });
      }
      const last = page[page.length - 1];
      if (BigInt(page.length) < PAGE || !last || last.event!.revision === 0n) return { current, found };
      from = last.event!.revision - 1n;
    }
  }

  /**
   * Claims are named by the id in lower case (`evid-<id>`), the form a node gives ids back in. An
   * id in another form is either a retry of one claimed so before that rule (the caller found it
   * with `claimedForm`), whose claim must be the one used, or any other id: its lower-case claim.
   */
  private async claimStreamOf(id: string): Promise<string> {
    const lower = id.toLowerCase();
    if (id === lower || !(await this.exists(CLAIM_STREAM_PREFIX + id))) return CLAIM_STREAM_PREFIX + lower;
    return CLAIM_STREAM_PREFIX + id;
  }

  private async exists(stream: string): Promise<boolean> {
    try {
      return (await readStreamEvents(this.client, stream, { maxCount: 1 }, this.deadlines.readMs)).length > 0;
    } catch (e) {
      if (e instanceof StreamNotFoundError) return false;
      throw e;
    }
  }

  private async claimOne(stream: string, id: string, hash: string): Promise<Position> {
    const claimStream = await this.claimStreamOf(id);
    const data: ClaimData = { stream, contentHash: hash };
    try {
      await this.client.appendToStream(
        claimStream,
        jsonEvent({ type: CLAIM_EVENT_TYPE, data: { ...data } }),
        { streamState: NO_STREAM, deadline: this.deadlines.appendMs },
      );
    } catch (e) {
      if (!(e instanceof WrongExpectedVersionError)) throw e;
    }
    // Read the claim back (ours or an earlier one): it gives the position and the binding.
    const [resolved] = await readStreamEvents(
      this.client,
      claimStream,
      { maxCount: 1 },
      this.deadlines.readMs,
    );
    const claim = resolved?.event;
    if (!claim?.position) throw new Error(`claim ${claimStream} could not be read back`);
    const bound = claim.data as unknown as ClaimData;
    if (bound.stream !== stream)
      throw new DuplicateEvent(id, bound.stream, 'the id belongs to another stream');
    if (bound.contentHash !== hash)
      throw new DuplicateEvent(id, bound.stream, 'stored with different content');
    return positionOf(claim.position.commit, claim.position.prepare);
  }
}

/**
 * The result of an append whose events are all found in the scan (in order, contiguous, same
 * content), null when none is. Some but not all, or in another order: a DuplicateEvent.
 * `appendId`: the id of the append call that just succeeded (null before appending); the result is
 * idempotent unless that call is the one that wrote the events (the server's dedupe cache can answer
 * success to a repeat without writing).
 */
export function storedResult(
  stream: string,
  events: readonly NewEvent[],
  hashes: readonly string[],
  scan: Scan,
  appendId: string | null,
): AppendResult | null {
  const stored = events.map((e) => scan.found.get(e.id.toLowerCase()));
  if (stored.every((s) => s === undefined)) return null;
  const written = stored.map((s, i) => {
    const id = events[i]!.id;
    if (!s) throw new DuplicateEvent(id, stream, 'part of this append was stored before, part was not');
    if (s.hash !== hashes[i]) throw new DuplicateEvent(id, stream, 'stored with different content');
    if (i > 0 && s.revision !== stored[i - 1]!.revision + 1n) {
      throw new DuplicateEvent(id, stream, 'the ids were stored in another order');
    }
    return { id, revision: s.revision, position: s.position };
  });
  const idempotent = appendId === null || stored.some((s) => s!.appendId !== appendId);
  return appendResult(stream, written, idempotent);
}
