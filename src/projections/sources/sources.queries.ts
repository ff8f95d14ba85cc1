import { Inject, Injectable } from '@nestjs/common';
import { READ_DB, tablesOf, type ReadDb, type TableNamer } from '../projection';

interface SourceRow {
  source_id: string;
  name: string;
  kind: string;
  url: string | null;
  affiliated_actor_id: string | null;
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
    reliability: r.reliability,
    registeredAt: r.registered_at,
    counts: { entriesCited: r.cited, corroborationsGiven: r.corroborations },
  };
}

@Injectable()
export class SourcesQueries {
  private readonly t: TableNamer = tablesOf('sources');

  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  private select(where: string): string {
    const t = this.t;
    return `SELECT s.*,
      (SELECT count(*) FROM ${t('citations')} c WHERE c.source_id = s.source_id AND c.kind = 'cited') AS cited,
      (SELECT count(*) FROM ${t('citations')} c WHERE c.source_id = s.source_id AND c.kind = 'corroborated') AS corroborations
      FROM ${t('sources')} s ${where}`;
  }

  list(reliability?: string) {
    const rows = reliability
      ? this.db
          .prepare<[string], SourceRow>(this.select('WHERE s.reliability = ? ORDER BY s.name COLLATE NOCASE'))
          .all(reliability)
      : this.db.prepare<[], SourceRow>(this.select('ORDER BY s.name COLLATE NOCASE')).all();
    return rows.map(present);
  }

  view(sourceId: string, limit: number) {
    const row = this.db.prepare<[string], SourceRow>(this.select('WHERE s.source_id = ?')).get(sourceId);
    if (!row) return null;
    const t = this.t;
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
    return {
      ...present(row),
      grades,
      entriesCited: citations('cited'),
      corroborationsGiven: citations('corroborated'),
    };
  }
}
