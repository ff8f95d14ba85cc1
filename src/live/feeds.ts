import { isKeyEventType } from '../auth/access.model';
import { formatPosition, positionOf, type EventStore, type RecordedEvent } from '../event-store';
import { canonicalJson } from '../shared/canonical-json';
import type { AppliedBatch } from '../projections/applied-stream';
import type { TimelineFilter } from '../projections/timeline/timeline.filter';
import type { EntryChange, TimelineReader } from '../projections/timeline/timeline.reader';
import type { FeedMessage } from './sse-stream';

/**
 * A feed turns log events (by ordinal) into SSE messages. Subscribers whose feeds have the same key
 * receive identical messages, so a batch is computed and serialised once per key.
 */
export interface Feed {
  readonly key: string;
  /** Messages for the events in (afterSeq, upToSeq], read from what is stored. */
  catchUp(afterSeq: number, upToSeq: number): Promise<FeedMessage[]>;
  /**
   * Messages for a batch the read models just applied. Synchronous: the fan-out renders each batch
   * as it is published, before the next one is applied, so every subscriber gets batches in order.
   */
  live(batch: AppliedBatch): FeedMessage[];
}

const lastSeqOf = (batch: AppliedBatch): number => batch.firstSeq + batch.events.length - 1;

/** Timeline-shaped feeds (timeline, actor, entry): each message is an entry's row right after an event. */
export class TimelineFeed implements Feed {
  readonly key: string;

  constructor(
    private readonly timeline: TimelineReader,
    private readonly filter: TimelineFilter,
  ) {
    this.key = `timeline:${canonicalJson(filter)}`;
  }

  async catchUp(afterSeq: number, upToSeq: number): Promise<FeedMessage[]> {
    return this.messages(await this.timeline.changes(afterSeq, upToSeq, this.filter));
  }

  /** Reads the batch's changes with the reader's one synchronous method, for the reason on Feed.live. */
  live(batch: AppliedBatch): FeedMessage[] {
    return this.messages(this.timeline.changesSync(batch.firstSeq - 1, lastSeqOf(batch), this.filter));
  }

  /** One message per event: the event's own entry (else the first that changed), others as related. */
  private messages(changes: EntryChange[]): FeedMessage[] {
    return changes.map(({ position, change, entries: [entry, ...related] }) => ({
      id: position,
      event: `entry.${change}`,
      data: JSON.stringify(related.length ? { ...entry, related } : entry),
    }));
  }
}

export interface LogIndex {
  /** Position of the first event with ordinal > seq, if this instance has applied one. */
  positionAfter(seq: number): { commit: bigint; prepare: bigint } | null;
}

function rawEvent(e: RecordedEvent): FeedMessage {
  const body = {
    id: e.id,
    stream: e.stream,
    revision: Number(e.revision),
    position: formatPosition(e.position),
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: e.metadata,
  };
  return { id: body.position, event: 'event.appended', data: JSON.stringify(body) };
}

/**
 * The raw log, for integrators: every event as stored, optionally only some types. API key events
 * go only to admins (`withKeyEvents`): their data is key material, and they are none of a reader's
 * business.
 */
export class EventsFeed implements Feed {
  readonly key: string;

  constructor(
    private readonly store: EventStore,
    private readonly log: LogIndex,
    private readonly types: ReadonlySet<string> | null,
    private readonly withKeyEvents: boolean,
  ) {
    this.key = `events${withKeyEvents ? '+keys' : ''}:${types ? [...types].sort().join(',') : '*'}`;
  }

  async catchUp(afterSeq: number, upToSeq: number): Promise<FeedMessage[]> {
    const first = this.log.positionAfter(afterSeq);
    if (!first || upToSeq <= afterSeq) return [];
    const events = await this.store.readAll({
      fromPosition: positionOf(first.commit, first.prepare),
      maxCount: upToSeq - afterSeq,
    });
    return events.filter((e) => this.wanted(e)).map(rawEvent);
  }

  live(batch: AppliedBatch): FeedMessage[] {
    return batch.events
      .map((e) => e.recorded)
      .filter((e) => this.wanted(e))
      .map(rawEvent);
  }

  private wanted(e: RecordedEvent): boolean {
    if (!this.withKeyEvents && isKeyEventType(e.type)) return false;
    return this.types === null || this.types.has(e.type);
  }
}
