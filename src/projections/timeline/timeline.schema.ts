import type { TableNamer } from '../projection';

export const TIMELINE_TABLES = [
  'entries',
  'versions',
  'actor_links',
  'texts',
  'search',
  'history',
  'crises',
  'keys',
  'counts',
  'dispute_keys',
  'hierarchy',
  'memberships',
  'links',
] as const;

/**
 * The current timeline is read through `keys` (see timeline.keys.ts): one row per entry and
 * dimension value, in timeline order (sort_ms, sort_tie: timeline.order.ts) within a span class,
 * with `counts` per value. Versions are system-time versioned rows: every event that changes an
 * entry closes the entry's current version (to_seq) and opens a new one (from_seq). Current reads
 * take `to_seq IS NULL`; a read as of log ordinal S takes `from_seq <= S < to_seq`; live feeds read
 * the versions opened after a position.
 */
export function timelineSchema(t: TableNamer): string {
  return `
CREATE TABLE IF NOT EXISTS ${t('entries')} (
  entry_no INTEGER PRIMARY KEY AUTOINCREMENT,
  entry_id TEXT NOT NULL UNIQUE,
  first_seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ${t('versions')} (
  version_no INTEGER PRIMARY KEY AUTOINCREMENT,
  entry_no INTEGER NOT NULL,
  entry_id TEXT NOT NULL,
  from_seq INTEGER NOT NULL,
  to_seq INTEGER,
  pos_commit INTEGER NOT NULL,
  pos_prepare INTEGER NOT NULL,
  change TEXT NOT NULL,
  is_primary INTEGER NOT NULL,
  first_seq INTEGER NOT NULL,
  crisis_id TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  sort_ms INTEGER NOT NULL,
  sort_tie INTEGER NOT NULL,
  source_id TEXT NOT NULL,
  credibility INTEGER,
  doc TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ${t('current_by_entry')} ON ${t('versions')} (entry_no) WHERE to_seq IS NULL;
CREATE INDEX IF NOT EXISTS ${t('versions_by_time')} ON ${t('versions')} (sort_ms, sort_tie);
CREATE INDEX IF NOT EXISTS ${t('versions_by_entry')} ON ${t('versions')} (entry_no, from_seq);
CREATE INDEX IF NOT EXISTS ${t('versions_by_change')} ON ${t('versions')} (from_seq);
CREATE TABLE IF NOT EXISTS ${t('actor_links')} (
  entry_no INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  role TEXT NOT NULL,
  from_seq INTEGER NOT NULL,
  to_seq INTEGER,
  PRIMARY KEY (entry_no, actor_id, role, from_seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ${t('actor_links_by_actor')} ON ${t('actor_links')} (actor_id, entry_no);
CREATE TABLE IF NOT EXISTS ${t('texts')} (
  text_no INTEGER PRIMARY KEY AUTOINCREMENT,
  entry_no INTEGER NOT NULL,
  from_seq INTEGER NOT NULL,
  to_seq INTEGER
);
CREATE INDEX IF NOT EXISTS ${t('texts_by_entry')} ON ${t('texts')} (entry_no) WHERE to_seq IS NULL;
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
CREATE TABLE IF NOT EXISTS ${t('keys')} (
  dim TEXT NOT NULL,
  value TEXT NOT NULL,
  span INTEGER NOT NULL,
  sort_ms INTEGER NOT NULL,
  sort_tie INTEGER NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  entry_no INTEGER NOT NULL,
  PRIMARY KEY (dim, value, span, sort_ms, sort_tie)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${t('counts')} (
  dim TEXT NOT NULL,
  value TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (dim, value)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${t('dispute_keys')} (
  holder TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  entry_no INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (holder, recorded_at, entry_no, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${t('hierarchy')} (
  actor_id TEXT PRIMARY KEY,
  parents TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${t('memberships')} (
  actor_id TEXT NOT NULL,
  parent_id TEXT NOT NULL,
  from_ms INTEGER NOT NULL,
  to_ms INTEGER NOT NULL,
  PRIMARY KEY (actor_id, parent_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${t('links')} (
  link_id TEXT PRIMARY KEY,
  from_entry TEXT NOT NULL,
  to_entry TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ${t('crises')} (
  crisis_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  countries TEXT NOT NULL DEFAULT '[]',
  from_seq INTEGER NOT NULL,
  registered_at TEXT NOT NULL
);`;
}
