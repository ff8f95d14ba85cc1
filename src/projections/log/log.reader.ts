import { formatPosition, parsePosition, positionOf } from '../../event-store';
import { tablesOf, type ReadDb } from '../projection';
import { logProjection } from './log.projection';

/** Where and when an applied event was recorded. */
export interface LoggedEvent {
  /** Its log position, in wire form ("42"). */
  readonly position: string;
  readonly recordedAt: string;
}

/**
 * The log projection's reader: log ordinals (seq, 1-based) to positions and recording times, as
 * this instance has applied them. Positions go in and out in wire form. Its methods are async,
 * except positionAfterSync (see there).
 */
export class LogReader {
  private readonly events = tablesOf(logProjection.name)('events');

  constructor(private readonly db: ReadDb) {}

  /** Ordinal of the last applied event at or before `position` (wire form); 0 when there is none. */
  async seqAtPosition(position: string): Promise<number> {
    const p = parsePosition(position);
    if (!p) throw new RangeError(`not a log position: ${position}`);
    return Promise.resolve(
      this.db
        .prepare<[bigint, bigint], { seq: number | null }>(
          // Ordinals follow positions, so the last one by position is the largest: one index seek
          // (max(seq) over the range read every row before the position).
          `SELECT seq FROM ${this.events} WHERE (pos_commit, pos_prepare) <= (?, ?)
           ORDER BY pos_commit DESC, pos_prepare DESC LIMIT 1`,
        )
        .get(p.commit, p.prepare)?.seq ?? 0,
    );
  }

  /**
   * Ordinal of the last applied event recorded at or before `instant` (ISO 8601, UTC); 0 when none.
   * One seek in the time index: exact when recording times never go backwards along the log, as
   * the SQLite store guarantees (max(seq) over the range read every row recorded after it).
   */
  async seqRecordedBy(instant: string): Promise<number> {
    return Promise.resolve(
      this.db
        .prepare<[string], { seq: number | null }>(
          `SELECT seq FROM ${this.events} WHERE recorded_at <= ? ORDER BY recorded_at DESC, seq DESC LIMIT 1`,
        )
        .get(instant)?.seq ?? 0,
    );
  }

  /** The event with ordinal `seq`, if this instance has applied it. */
  async event(seq: number): Promise<LoggedEvent | null> {
    const row = this.db
      .prepare<[number], { pos_commit: bigint; pos_prepare: bigint; recorded_at: string }>(
        `SELECT pos_commit, pos_prepare, recorded_at FROM ${this.events} WHERE seq = ?`,
      )
      .safeIntegers(true)
      .get(seq);
    return Promise.resolve(
      row
        ? {
            position: formatPosition(positionOf(row.pos_commit, row.pos_prepare)),
            recordedAt: row.recorded_at,
          }
        : null,
    );
  }

  /**
   * Position (wire form) of the first applied event with an ordinal above `seq`, or null.
   * Synchronous because its one caller, the raw events feed, asks through LogIndex (src/live/feeds.ts),
   * whose lookup is synchronous; that caller is itself async and could await an async version.
   */
  positionAfterSync(seq: number): string | null {
    const row = this.db
      .prepare<[number], { pos_commit: bigint; pos_prepare: bigint }>(
        `SELECT pos_commit, pos_prepare FROM ${this.events} WHERE seq > ? ORDER BY seq LIMIT 1`,
      )
      .safeIntegers(true)
      .get(seq);
    return row ? formatPosition(positionOf(row.pos_commit, row.pos_prepare)) : null;
  }
}
