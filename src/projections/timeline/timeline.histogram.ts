import { AppError } from '../../shared/errors';
import { tablesOf, type ReadDb } from '../projection';
import type { TimelineFilter } from './timeline.filter';
import { CurrentPagePlanner } from './timeline.plan';
import { timelineProjection } from './timeline.projection';

const t = tablesOf(timelineProjection.name);

/** Calendar units of the histogram, in UTC; a week starts on Monday (ISO 8601). */
export const BUCKET_UNITS = ['day', 'week', 'month', 'year'] as const;
export type BucketUnit = (typeof BUCKET_UNITS)[number];
export type BucketChoice = BucketUnit | 'auto';

/** `auto` takes the finest unit that cuts the range into at most this many buckets. */
export const MAX_AUTO_BUCKETS = 200;
/** An answer with more non-empty buckets than this is refused: a coarser unit or a narrower range. */
export const MAX_BUCKETS = 10_000;

export interface HistogramBucket {
  /** First instant of the bucket (UTC midnight). */
  readonly start: string;
  /** Exclusive end: the next bucket's start. */
  readonly end: string;
  readonly count: number;
}

export interface Histogram {
  readonly bucket: BucketUnit;
  /** Entries counted: the sum of the counts, the number of entries the timeline lists. */
  readonly total: number;
  /** Non-empty buckets only, in time order. */
  readonly buckets: HistogramBucket[];
}

/**
 * A bucket's first day (YYYY-MM-DD) from the entry's start in ms, in SQL. SQLite's 'unixepoch'
 * rounds to the millisecond, so a start at midnight falls in the bucket it opens. A week's Monday:
 * six days back, then forward to a Monday.
 */
const BUCKET_SQL: Record<BucketUnit, string> = {
  day: `date(v.start_ms / 1000.0, 'unixepoch')`,
  week: `date(v.start_ms / 1000.0, 'unixepoch', '-6 days', 'weekday 1')`,
  month: `strftime('%Y-%m-01', v.start_ms / 1000.0, 'unixepoch')`,
  year: `strftime('%Y-01-01', v.start_ms / 1000.0, 'unixepoch')`,
};

/**
 * A bucket's start and its exclusive end, the next bucket's start, as ISO instants from its first
 * day (YYYY-MM-DD). Computed here, not with SQLite's date(), which gives NULL past 9999-12-31: the
 * end of a bucket in 9999 is in year 10000, written "+010000-01-01T00:00:00.000Z" as
 * Date.prototype.toISOString writes it (and Date.parse reads it). setUTCFullYear, unlike Date.UTC,
 * keeps years 0 to 99 as given.
 */
function bucketBounds(unit: BucketUnit, first: string): { start: string; end: string } {
  const [y, m, d] = first.split('-').map(Number) as [number, number, number];
  const at = (year: number, month: number, day: number) => {
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    return date.toISOString();
  };
  const end =
    unit === 'day'
      ? at(y, m, d + 1)
      : unit === 'week'
        ? at(y, m, d + 7)
        : unit === 'month'
          ? at(y, m + 1, 1)
          : at(y + 1, 1, 1);
  return { start: `${first}T00:00:00.000Z`, end };
}

const DAY_MS = 86_400_000;

/** Index of the unit holding `ms`, counted from the epoch's (1 January 1970 was a Thursday). */
function unitIndex(unit: BucketUnit, ms: number): number {
  const d = new Date(ms);
  switch (unit) {
    case 'day':
      return Math.floor(ms / DAY_MS);
    case 'week':
      return Math.floor((Math.floor(ms / DAY_MS) + 3) / 7);
    case 'month':
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    case 'year':
      return d.getUTCFullYear();
  }
}

/** The finest unit that cuts [lo, hi] (ms, both inclusive) into at most MAX_AUTO_BUCKETS. */
export function autoUnit(lo: number, hi: number): BucketUnit {
  const fits = (unit: BucketUnit) => unitIndex(unit, hi) - unitIndex(unit, lo) + 1 <= MAX_AUTO_BUCKETS;
  return BUCKET_UNITS.find(fits) ?? 'year';
}

/**
 * Entry counts of the current timeline per calendar bucket of their occurred start, for the
 * timeline's own filters. Each read is one aggregate in SQLite over the index ranges a timeline
 * page reads (CurrentPagePlanner, without a page limit), with each match's start looked up by its
 * entry: no row per entry leaves SQLite. `auto` over a range open at either end first reads the
 * matches' earliest and latest start, a second aggregate of the same ranges.
 */
export class TimelineHistogram {
  private readonly planner: CurrentPagePlanner;

  constructor(private readonly db: ReadDb) {
    this.planner = new CurrentPagePlanner(db);
  }

  count(f: TimelineFilter | null, choice: BucketChoice): Histogram {
    if (!f) return { bucket: choice === 'auto' ? 'day' : choice, total: 0, buckets: [] };
    const unit = choice === 'auto' ? this.autoUnitOf(f) : choice;
    if (!unit) return { bucket: 'day', total: 0, buckets: [] };
    const { sql, params } = this.plan(f, unit);
    const rows = this.db
      .prepare<unknown[], { first: string; n: number }>(sql)
      .all(...params, MAX_BUCKETS + 1);
    if (rows.length > MAX_BUCKETS) {
      throw AppError.validation([
        {
          path: 'bucket',
          message: `more than ${MAX_BUCKETS} ${unit} buckets hold entries: choose a coarser bucket, or narrow from and to`,
        },
      ]);
    }
    let total = 0;
    const buckets = rows.map((r) => {
      total += r.n;
      return { ...bucketBounds(unit, r.first), count: r.n };
    });
    return { bucket: unit, total, buckets };
  }

  /** The statement `count` runs for a unit (its last parameter, the bucket limit, left out). */
  plan(f: TimelineFilter, unit: BucketUnit): { sql: string; params: unknown[] } {
    const matches = this.matches(f);
    return {
      sql: `SELECT ${BUCKET_SQL[unit]} AS first, count(*) AS n FROM ${matches.sql}
            GROUP BY first ORDER BY first LIMIT ?`,
      params: matches.params,
    };
  }

  /** The current versions of the entries a timeline read with this filter lists, aliased `v`. */
  private matches(f: TimelineFilter): { sql: string; params: unknown[] } {
    // Every page of the timeline at once: no limit (SQLite takes -1 as none).
    const keys = this.planner.plan(f, null, -1);
    return {
      sql: `(${keys.sql}) p JOIN ${t('versions')} v ON v.entry_no = p.entry_no AND v.to_seq IS NULL`,
      params: keys.params,
    };
  }

  /** `auto`: from the filter's from/to, an open end taken from the matches (undefined: none match). */
  private autoUnitOf(f: TimelineFilter): BucketUnit | undefined {
    let lo = f.fromMs;
    let hi = f.toMs === undefined ? undefined : f.toMs - 1;
    if (lo === undefined || hi === undefined) {
      const matches = this.matches(f);
      const extent = this.db
        .prepare<unknown[], { lo: number | null; hi: number | null }>(
          `SELECT min(v.start_ms) AS lo, max(v.start_ms) AS hi FROM ${matches.sql}`,
        )
        .get(...matches.params);
      if (extent?.lo == null || extent.hi == null) return undefined;
      lo ??= extent.lo;
      hi ??= extent.hi;
    }
    return autoUnit(Math.min(lo, hi), Math.max(lo, hi));
  }
}
