import type { LogEvent } from '../../chronology/events';
import type { ApplyContext, Projection, TableNamer } from '../projection';

export function actorsSchema(t: TableNamer): string {
  return `
CREATE TABLE IF NOT EXISTS ${t('profiles')} (
  actor_id TEXT NOT NULL, from_seq INTEGER NOT NULL, to_seq INTEGER,
  name TEXT NOT NULL, kind TEXT NOT NULL, country_code TEXT, parent_id TEXT,
  member_of TEXT NOT NULL DEFAULT '[]', aliases TEXT NOT NULL DEFAULT '[]', registered_at TEXT NOT NULL,
  PRIMARY KEY (actor_id, from_seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ${t('current_profiles')} ON ${t('profiles')} (actor_id) WHERE to_seq IS NULL;
CREATE INDEX IF NOT EXISTS ${t('current_by_name')} ON ${t('profiles')} (name COLLATE NOCASE, actor_id) WHERE to_seq IS NULL;
CREATE INDEX IF NOT EXISTS ${t('current_by_parent')} ON ${t('profiles')} (parent_id) WHERE to_seq IS NULL;
CREATE TABLE IF NOT EXISTS ${t('relations')} (
  actor_id TEXT NOT NULL, relation TEXT NOT NULL, to_actor_id TEXT NOT NULL, from_seq INTEGER NOT NULL,
  to_seq INTEGER, valid_from TEXT, valid_to TEXT, source_id TEXT, note TEXT,
  PRIMARY KEY (actor_id, relation, to_actor_id, from_seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ${t('relations_to')} ON ${t('relations')} (to_actor_id, relation);`;
}

/** A row of the profiles table, as the projection and its reader select it. */
export interface ProfileRow {
  actor_id: string;
  name: string;
  kind: string;
  country_code: string | null;
  parent_id: string | null;
  member_of: string;
  aliases: string;
  registered_at: string;
}

/**
 * Actor profiles, versioned by log ordinal so that names and hierarchies can be read as of any
 * moment. A source's own actor (SourceRegistered's `ownActor`) is registered by its source's
 * registration, and changes after it as any actor does. What an actor did (involvement, claims, disputed claims) is read from the timeline's
 * versioned rows (ActorInvolvementReader, which ActorsReader uses), so current and as-of views
 * share one path.
 */
export const actorsProjection: Projection = {
  name: 'actors',
  version: 4,
  handles: new Set([
    'ActorRegistered',
    'ActorAliasAdded',
    'ActorDetailsChanged',
    'ActorRelationStated',
    'SourceRegistered',
  ]),
  tables: ['profiles', 'relations'],
  schema: actorsSchema,
  bind(db, t) {
    const current = db.prepare<[string], ProfileRow>(
      `SELECT * FROM ${t('profiles')} WHERE actor_id = ? AND to_seq IS NULL`,
    );
    const close = db.prepare(`UPDATE ${t('profiles')} SET to_seq = ? WHERE actor_id = ? AND to_seq IS NULL`);
    const insert = db.prepare(
      `INSERT OR REPLACE INTO ${t('profiles')} (actor_id, from_seq, to_seq, name, kind, country_code, parent_id, member_of, aliases, registered_at)
       VALUES (@actorId, @seq, NULL, @name, @kind, @countryCode, @parentId, @memberOf, @aliases, @registeredAt)`,
    );
    const endRelation = db.prepare(
      `UPDATE ${t('relations')} SET to_seq = ? WHERE actor_id = ? AND relation = ? AND to_actor_id = ? AND to_seq IS NULL`,
    );
    const relate = db.prepare(
      `INSERT OR REPLACE INTO ${t('relations')} (actor_id, relation, to_actor_id, from_seq, to_seq, valid_from, valid_to, source_id, note)
       VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
    );
    return (event: LogEvent, { seq }: ApplyContext) => {
      if (event.type === 'ActorRelationStated') {
        // A new statement of the same relation replaces the period: versioned, for as-of reads.
        const d = event.data;
        endRelation.run(seq, d.actorId, d.relation, d.toActorId);
        relate.run(
          d.actorId,
          d.relation,
          d.toActorId,
          seq,
          d.validFrom ?? null,
          d.validTo ?? null,
          d.sourceId ?? null,
          d.note ?? null,
        );
        return;
      }
      if (event.type === 'SourceRegistered') {
        const own = event.data.ownActor;
        if (!own) return; // a source affiliated with an actor, or one registered before own actors
        insert.run({
          actorId: own.actorId,
          seq,
          name: own.name,
          kind: own.kind,
          countryCode: own.countryCode ?? null,
          parentId: null,
          memberOf: '[]',
          aliases: '[]',
          registeredAt: event.metadata.recordedAt,
        });
        return;
      }
      if (
        event.type !== 'ActorRegistered' &&
        event.type !== 'ActorAliasAdded' &&
        event.type !== 'ActorDetailsChanged'
      )
        return;
      const { actorId } = event.data;
      if (event.type === 'ActorRegistered') {
        const d = event.data;
        insert.run({
          actorId,
          seq,
          name: d.name,
          kind: d.kind,
          countryCode: d.countryCode ?? null,
          parentId: d.parentId ?? null,
          memberOf: JSON.stringify(d.memberOf ?? []),
          aliases: JSON.stringify(d.aliases ?? []),
          registeredAt: event.metadata.recordedAt,
        });
        return;
      }
      const cur = current.get(actorId);
      if (!cur) return;
      const alias = event.type === 'ActorAliasAdded' ? event.data.alias : null;
      const d = event.type === 'ActorDetailsChanged' ? event.data : null;
      close.run(seq, actorId);
      insert.run({
        actorId,
        seq,
        name: d?.name ?? cur.name,
        kind: d?.kind ?? cur.kind,
        countryCode: d?.countryCode ?? cur.country_code,
        parentId: d?.parentId ?? cur.parent_id,
        memberOf: d?.memberOf ? JSON.stringify(d.memberOf) : cur.member_of,
        aliases: alias ? JSON.stringify([...(JSON.parse(cur.aliases) as string[]), alias]) : cur.aliases,
        registeredAt: cur.registered_at,
      });
    };
  },
};
