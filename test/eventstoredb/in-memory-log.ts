/**
 * The storage of the EventStoreDB test server: one transaction log ($all) and per-stream indexes,
 * with the semantics the real server has for what the client library uses (see README, "Running on
 * EventStoreDB / KurrentDB"). Synchronous on purpose: an append and the notification of live
 * subscribers happen in one turn, so a subscription can switch from catch-up to live without a gap.
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

export type AppendOutcome =
  | { readonly ok: true; readonly revision: bigint; readonly commit: bigint; readonly prepare: bigint }
  | { readonly ok: false; readonly current: bigint | null };

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
  /** The server's best-effort dedupe: only the ids of the last append to each stream are remembered. */
  private readonly lastAppend = new Map<string, { ids: string; outcome: AppendOutcome }>();
  private readonly listeners = new Set<(record: StoredRecord) => void>();
  /** Start above 0 and leave gaps, as real log positions are byte offsets. */
  private nextOffset = 1_000n + BigInt(Math.floor(Math.random() * 5_000));
  private lastTicks = 0n;
  private appends = 0;
  /** How often a live subscription fell behind (read-handler.ts), for tests. */
  fellBehind = 0;

  constructor() {
    this.write('$epochs', { kind: 'any' }, [systemRecord('$epoch')]);
    this.write('$settings', { kind: 'any' }, [systemRecord('$settings')]);
  }

  append(stream: string, expected: Expected, events: readonly ProposedRecord[]): AppendOutcome {
    const ids = events.map((e) => e.id).join(',');
    const last = this.lastAppend.get(stream);
    if (last && last.ids === ids && last.outcome.ok) return last.outcome;
    const outcome = this.write(stream, expected, events);
    if (outcome.ok) this.lastAppend.set(stream, { ids, outcome });
    if (outcome.ok && ++this.appends % STATS_EVERY === 0) {
      this.write('$stats-127.0.0.1:2113', { kind: 'any' }, [systemRecord('$statsCollected')]);
    }
    return outcome;
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

  private write(stream: string, expected: Expected, events: readonly ProposedRecord[]): AppendOutcome {
    const current = this.revisionOf(stream);
    const fits =
      expected.kind === 'any' ||
      (expected.kind === 'no_stream' && current === null) ||
      (expected.kind === 'stream_exists' && current !== null) ||
      (expected.kind === 'revision' && current === expected.revision);
    if (!fits) return { ok: false, current };
    const nowTicks = BigInt(Date.now()) * 10_000n;
    this.lastTicks = nowTicks > this.lastTicks ? nowTicks : this.lastTicks;
    // One transaction: each event has its own prepare position; all share the commit position,
    // which lies after the last prepare (as the commit record of a real transaction does).
    const prepares = events.map(() => this.advance());
    const commit = this.advance();
    const list = this.streams.get(stream) ?? [];
    this.streams.set(stream, list);
    let revision = current ?? -1n;
    const written = events.map((e, i): StoredRecord => {
      revision += 1n;
      return { ...e, stream, revision, createdTicks: this.lastTicks, commit, prepare: prepares[i]! };
    });
    list.push(...written);
    this.records.push(...written);
    for (const record of written) for (const listener of [...this.listeners]) listener(record);
    const last = written[written.length - 1]!;
    return { ok: true, revision: last.revision, commit: last.commit, prepare: last.prepare };
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
