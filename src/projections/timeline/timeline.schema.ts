import type { TableNamer } from '../projection';

export const TIMELINE_TABLES = [
  'entries',
  'entry_actors',
  'search',
  'history',
  'actors',
  'sources',
  'crises',
] as const;

/** Reliability A..F as a rank, so "minReliability=B" is rank <= 2. */
export const RELIABILITY_RANK: Record<string, number> = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6 };

export function timelineSchema(t: TableNamer): string {
  return `
CREATE TABLE IF NOT EXISTS ${t('entries')} (
  entry_no INTEGER PRIMARY KEY AUTOINCREMENT,
  entry_id TEXT NOT NULL UNIQUE,
  crisis_id TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  source_id TEXT NOT NULL,
  reliability_rank INTEGER,
  credibility INTEGER,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${t('entries_by_time')} ON ${t('entries')} (start_ms, seq);
CREATE INDEX IF NOT EXISTS ${t('entries_by_crisis')} ON ${t('entries')} (crisis_id, start_ms, seq);
CREATE INDEX IF NOT EXISTS ${t('entries_by_type')} ON ${t('entries')} (type, start_ms, seq);
CREATE INDEX IF NOT EXISTS ${t('entries_by_status')} ON ${t('entries')} (status, start_ms, seq);
CREATE INDEX IF NOT EXISTS ${t('entries_by_source')} ON ${t('entries')} (source_id);
CREATE TABLE IF NOT EXISTS ${t('entry_actors')} (
  entry_no INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (entry_no, actor_id, role)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ${t('entry_actors_by_actor')} ON ${t('entry_actors')} (actor_id, entry_no);
CREATE VIRTUAL TABLE IF NOT EXISTS ${t('search')} USING fts5(summary, quote, place, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS ${t('history')} (
  entry_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  position TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  principal TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (entry_id, revision)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${t('actors')} (
  actor_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  parent_id TEXT,
  member_of TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS ${t('sources')} (
  source_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  reliability TEXT
);
CREATE TABLE IF NOT EXISTS ${t('crises')} (
  crisis_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  countries TEXT NOT NULL DEFAULT '[]',
  registered_at TEXT NOT NULL
);`;
}
