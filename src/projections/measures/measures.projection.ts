import type { LogEvent } from '../../chronology/events';
import { formatPosition } from '../../event-store';
import type { ApplyContext, Projection, TableNamer } from '../projection';

export function measuresSchema(t: TableNamer): string {
  return `
CREATE TABLE IF NOT EXISTS ${t('measures')} (
  measure_id TEXT PRIMARY KEY, crisis_id TEXT NOT NULL, kind TEXT NOT NULL, from_seq INTEGER NOT NULL,
  doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ${t('measures_by_crisis')} ON ${t('measures')} (crisis_id, measure_id);
CREATE TABLE IF NOT EXISTS ${t('statuses')} (
  measure_id TEXT NOT NULL, seq INTEGER NOT NULL, effective_ms INTEGER NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (measure_id, seq)) WITHOUT ROWID;`;
}

/**
 * Measures as entities (MeasureRegistered) and every change of their state (MeasureStatusChanged),
 * each kept with the log ordinal it was recorded at: the state at a valid time is read from the
 * changes in effect order, as of a transaction time from those recorded by then.
 */
export const measuresProjection: Projection = {
  name: 'measures',
  version: 1,
  handles: new Set(['MeasureRegistered', 'MeasureStatusChanged']),
  tables: ['measures', 'statuses'],
  schema: measuresSchema,
  bind(db, t) {
    const register = db.prepare(
      `INSERT OR IGNORE INTO ${t('measures')} (measure_id, crisis_id, kind, from_seq, doc) VALUES (?, ?, ?, ?, ?)`,
    );
    const change = db.prepare(
      `INSERT OR IGNORE INTO ${t('statuses')} (measure_id, seq, effective_ms, doc) VALUES (?, ?, ?, ?)`,
    );
    return (event: LogEvent, { seq }: ApplyContext) => {
      const recorded = {
        recordedAt: event.metadata.recordedAt,
        position: formatPosition(event.position),
        principal: event.metadata.principal,
      };
      if (event.type === 'MeasureRegistered') {
        const d = event.data;
        register.run(d.measureId, d.crisisId, d.kind, seq, JSON.stringify({ ...d, ...recorded }));
      } else if (event.type === 'MeasureStatusChanged') {
        const d = event.data;
        change.run(d.measureId, seq, Date.parse(d.effective.start), JSON.stringify({ ...d, ...recorded }));
      }
    };
  },
};
