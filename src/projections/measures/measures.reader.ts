import {
  measureCodes,
  type Codes,
  type MeasureKind,
  type MeasureRegisteredData,
  type MeasureState,
  type MeasureStatusChangedData,
} from '../../chronology/events';
import { tablesOf, type ReadDb } from '../projection';
import { existedIn, CURRENT, type Scope } from '../scope';
import { measuresProjection } from './measures.projection';

const t = tablesOf(measuresProjection.name);

interface Recorded {
  readonly recordedAt: string;
  readonly position: string;
  readonly principal: string;
}

/** One change of a measure's state, as recorded, with its codes. */
export type MeasureChange = MeasureStatusChangedData & Recorded & { readonly codes: Codes };

/** A measure, its state at a moment of valid time, and (in a view) every change of its state. */
export interface MeasureItem extends MeasureRegisteredData, Recorded {
  /** The state in effect at `at`: the last change effective by then (null: none yet). */
  readonly state: MeasureChange | null;
  /**
   * The state's `until` has passed by `at`: it is in force no longer. What holds after it is not
   * inferred (a suspension that lapses does not bring back the state before it): a later change says.
   */
  readonly lapsed: boolean;
  readonly at: string;
}

export interface MeasureListQuery {
  readonly crisis?: string;
  readonly kind?: MeasureKind;
  readonly state?: readonly (MeasureState | 'none')[];
  /** Valid time the state is taken at (ISO instant); default: now. */
  readonly atMs?: number;
}

/**
 * The measures projection's reader. The state "at" an instant is the last change whose effective
 * start is not after it (ties by log order), among the changes recorded in the read's scope: so
 * `at` travels in valid time and `asOf`/`atPosition` in transaction time, independently.
 */
export class MeasuresReader {
  constructor(private readonly db: ReadDb) {}

  async list(query: MeasureListQuery, scope: Scope = CURRENT): Promise<{ items: MeasureItem[] }> {
    const seen = existedIn('m.from_seq', scope);
    const where = [seen.sql];
    const params = [...seen.params];
    if (query.crisis !== undefined) {
      where.push('m.crisis_id = ?');
      params.push(query.crisis);
    }
    if (query.kind !== undefined) {
      where.push('m.kind = ?');
      params.push(query.kind);
    }
    const rows = this.db
      .prepare<unknown[], { doc: string }>(
        `SELECT m.doc FROM ${t('measures')} m WHERE ${where.join(' AND ')} ORDER BY m.crisis_id, m.measure_id`,
      )
      .all(...params);
    const atMs = query.atMs ?? Date.now();
    const items = rows
      .map((r) => {
        const measure = JSON.parse(r.doc) as MeasureRegisteredData & Recorded;
        return this.item(measure, this.changes(measure.measureId, scope), atMs);
      })
      .filter((m) => !query.state || query.state.includes(m.state?.status ?? 'none'));
    return Promise.resolve({ items });
  }

  async view(
    measureId: string,
    atMs: number | undefined,
    scope: Scope = CURRENT,
  ): Promise<(MeasureItem & { history: MeasureChange[] }) | null> {
    const seen = existedIn('m.from_seq', scope);
    const row = this.db
      .prepare<unknown[], { doc: string }>(
        `SELECT m.doc FROM ${t('measures')} m WHERE m.measure_id = ? AND ${seen.sql}`,
      )
      .get(measureId, ...seen.params);
    if (!row) return Promise.resolve(null);
    const measure = JSON.parse(row.doc) as MeasureRegisteredData & Recorded;
    const history = this.changes(measureId, scope);
    return Promise.resolve({ ...this.item(measure, history, atMs ?? Date.now()), history });
  }

  /** Changes recorded in the scope, in effect order (effective start, then log order), with codes. */
  private changes(measureId: string, scope: Scope): MeasureChange[] {
    const seen = existedIn('s.seq', scope);
    const kind = this.db
      .prepare<[string], MeasureKind>(`SELECT kind FROM ${t('measures')} WHERE measure_id = ?`)
      .pluck()
      .get(measureId)!;
    return this.db
      .prepare<unknown[], { doc: string }>(
        `SELECT s.doc FROM ${t('statuses')} s WHERE s.measure_id = ? AND ${seen.sql} ORDER BY s.effective_ms, s.seq`,
      )
      .all(measureId, ...seen.params)
      .map((r) => {
        const change = JSON.parse(r.doc) as MeasureStatusChangedData & Recorded;
        return { ...change, codes: measureCodes(kind, change.status) };
      });
  }

  private item(
    measure: MeasureRegisteredData & Recorded,
    changes: MeasureChange[],
    atMs: number,
  ): MeasureItem {
    let state: MeasureChange | null = null;
    for (const c of changes) if (Date.parse(c.effective.start) <= atMs) state = c;
    const lapsed = state?.until !== undefined && Date.parse(state.until.start) <= atMs;
    return { ...measure, state, lapsed, at: new Date(atMs).toISOString() };
  }
}
