import type { NewEventLike } from './scale-dist';

/** Follow-ups go to one of the most recent reports (older entry streams are forgotten). */
export const WINDOW = 4000;

/** A recorded event as the store would give it back (the write side decodes its history). */
interface Captured {
  readonly id: string;
  readonly stream: string;
  readonly revision: bigint;
  readonly position: { commit: bigint; prepare: bigint };
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
  readonly metadata: NewEventLike['metadata'] & { recordedAt: string };
}

const RECORDED_AT = new Date(0).toISOString();

export interface Append {
  readonly stream: string;
  readonly events: NewEventLike[];
  readonly expectedRevision: 'no_stream' | bigint;
}

/**
 * Stands in for the event store while the write side plans: answers readStream/streamRevision from
 * what was captured (registry streams and the most recent entries), and queues each append.
 */
export class CaptureStore {
  private readonly streams = new Map<string, Captured[]>();
  private readonly recentEntries: string[] = [];
  private position = 0n;
  outbox: Append[] = [];
  outboxEvents = 0;

  readStream(stream: string): Promise<Captured[]> {
    return Promise.resolve(this.streams.get(stream) ?? []);
  }

  streamRevision(stream: string): Promise<bigint | null> {
    const h = this.streams.get(stream);
    return Promise.resolve(h && h.length > 0 ? h[h.length - 1]!.revision : null);
  }

  append(stream: string, events: NewEventLike[], options: { expectedRevision: 'no_stream' | bigint }) {
    let history = this.streams.get(stream);
    if (!history) {
      history = [];
      this.streams.set(stream, history);
      if (stream.startsWith('entry-')) {
        this.recentEntries.push(stream);
        if (this.recentEntries.length > WINDOW) this.streams.delete(this.recentEntries.shift()!);
      }
    }
    const current = history.length > 0 ? history[history.length - 1]!.revision : null;
    if ((current ?? 'no_stream') !== options.expectedRevision)
      throw new Error(`capture: revision of ${stream}`);
    let revision = current ?? -1n;
    const written = events.map((e) => {
      revision += 1n;
      this.position += 1n;
      const position = { commit: this.position, prepare: this.position };
      history.push({
        id: e.id,
        stream,
        revision,
        position,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: { ...e.metadata, recordedAt: RECORDED_AT },
      });
      return { id: e.id, revision, position };
    });
    this.outbox.push({ stream, events, expectedRevision: options.expectedRevision });
    this.outboxEvents += events.length;
    return Promise.resolve({
      stream,
      nextExpectedRevision: revision,
      position: written[written.length - 1]!.position,
      events: written,
      idempotent: false,
    });
  }

  take(): Append[] {
    const out = this.outbox;
    this.outbox = [];
    this.outboxEvents = 0;
    return out;
  }
}
