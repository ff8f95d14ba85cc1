import {
  FOLLOW_UP_TYPE_NAMES,
  REPORT_TYPE_NAMES,
  deriveStatus,
  isReportType,
  type ActorAliasAddedData,
  type ActorDetailsChangedData,
  type ActorRef,
  type ActorRegisteredData,
  type EntryCorrectedData,
  type EntryDisputedData,
  type ReportData,
  type StatusFacts,
} from '../../chronology/events';
import type { RecordedEvent } from '../../event-store';
import type { ApplyContext, Projection, ReadDb, TableNamer } from '../projection';

const ACTOR_EVENTS = ['ActorRegistered', 'ActorAliasAdded', 'ActorDetailsChanged'];

export function actorsSchema(t: TableNamer): string {
  return `
CREATE TABLE IF NOT EXISTS ${t('profiles')} (
  actor_id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country_code TEXT, parent_id TEXT,
  member_of TEXT NOT NULL DEFAULT '[]', aliases TEXT NOT NULL DEFAULT '[]', registered_at TEXT NOT NULL,
  first_seen_ms INTEGER, last_seen_ms INTEGER);
CREATE INDEX IF NOT EXISTS ${t('profiles_by_name')} ON ${t('profiles')} (name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS ${t('involvement')} (
  actor_id TEXT NOT NULL, entry_id TEXT NOT NULL, role TEXT NOT NULL, type TEXT NOT NULL, crisis_id TEXT NOT NULL,
  start_ms INTEGER NOT NULL, seq INTEGER NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL,
  PRIMARY KEY (actor_id, entry_id, role)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ${t('involvement_by_time')} ON ${t('involvement')} (actor_id, start_ms, seq);
CREATE INDEX IF NOT EXISTS ${t('involvement_by_entry')} ON ${t('involvement')} (entry_id);
CREATE TABLE IF NOT EXISTS ${t('entries')} (
  entry_id TEXT PRIMARY KEY, type TEXT NOT NULL, crisis_id TEXT NOT NULL, seq INTEGER NOT NULL, summary TEXT NOT NULL,
  start_ms INTEGER NOT NULL, actors TEXT NOT NULL, facts TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${t('disputed')} (
  claimant_id TEXT NOT NULL, entry_id TEXT NOT NULL, seq INTEGER NOT NULL, by_actor_id TEXT NOT NULL,
  counter_entry_id TEXT, reason TEXT NOT NULL, recorded_at TEXT NOT NULL,
  PRIMARY KEY (claimant_id, entry_id, seq)) WITHOUT ROWID;`;
}

interface EntryRow {
  type: string;
  crisis_id: string;
  seq: number;
  summary: string;
  start_ms: number;
  actors: string;
  facts: string;
}

const NO_FACTS: StatusFacts = { retracted: false, credibility: null, disputes: 0, corroborations: 0 };

function statements(db: ReadDb, t: TableNamer) {
  return {
    upsertProfile: db.prepare(
      `INSERT INTO ${t('profiles')} (actor_id, name, kind, country_code, parent_id, member_of, aliases, registered_at)
       VALUES (@actorId, @name, @kind, @countryCode, @parentId, @memberOf, @aliases, @at)
       ON CONFLICT (actor_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, country_code = excluded.country_code,
       parent_id = excluded.parent_id, member_of = excluded.member_of, aliases = excluded.aliases`,
    ),
    profile: db.prepare<
      [string],
      {
        name: string;
        kind: string;
        country_code: string | null;
        parent_id: string | null;
        member_of: string;
        aliases: string;
        registered_at: string;
      }
    >(`SELECT * FROM ${t('profiles')} WHERE actor_id = ?`),
    seen: db.prepare(
      `UPDATE ${t('profiles')} SET
       first_seen_ms = (SELECT min(start_ms) FROM ${t('involvement')} WHERE actor_id = @id),
       last_seen_ms = (SELECT max(start_ms) FROM ${t('involvement')} WHERE actor_id = @id) WHERE actor_id = @id`,
    ),
    insertEntry: db.prepare(
      `INSERT OR REPLACE INTO ${t('entries')} (entry_id, type, crisis_id, seq, summary, start_ms, actors, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    entry: db.prepare<[string], EntryRow>(`SELECT * FROM ${t('entries')} WHERE entry_id = ?`),
    deleteInvolvement: db.prepare(`DELETE FROM ${t('involvement')} WHERE entry_id = ?`),
    insertInvolvement: db.prepare(
      `INSERT OR IGNORE INTO ${t('involvement')} (actor_id, entry_id, role, type, crisis_id, start_ms, seq, summary, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateStatus: db.prepare(`UPDATE ${t('involvement')} SET status = ? WHERE entry_id = ?`),
    insertDisputed: db.prepare(
      `INSERT OR IGNORE INTO ${t('disputed')} (claimant_id, entry_id, seq, by_actor_id, counter_entry_id, reason, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

/**
 * Per actor: profile, involvement by role and type, entries where it is claimant vs otherwise
 * involved, its claims that others dispute, and when it was first and last seen.
 */
export const actorsProjection: Projection = {
  name: 'actors',
  version: 1,
  handles: new Set([...ACTOR_EVENTS, ...REPORT_TYPE_NAMES, ...FOLLOW_UP_TYPE_NAMES]),
  tables: ['profiles', 'involvement', 'entries', 'disputed'],
  schema: actorsSchema,
  bind(db, t) {
    const sql = statements(db, t);

    const involve = (
      entryId: string,
      row: Omit<EntryRow, 'facts'>,
      actors: readonly ActorRef[],
      status: string,
    ): void => {
      sql.deleteInvolvement.run(entryId);
      for (const a of actors) {
        sql.insertInvolvement.run(
          a.actorId,
          entryId,
          a.role,
          row.type,
          row.crisis_id,
          row.start_ms,
          row.seq,
          row.summary,
          status,
        );
      }
    };
    const touchSeen = (actors: Iterable<string>): void => {
      for (const id of new Set(actors)) sql.seen.run({ id });
    };

    const actorEvent = (event: RecordedEvent): void => {
      if (event.type === 'ActorRegistered') {
        const d = event.data as unknown as ActorRegisteredData;
        sql.upsertProfile.run({
          actorId: d.actorId,
          name: d.name,
          kind: d.kind,
          countryCode: d.countryCode ?? null,
          parentId: d.parentId ?? null,
          memberOf: JSON.stringify(d.memberOf ?? []),
          aliases: JSON.stringify(d.aliases ?? []),
          at: event.metadata.recordedAt,
        });
        return;
      }
      const actorId = (event.data as { actorId: string }).actorId;
      const cur = sql.profile.get(actorId);
      if (!cur) return;
      const alias =
        event.type === 'ActorAliasAdded' ? (event.data as unknown as ActorAliasAddedData).alias : null;
      const d =
        event.type === 'ActorDetailsChanged' ? (event.data as unknown as ActorDetailsChangedData) : null;
      sql.upsertProfile.run({
        actorId,
        name: d?.name ?? cur.name,
        kind: d?.kind ?? cur.kind,
        countryCode: d?.countryCode ?? cur.country_code,
        parentId: d?.parentId ?? cur.parent_id,
        memberOf: d?.memberOf ? JSON.stringify(d.memberOf) : cur.member_of,
        aliases: alias ? JSON.stringify([...(JSON.parse(cur.aliases) as string[]), alias]) : cur.aliases,
        at: cur.registered_at,
      });
    };

    const report = (event: RecordedEvent, seq: number): void => {
      const r = event.data as unknown as ReportData;
      const row = {
        type: event.type,
        crisis_id: r.crisisId,
        seq,
        summary: r.summary,
        start_ms: Date.parse(r.occurred.start),
        actors: JSON.stringify(r.actors),
      };
      sql.insertEntry.run(
        r.entryId,
        row.type,
        row.crisis_id,
        seq,
        row.summary,
        row.start_ms,
        row.actors,
        JSON.stringify(NO_FACTS),
      );
      involve(r.entryId, row, r.actors, 'reported');
      touchSeen(r.actors.map((a) => a.actorId));
    };

    const followUp = (event: RecordedEvent, seq: number): void => {
      const entryId = (event.data as { entryId: string }).entryId;
      const row = sql.entry.get(entryId);
      if (!row) return;
      let facts = JSON.parse(row.facts) as StatusFacts;
      let actors = JSON.parse(row.actors) as ActorRef[];
      const before = actors.map((a) => a.actorId);
      switch (event.type) {
        case 'EntryCorroborated':
          facts = { ...facts, corroborations: facts.corroborations + 1 };
          break;
        case 'EntryDisputed': {
          facts = { ...facts, disputes: facts.disputes + 1 };
          const d = event.data as unknown as EntryDisputedData;
          for (const c of actors.filter((a) => a.role === 'claimant')) {
            sql.insertDisputed.run(
              c.actorId,
              entryId,
              seq,
              d.byActorId,
              d.counterEntryId ?? null,
              d.reason,
              event.metadata.recordedAt,
            );
          }
          break;
        }
        case 'EntryRetracted':
          facts = { ...facts, retracted: true };
          break;
        case 'CredibilityAssessed':
          facts = { ...facts, credibility: (event.data as { credibility: number }).credibility };
          break;
        case 'EntryCorrected': {
          const changes = (event.data as unknown as EntryCorrectedData).changes;
          actors = [...(changes.actors ?? actors)];
          row.summary = changes.summary ?? row.summary;
          row.start_ms = changes.occurred ? Date.parse(changes.occurred.start) : row.start_ms;
          break;
        }
      }
      const status = deriveStatus(facts);
      sql.insertEntry.run(
        entryId,
        row.type,
        row.crisis_id,
        row.seq,
        row.summary,
        row.start_ms,
        JSON.stringify(actors),
        JSON.stringify(facts),
      );
      if (event.type === 'EntryCorrected') {
        involve(entryId, row, actors, status);
        touchSeen([...before, ...actors.map((a) => a.actorId)]);
      } else sql.updateStatus.run(status, entryId);
    };

    return (event: RecordedEvent, { seq }: ApplyContext) => {
      if (isReportType(event.type)) report(event, seq);
      else if (ACTOR_EVENTS.includes(event.type)) actorEvent(event);
      else followUp(event, seq);
    };
  },
};
