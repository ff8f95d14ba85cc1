import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../cursor';
import { READ_DB, tablesOf, type ReadDb, type TableNamer } from '../projection';

interface ProfileRow {
  actor_id: string;
  name: string;
  kind: string;
  country_code: string | null;
  parent_id: string | null;
  member_of: string;
  aliases: string;
  registered_at: string;
  first_seen_ms: number | null;
  last_seen_ms: number | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

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
    firstSeen: iso(row.first_seen_ms),
    lastSeen: iso(row.last_seen_ms),
  };
}

export interface ActorListQuery {
  kind?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

@Injectable()
export class ActorsQueries {
  private readonly t: TableNamer = tablesOf('actors');

  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  list(query: ActorListQuery) {
    const t = this.t;
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.kind) {
      where.push('p.kind = ?');
      params.push(query.kind);
    }
    if (query.q) {
      where.push(
        "(p.name LIKE ? ESCAPE '\\' OR p.aliases LIKE ? ESCAPE '\\' OR p.actor_id LIKE ? ESCAPE '\\')",
      );
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like, like);
    }
    if (query.cursor) {
      const [name, id] = decodeCursor(query.cursor, 2);
      where.push('(p.name COLLATE NOCASE > ? OR (p.name COLLATE NOCASE = ? AND p.actor_id > ?))');
      params.push(name, name, id);
    }
    const limit = query.limit ?? 100;
    const rows = this.db
      .prepare<unknown[], ProfileRow & { entries: number; claims: number; disputed: number }>(
        `SELECT p.*,
           (SELECT count(DISTINCT entry_id) FROM ${t('involvement')} i WHERE i.actor_id = p.actor_id) AS entries,
           (SELECT count(*) FROM ${t('involvement')} i WHERE i.actor_id = p.actor_id AND i.role = 'claimant') AS claims,
           (SELECT count(DISTINCT entry_id) FROM ${t('disputed')} d WHERE d.claimant_id = p.actor_id) AS disputed
         FROM ${t('profiles')} p ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY p.name COLLATE NOCASE, p.actor_id LIMIT ?`,
      )
      .all(...params, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        ...profile(r),
        counts: { entries: r.entries, claims: r.claims, disputedClaims: r.disputed },
      })),
      nextCursor: more && last ? encodeCursor([last.name, last.actor_id]) : null,
    };
  }

  /** The per-actor view; with includeMembers, the actor's members are rolled up into it. */
  view(actorId: string, options: { includeMembers: boolean; limit: number }) {
    const t = this.t;
    const row = this.db
      .prepare<[string], ProfileRow>(`SELECT * FROM ${t('profiles')} WHERE actor_id = ?`)
      .get(actorId);
    if (!row) return null;
    const members = this.members(actorId);
    const ids = options.includeMembers ? [actorId, ...members.map((m) => m.actorId)] : [actorId];
    const inIds = `(${ids.map(() => '?').join(',')})`;
    const count = <K extends string>(column: K) =>
      Object.fromEntries(
        this.db
          .prepare<string[], { k: string; n: number }>(
            `SELECT ${column} AS k, count(DISTINCT entry_id) AS n FROM ${t('involvement')} WHERE actor_id IN ${inIds} GROUP BY ${column} ORDER BY ${column}`,
          )
          .all(...ids)
          .map((r) => [r.k, r.n]),
      ) as Record<string, number>;
    const entries = (roleClause: string) =>
      this.db
        .prepare<
          unknown[],
          {
            entry_id: string;
            actor_id: string;
            role: string;
            type: string;
            crisis_id: string;
            start_ms: number;
            summary: string;
            status: string;
          }
        >(
          `SELECT entry_id, actor_id, role, type, crisis_id, start_ms, summary, status FROM ${t('involvement')}
           WHERE actor_id IN ${inIds} AND ${roleClause} ORDER BY start_ms DESC, seq DESC LIMIT ?`,
        )
        .all(...ids, options.limit)
        .map((e) => ({
          entryId: e.entry_id,
          actorId: e.actor_id,
          role: e.role,
          type: e.type,
          crisisId: e.crisis_id,
          occurredStart: iso(e.start_ms),
          summary: e.summary,
          status: e.status,
        }));
    const total = this.db
      .prepare<string[], { n: number }>(
        `SELECT count(DISTINCT entry_id) AS n FROM ${t('involvement')} WHERE actor_id IN ${inIds}`,
      )
      .get(...ids)!.n;
    const seen = this.db
      .prepare<string[], { first: number | null; last: number | null }>(
        `SELECT min(start_ms) AS first, max(start_ms) AS last FROM ${t('involvement')} WHERE actor_id IN ${inIds}`,
      )
      .get(...ids)!;
    const disputed = this.db
      .prepare<
        unknown[],
        {
          claimant_id: string;
          entry_id: string;
          by_actor_id: string;
          counter_entry_id: string | null;
          reason: string;
          recorded_at: string;
          summary: string | null;
          by_name: string | null;
        }
      >(
        `SELECT d.*, e.summary, p.name AS by_name FROM ${t('disputed')} d
         LEFT JOIN ${t('entries')} e ON e.entry_id = d.entry_id
         LEFT JOIN ${t('profiles')} p ON p.actor_id = d.by_actor_id
         WHERE d.claimant_id IN ${inIds} ORDER BY d.seq DESC LIMIT ?`,
      )
      .all(...ids, options.limit)
      .map((d) => ({
        entryId: d.entry_id,
        claimantId: d.claimant_id,
        summary: d.summary,
        disputedBy: { actorId: d.by_actor_id, name: d.by_name },
        counterEntryId: d.counter_entry_id,
        reason: d.reason,
        recordedAt: d.recorded_at,
      }));
    return {
      ...profile(row),
      ...(options.includeMembers ? { firstSeen: iso(seen.first), lastSeen: iso(seen.last) } : {}),
      members,
      includesMembers: options.includeMembers,
      involvement: { entries: total, byRole: count('role'), byType: count('type') },
      claims: entries("role = 'claimant'"),
      involvedIn: entries("role <> 'claimant'"),
      disputedClaims: disputed,
    };
  }

  /** Actors below this one, by parent or membership, transitively. */
  private members(actorId: string): Array<{ actorId: string; name: string; via: 'parent' | 'memberOf' }> {
    const t = this.t;
    return this.db
      .prepare<[string], { id: string; name: string; via: 'parent' | 'memberOf' }>(
        `WITH RECURSIVE tree(id, via) AS (
           SELECT ?, NULL UNION
           SELECT p.actor_id, CASE WHEN p.parent_id = tree.id THEN 'parent' ELSE 'memberOf' END
           FROM ${t('profiles')} p JOIN tree
             ON p.parent_id = tree.id OR EXISTS (SELECT 1 FROM json_each(p.member_of) j WHERE j.value = tree.id))
         SELECT tree.id, p.name, tree.via FROM tree JOIN ${t('profiles')} p ON p.actor_id = tree.id
         WHERE tree.via IS NOT NULL ORDER BY p.name`,
      )
      .all(actorId)
      .map((m) => ({ actorId: m.id, name: m.name, via: m.via }));
  }
}
