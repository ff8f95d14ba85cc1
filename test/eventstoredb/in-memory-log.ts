/**
 * The storage of the EventStoreDB test server: one transaction log ($all) and per-stream indexes,
 * with the semantics the real server has for what the client library uses (docs/eventstoredb.md,
 * "The test server"). Synchronous on purpose: an append and the notification of live subscribers
 * happen in one turn, so a subscription can switch from catch-up to live without a gap.
 *
 * As a real node (EventStoreDB 20.10+, KurrentDB): event ids are GUIDs (compared and returned in
 * lower case); every event of an append is its own log record, so each has its own commit position
 * (commit === prepare); `created` is the wall clock of the node at the write, which can step
 * backwards (`clock`); and the duplicate check is the node's, not a guarantee (see `check`).
 */
import { randomUUID } from 'node:crypto';

export interface StoredRecord {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
  /** 100-ns ticks since the Unix epoch, as the server sends `created`. */
  readonly createdTicks: bigint;
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface ProposedRecord {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type Expected =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

/**
 * A write's result. An idempotent repeat carries no position, as a real node answers it
 * (`no_position`); a refused one the stream's current revision.
 */
export type AppendOutcome =
  | { readonly ok: true; readonly revision: bigint; readonly position: LogPosition | null }
  | { readonly ok: false; readonly current: bigint | null };

/** One stream of an append session: its expected revision and its records. */
export interface SessionRequest {
  readonly stream: string;
  readonly expected: Expected;
  readonly records: readonly ProposedRecord[];
}

export type SessionOutcome =
  | { readonly kind: 'ok'; readonly revisions: readonly bigint[]; readonly position: LogPosition }
  | { readonly kind: 'conflict'; readonly index: number; readonly current: bigint | null }
  | { readonly kind: 'mixed' };

export interface LogOptions {
  /** The node's wall clock in ms since the epoch (default Date.now); it may step backwards. */
  readonly clock?: () => number;
  /** How many recent event ids the duplicate check of `any` appends remembers (default 10,000). */
  readonly recentIds?: number;
}

export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const comparePos = (a: LogPosition, b: LogPosition): number =>
  a.commit === b.commit
    ? a.prepare === b.prepare
      ? 0
      : a.prepare < b.prepare
        ? -1
        : 1
    : a.commit < b.commit
      ? -1
      : 1;

/** Every this many appends the log gets a `$statsCollected` event, as a real node writes its stats. */
const STATS_EVERY = 4;

export class InMemoryLog {
  private readonly records: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  /** The node's cache of committed event ids (id -> stream, revision), oldest first, bounded. */
  private readonly recent = new Map<string, { stream: string; revision: bigint }>();
  private readonly recentIds: number;
  private readonly listeners = new Set<(record: StoredRecord) => void>();
  /** Start above 0 and leave gaps, as real log positions are byte offsets. */
  private nextOffset = 1_000n + BigInt(Math.floor(Math.random() * 5_000));
  private appends = 0;
  /** The node's wall clock (ms since the epoch); tests step it backwards as NTP or a failover can. */
  clock: () => number;
  /** How often a live subscription fell behind (read-handler.ts), for tests. */
  fellBehind = 0;

  constructor(options: LogOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.recentIds = options.recentIds ?? 10_000;
    this.append('$epochs', { kind: 'any' }, [systemRecord('$epoch')]);
    this.append('$settings', { kind: 'any' }, [systemRecord('$settings')]);
  }

  append(stream: string, expected: Expected, proposed: readonly ProposedRecord[]): AppendOutcome {
    const events = proposed.map((e) => ({ ...e, id: e.id.toLowerCase() }));
    const current = this.revisionOf(stream);
    const decision = this.check(stream, expected, current, events);
    if (decision === 'wrong') return { ok: false, current };
    if (decision !== 'write') return { ok: true, revision: decision.last, position: null };
    const outcome = this.write(stream, current, events);
    if (!stream.startsWith('$') && ++this.appends % STATS_EVERY === 0) {
      this.append('$stats-127.0.0.1:2113', { kind: 'any' }, [systemRecord('$statsCollected')]);
    }
    return outcome;
  }

  /**
   * A KurrentDB 25.1+ append session (v2 AppendSession): several streams written in one atomic
   * transaction (StorageWriterService.VerifyCommitChecks). Every stream gets the same commit check
   * as a single append; one refused → nothing written, the first refused stream reported; every one
   * idempotent → success with what was stored, nothing written; some idempotent and some not → the
   * node answers INTERNAL (25.1 fails to map that result), nothing written; else all are written in
   * one turn, and the session's position is that of its last record.
   */
  appendSession(requests: readonly SessionRequest[]): SessionOutcome {
    const prepared = requests.map((r) => {
      const events = r.records.map((e) => ({ ...e, id: e.id.toLowerCase() }));
      const current = this.revisionOf(r.stream);
      return { ...r, events, current, decision: this.check(r.stream, r.expected, current, events) };
    });
    const refused = prepared.findIndex((p) => p.decision === 'wrong');
    if (refused >= 0) return { kind: 'conflict', index: refused, current: prepared[refused]!.current };
    const idempotent = prepared.filter((p) => p.decision !== 'write');
    if (idempotent.length === prepared.length) {
      const revisions = prepared.map((p) => (p.decision as { last: bigint }).last);
      const positions = prepared.map((p, i) => this.streams.get(p.stream)![Number(revisions[i])]!);
      const last = positions.reduce((a, b) => (comparePos(a, b) >= 0 ? a : b));
      return { kind: 'ok', revisions, position: { commit: last.commit, prepare: last.prepare } };
    }
    if (idempotent.length > 0) return { kind: 'mixed' };
    const outcomes = prepared.map((p) => this.write(p.stream, p.current, p.events));
    if (++this.appends % STATS_EVERY === 0) {
      this.append('$stats-127.0.0.1:2113', { kind: 'any' }, [systemRecord('$statsCollected')]);
    }
    const written = outcomes as Array<Extract<AppendOutcome, { ok: true }>>;
    return { kind: 'ok', revisions: written.map((o) => o.revision), position: written.at(-1)!.position! };
  }

  /**
   * A real node's commit check (IndexWriter.CheckCommit). An exact expected revision behind the
   * stream's end compares the ids with the events stored after that revision: all the same → an
   * idempotent success (nothing written), the first different → wrong expected version, the first
   * the same but a later one not → wrong expected version too. `any` (and `stream_exists` on an
   * existing stream) looks the ids up in the cache of recently committed ids only: found for this
   * stream → idempotent; the first not found → written again (a second copy, once the id has left
   * the cache or was committed to another stream).
   */
  private check(
    stream: string,
    expected: Expected,
    current: bigint | null,
    events: readonly ProposedRecord[],
  ): 'write' | 'wrong' | { last: bigint } {
    if (expected.kind === 'stream_exists' && current === null) return 'wrong';
    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      let last: bigint | null = null;
      for (const [i, e] of events.entries()) {
        const hit = this.recent.get(e.id);
        if (!hit || hit.stream !== stream) return i === 0 ? 'write' : 'wrong';
        last = hit.revision;
      }
      return { last: last! };
    }
    const after = expected.kind === 'no_stream' ? -1n : expected.revision;
    const at = current ?? -1n;
    if (after > at) return 'wrong';
    if (after === at) return 'write';
    const stored = this.streams.get(stream)!;
    for (const [i, e] of events.entries()) {
      if (stored[Number(after) + 1 + i]?.id !== e.id) return 'wrong';
    }
    return { last: after + BigInt(events.length) };
  }

  /** Revision of the last event of a stream, null when it does not exist. */
  revisionOf(stream: string): bigint | null {
    const s = this.streams.get(stream);
    return s && s.length > 0 ? s[s.length - 1]!.revision : null;
  }

  stream(stream: string): readonly StoredRecord[] | undefined {
    return this.streams.get(stream);
  }

  get all(): readonly StoredRecord[] {
    return this.records;
  }

  onAppend(listener: (record: StoredRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private write(stream: string, current: bigint | null, events: readonly ProposedRecord[]): AppendOutcome {
    // The node's clock as it is, never clamped: a step back gives an earlier `created`.
    const createdTicks = BigInt(Math.floor(this.clock())) * 10_000n;
    const list = this.streams.get(stream) ?? [];
    this.streams.set(stream, list);
    let revision = current ?? -1n;
    // Each event is a log record committed by itself: commit and prepare are its own position.
    const written = events.map((e): StoredRecord => {
      revision += 1n;
      const at = this.advance();
      return { ...e, stream, revision, createdTicks, commit: at, prepare: at };
    });
    list.push(...written);
    this.records.push(...written);
    for (const r of written) this.remember(r);
    for (const record of written) for (const listener of [...this.listeners]) listener(record);
    const last = written[written.length - 1]!;
    return { ok: true, revision: last.revision, position: { commit: last.commit, prepare: last.prepare } };
  }

  private remember(r: StoredRecord): void {
    this.recent.delete(r.id);
    this.recent.set(r.id, { stream: r.stream, revision: r.revision });
    if (this.recent.size > this.recentIds) this.recent.delete(this.recent.keys().next().value!);
  }

  private advance(): bigint {
    const at = this.nextOffset;
    this.nextOffset += 90n + BigInt(Math.floor(Math.random() * 200));
    return at;
  }
}

function systemRecord(type: string): ProposedRecord {
  return {
    id: randomUUID(),
    type,
    contentType: 'application/json',
    data: Buffer.from('{}'),
    customMetadata: new Uint8Array(),
  };
}
