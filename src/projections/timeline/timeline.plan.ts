import { tablesOf, type ReadDb } from '../projection';
import { CURRENT } from '../scope';
import { filterSql, type TimelineFilter } from './timeline.filter';
import { currentGradeFilter, entryHasKey, type KeyCheck } from './timeline.grade';
import { SPAN_MAX_MS, type KeyDim } from './timeline.keys';
import type { SortKey } from './timeline.order';
import { timelineProjection } from './timeline.projection';

const t = tablesOf(timelineProjection.name);

export interface KeyRow {
  readonly sort_ms: number;
  readonly sort_tie: number;
  readonly entry_no: number;
}

/** An index range the current page is read from: a dimension and its values (any of them). */
interface Driver {
  readonly dim: KeyDim;
  readonly values: readonly string[];
}

/** Current entries with any of these values of a dimension (the counters kept with the keys). */
export function countKeys(db: ReadDb, dim: KeyDim, values: readonly string[]): number {
  const stmt = db
    .prepare<[string, string], number>(`SELECT n FROM ${t('counts')} WHERE dim = ? AND value = ?`)
    .pluck();
  let n = 0;
  for (const v of values) n += stmt.get(dim, v) ?? 0;
  return n;
}

/** Values of a dimension a page may start from (times the span classes: SQLite allows 500 arms). */
const MAX_DRIVER_VALUES = 16;

/** Dimensions the key index can start from (minimum reliability: see currentGradeFilter). */
function drivers(f: TimelineFilter): Driver[] {
  const out: Driver[] = [];
  if (f.actor) out.push({ dim: f.actor.withMembers ? 'group' : 'actor', values: [f.actor.id] });
  if (f.crisis !== undefined) out.push({ dim: 'crisis', values: [f.crisis] });
  if (f.types) out.push({ dim: 'type', values: f.types });
  if (f.statuses) out.push({ dim: 'status', values: f.statuses });
  if (f.linkedTo !== undefined) out.push({ dim: 'linked', values: [f.linkedTo] });
  if (f.disputed) out.push({ dim: 'disputed', values: f.disputed });
  if (f.countries) out.push({ dim: 'country', values: f.countries });
  if (f.place !== undefined) out.push({ dim: 'place', values: [f.place] });
  return out;
}

/**
 * Plans of the current timeline's pages. Each starts from one index range per (value, span class)
 * of the narrowest dimension of the filter (by the counters), in time order from the cursor; the
 * other dimensions are checked by key lookups on the same (span, start, seq), so a page reads about
 * as many index rows as the entries it skips. A text query starts from the full-text matches
 * instead (its cost is the number of matches).
 */
export class CurrentPagePlanner {
  constructor(private readonly db: ReadDb) {}

  /** Entries of the page (up to `limit`), in timeline order. */
  keys(f: TimelineFilter, after: SortKey | null, limit: number): KeyRow[] {
    const { sql, params } =
      f.text !== undefined ? this.textPlan(f, after, limit) : this.keyPlan(f, after, limit);
    return this.db.prepare<unknown[], KeyRow>(sql).all(...params);
  }

  /** The SQL `keys` runs (for EXPLAIN QUERY PLAN in specs). */
  plan(f: TimelineFilter, after: SortKey | null, limit: number): { sql: string; params: unknown[] } {
    return f.text !== undefined ? this.textPlan(f, after, limit) : this.keyPlan(f, after, limit);
  }

  private count(dim: KeyDim, values: readonly string[]): number {
    return countKeys(this.db, dim, values);
  }

  private spans(): number[] {
    return this.db
      .prepare<[], number>(
        `SELECT CAST(value AS INTEGER) FROM ${t('counts')} WHERE dim = 'span' AND n > 0 ORDER BY 1`,
      )
      .pluck()
      .all();
  }

  private keyPlan(f: TimelineFilter, after: SortKey | null, limit: number) {
    // Minimum reliability: the carrying sources graded well enough, and checks of chains' hops.
    const grade =
      f.maxReliabilityRank === undefined ? null : currentGradeFilter(this.db, f.maxReliabilityRank);
    const candidates = [...(grade?.driver ? [grade.driver] : []), ...drivers(f)];
    let driver: Driver = { dim: 'all', values: [''] };
    let best = Infinity;
    for (const d of candidates) {
      // Each value is an index range per span class: many values (graded sources) only check.
      if (d.values.length > MAX_DRIVER_VALUES) continue;
      const n = this.count(d.dim, d.values);
      if (n < best) [driver, best] = [d, n];
    }
    const checks: KeyCheck[] = [...(grade?.checks ?? [])];
    for (const d of candidates) if (d !== driver) checks.push(entryHasKey(d.dim, d.values));
    const arms: string[] = [];
    const params: unknown[] = [];
    for (const value of driver.values) {
      for (const span of this.spans()) {
        const where = ['k.dim = ?', 'k.value = ?', 'k.span = ?'];
        params.push(driver.dim, value, span);
        const longest = SPAN_MAX_MS[span]!;
        if (f.toMs !== undefined) {
          // An entry's sort instant lies within its interval: started before `to` bounds it above.
          if (Number.isFinite(longest)) {
            where.push('k.sort_ms < ?');
            params.push(f.toMs + longest);
          }
          where.push('k.start_ms < ?');
          params.push(f.toMs);
        }
        if (f.fromMs !== undefined) {
          where.push('k.end_ms > ?');
          params.push(f.fromMs);
        }
        // One lower bound of the index range (SQLite uses one): the cursor as a row value, or the
        // earliest sort instant that can still be happening at `from` in this span class, whichever
        // is later.
        const floor = f.fromMs !== undefined && Number.isFinite(longest) ? f.fromMs - longest : undefined;
        if (after && (floor === undefined || after.ms >= floor)) {
          where.push('(k.sort_ms, k.sort_tie) > (?, ?)');
          params.push(after.ms, after.tie);
        } else if (floor !== undefined) {
          where.push('k.sort_ms >= ?');
          params.push(floor);
        }
        for (const c of checks) {
          where.push(c.sql);
          params.push(...c.params);
        }
        arms.push(
          `SELECT * FROM (SELECT k.sort_ms, k.sort_tie, k.entry_no FROM ${t('keys')} k WHERE ${where.join(' AND ')} ORDER BY k.sort_ms, k.sort_tie LIMIT ?)`,
        );
        params.push(limit);
      }
    }
    if (arms.length === 0)
      return { sql: 'SELECT 0 AS sort_ms, 0 AS sort_tie, 0 AS entry_no WHERE 0', params: [] };
    params.push(limit);
    return { sql: `${arms.join(' UNION ')} ORDER BY sort_ms, sort_tie LIMIT ?`, params };
  }

  private textPlan(f: TimelineFilter, after: SortKey | null, limit: number) {
    const { where, params } = filterSql({ ...f, text: undefined }, CURRENT);
    if (after) {
      where.push('(v.sort_ms, v.sort_tie) > (?, ?)');
      params.push(after.ms, after.tie);
    }
    const search = t('search');
    return {
      sql: `SELECT v.sort_ms, v.sort_tie, v.entry_no FROM ${search}
            CROSS JOIN ${t('texts')} x ON x.text_no = ${search}.rowid AND x.to_seq IS NULL
            CROSS JOIN ${t('versions')} v ON v.entry_no = x.entry_no AND v.to_seq IS NULL
            WHERE ${search} MATCH ? ${where.length ? `AND ${where.join(' AND ')}` : ''}
            ORDER BY v.sort_ms, v.sort_tie LIMIT ?`,
      params: [f.text, ...params, limit],
    };
  }
}
