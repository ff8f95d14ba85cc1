import type { LogEvent } from '../../chronology/events';
import type { ApplyContext, Projection } from '../projection';

/**
 * The log as this instance has applied it: seq (1-based order) <-> position <-> recordedAt. Reads
 * resolve `atPosition` and `asOf` (transaction time) to a seq with it; every type is handled.
 */
export const logProjection: Projection = {
  name: 'log',
  version: 1,
  handles: 'all',
  tables: ['events'],
  schema: (t) => `
    CREATE TABLE IF NOT EXISTS ${t('events')} (
      seq INTEGER PRIMARY KEY, pos_commit INTEGER NOT NULL, pos_prepare INTEGER NOT NULL, event_id TEXT NOT NULL,
      stream TEXT NOT NULL, type TEXT NOT NULL, recorded_at TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS ${t('events_by_position')} ON ${t('events')} (pos_commit, pos_prepare);
    CREATE INDEX IF NOT EXISTS ${t('events_by_time')} ON ${t('events')} (recorded_at);`,
  bind(db, t) {
    const insert = db.prepare(
      `INSERT OR REPLACE INTO ${t('events')} (seq, pos_commit, pos_prepare, event_id, stream, type, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    return (event: LogEvent, { seq }: ApplyContext) => {
      insert.run(
        seq,
        event.position.commit,
        event.position.prepare,
        event.id,
        event.stream,
        event.recorded.type, // as stored, also for a type this version does not know
        event.metadata.recordedAt,
      );
    };
  },
};
