import { REPORT_TYPE_NAMES, isReportEvent, type LogEvent } from '../../chronology/events';
import type { ApplyContext, Projection, TableNamer } from '../projection';

export function sourcesSchema(t: TableNamer): string {
  return `
CREATE TABLE IF NOT EXISTS ${t('sources')} (
  source_id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, url TEXT, affiliated_actor_id TEXT,
  own_actor_id TEXT, reliability TEXT, registered_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ${t('grades')} (
  source_id TEXT NOT NULL, seq INTEGER NOT NULL, reliability TEXT NOT NULL, rationale TEXT NOT NULL,
  recorded_at TEXT NOT NULL, principal TEXT NOT NULL, PRIMARY KEY (source_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${t('citations')} (
  source_id TEXT NOT NULL, entry_id TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
  start_ms INTEGER NOT NULL, summary TEXT NOT NULL, PRIMARY KEY (source_id, entry_id, kind)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ${t('citations_by_entry')} ON ${t('citations')} (entry_id);
CREATE INDEX IF NOT EXISTS ${t('citations_by_time')} ON ${t('citations')} (source_id, kind, start_ms, seq);
CREATE TABLE IF NOT EXISTS ${t('counts')} (
  source_id TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (source_id, kind)) WITHOUT ROWID;`;
}

/** Per source: its grading history, the entries it carried and the corroborations it gave. */
export const sourcesProjection: Projection = {
  name: 'sources',
  version: 3,
  handles: new Set([
    'SourceRegistered',
    'SourceGraded',
    'EntryCorroborated',
    'EntryCorrected',
    ...REPORT_TYPE_NAMES,
  ]),
  tables: ['sources', 'grades', 'citations', 'counts'],
  schema: sourcesSchema,
  bind(db, t) {
    const register = db.prepare(
      `INSERT OR IGNORE INTO ${t('sources')} (source_id, name, kind, url, affiliated_actor_id, own_actor_id, reliability, registered_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
    );
    const grade = db.prepare(`UPDATE ${t('sources')} SET reliability = ? WHERE source_id = ?`);
    const history = db.prepare(
      `INSERT OR IGNORE INTO ${t('grades')} (source_id, seq, reliability, rationale, recorded_at, principal) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const upsert = db.prepare(
      `INSERT OR REPLACE INTO ${t('citations')} (source_id, entry_id, kind, seq, type, start_ms, summary) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const exists = db
      .prepare<[string, string, string], number>(
        `SELECT 1 FROM ${t('citations')} WHERE source_id = ? AND entry_id = ? AND kind = ?`,
      )
      .pluck();
    const count = db.prepare(
      `INSERT INTO ${t('counts')} (source_id, kind, n) VALUES (?, ?, ?) ON CONFLICT (source_id, kind) DO UPDATE SET n = n + excluded.n`,
    );
    /** Records a citation; a source's counts are kept beside its citations, not counted on read. */
    const cite = (...row: [string, string, string, number, string, number, string]): void => {
      const [sourceId, entryId, kind] = row;
      if (!exists.get(sourceId, entryId, kind)) count.run(sourceId, kind, 1);
      upsert.run(...row);
    };
    const cited = db.prepare<
      [string],
      { source_id: string; seq: number; type: string; start_ms: number; summary: string }
    >(
      `SELECT source_id, seq, type, start_ms, summary FROM ${t('citations')} WHERE entry_id = ? AND kind = 'cited'`,
    );
    const uncite = db.prepare(`DELETE FROM ${t('citations')} WHERE entry_id = ? AND kind = 'cited'`);
    const resummarise = db.prepare(
      `UPDATE ${t('citations')} SET summary = ?, start_ms = ? WHERE entry_id = ?`,
    );

    return (event: LogEvent, { seq }: ApplyContext) => {
      const at = event.metadata.recordedAt;
      if (isReportEvent(event)) {
        const r = event.data;
        cite(
          r.attribution.sourceId,
          r.entryId,
          'cited',
          seq,
          event.type,
          Date.parse(r.occurred.start),
          r.summary,
        );
        return;
      }
      if (event.type === 'SourceRegistered') {
        const d = event.data;
        register.run(
          d.sourceId,
          d.name,
          d.kind,
          d.url ?? null,
          d.affiliatedActorId ?? null,
          d.ownActor?.actorId ?? null,
          at,
        );
      } else if (event.type === 'SourceGraded') {
        const d = event.data;
        grade.run(d.reliability, d.sourceId);
        history.run(d.sourceId, seq, d.reliability, d.rationale, at, event.metadata.principal);
      } else if (event.type === 'EntryCorroborated') {
        const d = event.data;
        const original = cited.get(d.entryId);
        if (original)
          cite(
            d.sourceId,
            d.entryId,
            'corroborated',
            seq,
            original.type,
            original.start_ms,
            original.summary,
          );
      } else if (event.type === 'EntryCorrected') {
        const { entryId, changes } = event.data;
        const original = cited.get(entryId);
        if (!original) return;
        const summary = changes.summary ?? original.summary;
        const startMs = changes.occurred ? Date.parse(changes.occurred.start) : original.start_ms;
        if (changes.attribution && changes.attribution.sourceId !== original.source_id) {
          uncite.run(entryId);
          count.run(original.source_id, 'cited', -1);
          cite(changes.attribution.sourceId, entryId, 'cited', original.seq, original.type, startMs, summary);
        }
        resummarise.run(summary, startMs, entryId);
      }
    };
  },
};
