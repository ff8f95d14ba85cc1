import { tablesOf, type ReadDb } from '../projection';
import { existedIn, type Scope } from '../scope';
import { sourcesProjection } from './sources.projection';

const t = tablesOf(sourcesProjection.name);

/**
 * SQL expression: the reliability letter of the source in `sourceColumn`, as graded in `scope`. For
 * another reader's statement that filters or orders by grade (the timeline's minReliability), where
 * a separate read could not keep its keyset pagination; the tables stay named here only.
 */
export function reliabilitySql(sourceColumn: string, scope: Scope): { sql: string; params: unknown[] } {
  if (scope.kind === 'current')
    return {
      sql: `(SELECT rs.reliability FROM ${t('sources')} rs WHERE rs.source_id = ${sourceColumn})`,
      params: [],
    };
  const seen = existedIn('rg.seq', scope);
  return {
    sql: `(SELECT rg.reliability FROM ${t('grades')} rg WHERE rg.source_id = ${sourceColumn} AND ${seen.sql} ORDER BY rg.seq DESC LIMIT 1)`,
    params: seen.params,
  };
}

/**
 * SQL selecting the ids of the sources graded `maxRank` or better now (rank 1 = A): the current
 * timeline filters on minimum reliability through its per-source keys.
 */
export function currentlyGradedSql(): string {
  return `SELECT source_id FROM ${t('sources')} WHERE instr('ABCDEF', coalesce(reliability, 'x')) BETWEEN 1 AND ?`;
}

/** A source's name and its reliability grade (A-F, null until graded), shown beside its id. */
export interface SourceSummary {
  readonly sourceId: string;
  readonly name: string;
  readonly reliability: string | null;
}

interface SourceRow {
  source_id: string;
  name: string;
  kind: string;
  url: string | null;
  affiliated_actor_id: string | null;
  own_actor_id: string | null;
  reliability: string | null;
  registered_at: string;
  cited: number;
  corroborations: number;
}

function present(r: SourceRow) {
  return {
    sourceId: r.source_id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    affiliatedActorId: r.affiliated_actor_id,
    ownActorId: r.own_actor_id,
    reliability: r.reliability,
    registeredAt: r.registered_at,
    counts: { entriesCited: r.cited, corroborationsGiven: r.corroborations },
  };
}

/**
 * The sources projection's reader: sources with their grades, grading history and citations. Its
 * methods are async and take and return plain values, except summariesSync (see there).
 */
export class SourcesReader {
  constructor(private readonly db: ReadDb) {}

  private select(where: string): string {
    return `SELECT s.*,
      coalesce((SELECT n FROM ${t('counts')} c WHERE c.source_id = s.source_id AND c.kind = 'cited'), 0) AS cited,
      coalesce((SELECT n FROM ${t('counts')} c WHERE c.source_id = s.source_id AND c.kind = 'corroborated'), 0) AS corroborations
      FROM ${t('sources')} s ${where}`;
  }

  async list(reliability?: string) {
    const rows = reliability
      ? this.db
          .prepare<[string], SourceRow>(this.select('WHERE s.reliability = ? ORDER BY s.name COLLATE NOCASE'))
          .all(reliability)
      : this.db.prepare<[], SourceRow>(this.select('ORDER BY s.name COLLATE NOCASE')).all();
    return Promise.resolve(rows.map(present));
  }

  async view(sourceId: string, limit: number) {
    const row = this.db.prepare<[string], SourceRow>(this.select('WHERE s.source_id = ?')).get(sourceId);
    if (!row) return null;
    const grades = this.db
      .prepare<[string], { reliability: string; rationale: string; recorded_at: string; principal: string }>(
        `SELECT reliability, rationale, recorded_at, principal FROM ${t('grades')} WHERE source_id = ? ORDER BY seq`,
      )
      .all(sourceId)
      .map((g) => ({
        reliability: g.reliability,
        rationale: g.rationale,
        recordedAt: g.recorded_at,
        principal: g.principal,
      }));
    const citations = (kind: string) =>
      this.db
        .prepare<
          [string, string, number],
          { entry_id: string; type: string; start_ms: number; summary: string }
        >(
          `SELECT entry_id, type, start_ms, summary FROM ${t('citations')} WHERE source_id = ? AND kind = ? ORDER BY start_ms DESC, seq DESC LIMIT ?`,
        )
        .all(sourceId, kind, limit)
        .map((c) => ({
          entryId: c.entry_id,
          type: c.type,
          occurredStart: new Date(c.start_ms).toISOString(),
          summary: c.summary,
        }));
    return Promise.resolve({
      ...present(row),
      grades,
      entriesCited: citations('cited'),
      corroborationsGiven: citations('corroborated'),
    });
  }

  /** Name and grade (as graded in `scope`) of each of these sources that is registered. */
  async summaries(ids: Iterable<string>, scope: Scope): Promise<SourceSummary[]> {
    return Promise.resolve(this.summariesSync(ids, scope));
  }

  /**
   * summaries, synchronously: for the live timeline feed, which renders each applied batch inside
   * the fan-out (TimelineReader.changesSync), so that batches go out in order.
   */
  summariesSync(ids: Iterable<string>, scope: Scope): SourceSummary[] {
    const list = [...new Set(ids)];
    if (list.length === 0) return [];
    const reliability = reliabilitySql('s.source_id', scope);
    return this.db
      .prepare<unknown[], SourceSummary>(
        `SELECT s.source_id AS sourceId, s.name, ${reliability.sql} AS reliability FROM ${t('sources')} s WHERE s.source_id IN (${list.map(() => '?').join(',')})`,
      )
      .all(...reliability.params, ...list);
  }
}
