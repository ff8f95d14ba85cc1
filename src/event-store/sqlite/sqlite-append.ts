import type { Clock } from '../../shared/clock';
import { appendResult, checkExpectedRevision, contentHash, eventIdForms } from '../append-rules';
import { DuplicateEvent } from '../event-store.errors';
import type { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { positionOf } from '../position';
import type { EventRow, EventStatements } from './sqlite-statements';

export interface AppendRequest {
  readonly stream: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
}

/**
 * The write itself: a faithful retry is answered from what is stored, anything else checks the
 * expected revision and inserts, with recordedAt never going backwards. The store runs it inside
 * its group-commit transaction.
 */
export class SqliteAppender {
  private lastRecordedMs: number;

  constructor(
    private readonly sql: EventStatements,
    private readonly clock: Clock,
  ) {
    const last = sql.lastRecordedAt.get();
    this.lastRecordedMs = last
      ? Date.parse((JSON.parse(last.metadata) as { recordedAt: string }).recordedAt)
      : 0;
  }

  /** One append, inside the caller's transaction (a savepoint of the group commit). */
  append({ stream, events, expected }: AppendRequest): AppendResult {
    const hashes = events.map(contentHash);
    const stored = events.map((e) => this.stored(e.id));
    if (stored.some((row) => row !== undefined)) return this.replayed(stream, events, hashes, stored);

    const current = this.currentRevision(stream);
    checkExpectedRevision(stream, expected, current);
    const recordedAt = this.nextRecordedAt();
    let revision = current ?? -1n;
    const written = events.map((event, i) => {
      revision += 1n;
      const metadata = JSON.stringify({ ...event.metadata, recordedAt });
      const id = event.id.toLowerCase();
      const row = this.sql.insert.get(
        id,
        stream,
        revision,
        event.type,
        event.schemaVersion,
        JSON.stringify(event.data),
        metadata,
        hashes[i]!,
      ) as { position: bigint };
      return { id, revision, position: positionOf(row.position) };
    });
    return appendResult(stream, written, false);
  }

  /** Some ids are already stored: a faithful retry returns the original result; anything else is refused. */
  private replayed(
    stream: string,
    events: readonly NewEvent[],
    hashes: string[],
    stored: Array<EventRow | undefined>,
  ): AppendResult {
    stored.forEach((row, i) => {
      const id = events[i]!.id;
      if (!row) throw new DuplicateEvent(id, stream, 'part of this append was stored before, part was not');
      if (row.stream !== stream) throw new DuplicateEvent(id, row.stream, 'the id belongs to another stream');
      if (row.content_hash !== hashes[i])
        throw new DuplicateEvent(id, row.stream, 'stored with different content');
      if (i > 0 && row.revision !== stored[i - 1]!.revision + 1n) {
        throw new DuplicateEvent(id, row.stream, 'the ids were stored in another order');
      }
    });
    const written = stored.map((row) => ({
      id: row!.event_id,
      revision: row!.revision,
      position: positionOf(row!.position),
    }));
    return appendResult(stream, written, true);
  }

  /**
   * The stored row of an event id in any case: new ids are stored in lower case, ids stored before
   * in the case they were sent in (all upper, or as given), which cannot be rewritten.
   */
  stored(id: string): EventRow | undefined {
    for (const form of eventIdForms(id)) {
      const row = this.sql.byEventId.get(form);
      if (row) return row;
    }
    return undefined;
  }

  private nextRecordedAt(): string {
    this.lastRecordedMs = Math.max(this.clock.now().getTime(), this.lastRecordedMs);
    return new Date(this.lastRecordedMs).toISOString();
  }

  currentRevision(stream: string): bigint | null {
    return this.sql.streamRevision.get(stream)?.revision ?? null;
  }
}
