import { decodeCursor, encodeCursor } from '../cursor';
import { tablesOf, type ReadDb } from '../projection';
import { validIn, CURRENT, type Scope } from '../scope';
import type { ActorInvolvementReader } from '../timeline/actor-involvement.reader';
import { membersOf, relationsOf, splitMembers, type Member } from './actors.hierarchy';
import { actorsProjection, type ProfileRow } from './actors.projection';

export type { Member } from './actors.hierarchy';

const profiles = tablesOf(actorsProjection.name)('profiles');

function profile(row: ProfileRow) {
  return {
    actorId: row.actor_id,
    name: row.name,
    kind: row.kind,
    countryCode: row.country_code,
    parentId: row.parent_id,
    memberOf: JSON.parse(row.member_of) as string[],
    aliases: JSON.parse(row.aliases) as string[],
    registeredAt: row.registered_at,
  };
}

export interface ActorListQuery {
  readonly kind?: string;
  readonly q?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ActorName {
  readonly actorId: string;
  readonly name: string;
}

/**
 * The actors projection's reader: profiles, names and hierarchies as they stood in a scope (current,
 * or as of a moment). What an actor did comes from the timeline's reader of actor involvement,
 * taken in the same scope. Its methods are async and take and return plain values, except
 * namesSync (see there).
 */
export class ActorsReader {
  constructor(
    private readonly db: ReadDb,
    private readonly involvement: ActorInvolvementReader,
  ) {}

  async list(query: ActorListQuery, scope: Scope = CURRENT) {
    const valid = validIn('p', scope);
    const where = [valid.sql];
    const params: unknown[] = [...valid.params];
    if (query.kind) {
      where.push('p.kind = ?');
      params.push(query.kind);
    }
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        "(p.name LIKE ? ESCAPE '\\' OR p.aliases LIKE ? ESCAPE '\\' OR p.actor_id LIKE ? ESCAPE '\\')",
      );
      params.push(like, like, like);
    }
    if (query.cursor) {
      const [name, id] = decodeCursor('actors', query.cursor, 2);
      where.push('(p.name COLLATE NOCASE > ? OR (p.name COLLATE NOCASE = ? AND p.actor_id > ?))');
      params.push(name, name, id);
    }
    const limit = query.limit ?? 100;
    const rows = this.db
      .prepare<unknown[], ProfileRow>(
        `SELECT p.* FROM ${profiles} p WHERE ${where.join(' AND ')} ORDER BY p.name COLLATE NOCASE, p.actor_id LIMIT ?`,
      )
      .all(...params, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    const items = [];
    for (const r of page) {
      const actor = { id: r.actor_id, withMembers: false, ids: [r.actor_id] };
      items.push({ ...profile(r), counts: await this.involvement.counts(actor, scope) });
    }
    return { items, nextCursor: more && last ? encodeCursor('actors', [last.name, last.actor_id]) : null };
  }

  /** The per-actor view; with includeMembers, the actor's members are rolled up into it. */
  async view(actorId: string, options: { includeMembers: boolean; limit: number }, scope: Scope = CURRENT) {
    const valid = validIn('p', scope);
    const row = this.db
      .prepare<unknown[], ProfileRow>(`SELECT p.* FROM ${profiles} p WHERE p.actor_id = ? AND ${valid.sql}`)
      .get(actorId, ...valid.params);
    if (!row) return null;
    const members = await this.members(actorId, scope);
    const split = splitMembers(members);
    const did = await this.involvement.of(
      options.includeMembers
        ? { id: actorId, withMembers: true, ids: [actorId, ...split.ids], periods: split.periods }
        : { id: actorId, withMembers: false, ids: [actorId] },
      options.limit,
      scope,
    );
    const names = new Map(
      (
        await this.names(
          did.disputedClaims.flatMap((d) => (d.disputedBy.actorId ? [d.disputedBy.actorId] : [])),
          scope,
        )
      ).map((a) => [a.actorId, a.name]),
    );
    return {
      ...profile(row),
      ...relationsOf(this.db, actorId, scope),
      members,
      includesMembers: options.includeMembers,
      ...did,
      disputedClaims: did.disputedClaims.map((d) => ({
        ...d,
        disputedBy: {
          ...d.disputedBy,
          name: d.disputedBy.actorId ? (names.get(d.disputedBy.actorId) ?? null) : null,
        },
      })),
    };
  }

  /** Names of these actors, as registered in `scope` (ids unknown there are left out). */
  async names(ids: Iterable<string>, scope: Scope): Promise<ActorName[]> {
    return Promise.resolve(this.namesSync(ids, scope));
  }

  /**
   * names, synchronously: for the live timeline feed, which renders each applied batch inside the
   * fan-out (TimelineReader.changesSync), so that batches go out in order.
   */
  namesSync(ids: Iterable<string>, scope: Scope): ActorName[] {
    const list = [...new Set(ids)];
    if (list.length === 0) return [];
    const valid = validIn('p', scope);
    return this.db
      .prepare<unknown[], ActorName>(
        `SELECT p.actor_id AS actorId, p.name FROM ${profiles} p WHERE p.actor_id IN (${list.map(() => '?').join(',')}) AND ${valid.sql}`,
      )
      .all(...list, ...valid.params);
  }

  /** Actors below this one, transitively, as the hierarchy stood in scope (actors.hierarchy.ts). */
  async members(actorId: string, scope: Scope): Promise<Member[]> {
    return Promise.resolve(membersOf(this.db, actorId, scope));
  }
}
