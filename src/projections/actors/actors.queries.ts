import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../cursor';
import { READ_DB, tablesOf, type ReadDb } from '../projection';
import { RegistryQueries } from '../registry.queries';
import { validIn, CURRENT, type Scope } from '../scope';
import type { ProfileRow } from './actors.projection';

const profiles = tablesOf('actors')('profiles');
const versions = tablesOf('timeline')('versions');
const links = tablesOf('timeline')('actor_links');

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
  };
}

export interface ActorListQuery {
  readonly kind?: string;
  readonly q?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/**
 * Per-actor reads: the profile from the actors read model, and what the actor did from the
 * timeline's versioned rows, both taken in one scope (current, or as of a moment).
 */
@Injectable()
export class ActorsQueries {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly registry: RegistryQueries,
  ) {}

  list(query: ActorListQuery, scope: Scope = CURRENT) {
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
      const [name, id] = decodeCursor(query.cursor, 2);
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
    return {
      items: page.map((r) => ({ ...profile(r), counts: this.counts([r.actor_id], scope) })),
      nextCursor: more && last ? encodeCursor([last.name, last.actor_id]) : null,
    };
  }

  /** The per-actor view; with includeMembers, the actor's members are rolled up into it. */
  view(actorId: string, options: { includeMembers: boolean; limit: number }, scope: Scope = CURRENT) {
    const valid = validIn('p', scope);
    const row = this.db
      .prepare<unknown[], ProfileRow>(`SELECT p.* FROM ${profiles} p WHERE p.actor_id = ? AND ${valid.sql}`)
      .get(actorId, ...valid.params);
    if (!row) return null;
    const members = this.registry.members(actorId, scope);
    const ids = options.includeMembers ? [actorId, ...members.map((m) => m.actorId)] : [actorId];
    const involved = this.involved(ids, scope);
    const seen = this.db
      .prepare<unknown[], { first: number | null; last: number | null }>(
        `SELECT min(v.start_ms) AS first, max(v.start_ms) AS last ${involved.sql}`,
      )
      .get(...involved.params)!;
    const grouped = (column: 'l.role' | 'v.type') =>
      Object.fromEntries(
        this.db
          .prepare<unknown[], { k: string; n: number }>(
            `SELECT ${column} AS k, count(DISTINCT v.entry_no) AS n ${involved.sql} GROUP BY ${column} ORDER BY ${column}`,
          )
          .all(...involved.params)
          .map((r) => [r.k, r.n]),
      ) as Record<string, number>;
    return {
      ...profile(row),
      members,
      includesMembers: options.includeMembers,
      firstSeen: iso(seen.first),
      lastSeen: iso(seen.last),
      involvement: {
        entries: this.counts(ids, scope).entries,
        byRole: grouped('l.role'),
        byType: grouped('v.type'),
      },
      claims: this.entries(ids, scope, "l.role = 'claimant'", options.limit),
      involvedIn: this.entries(ids, scope, "l.role <> 'claimant'", options.limit),
      disputedClaims: this.disputedClaims(ids, scope, options.limit),
    };
  }

  /** FROM/WHERE of the entries (in scope) linked (in scope) to any of `ids`, rows aliased v and l. */
  private involved(ids: string[], scope: Scope, extra = '1', join = ''): { sql: string; params: unknown[] } {
    const v = validIn('v', scope);
    const l = validIn('l', scope);
    return {
      sql: `FROM ${links} l JOIN ${versions} v ON v.entry_no = l.entry_no AND ${v.sql} ${join}
            WHERE l.actor_id IN (${ids.map(() => '?').join(',')}) AND ${l.sql} AND ${extra}`,
      params: [...v.params, ...ids, ...l.params],
    };
  }

  private counts(ids: string[], scope: Scope) {
    const all = this.involved(ids, scope);
    const claims = this.involved(ids, scope, "l.role = 'claimant'");
    const n = (q: { sql: string; params: unknown[] }) =>
      this.db
        .prepare<unknown[], { n: number }>(`SELECT count(DISTINCT v.entry_no) AS n ${q.sql}`)
        .get(...q.params)!.n;
    return {
      entries: n(all),
      claims: n(claims),
      disputedClaims: this.disputedClaims(ids, scope, 1_000_000).length,
    };
  }

  private entries(ids: string[], scope: Scope, role: string, limit: number) {
    const q = this.involved(ids, scope, role);
    return this.db
      .prepare<
        unknown[],
        {
          entry_id: string;
          actor_id: string;
          role: string;
          type: string;
          crisis_id: string;
          start_ms: number;
          status: string;
          summary: string;
        }
      >(
        `SELECT v.entry_id, l.actor_id, l.role, v.type, v.crisis_id, v.start_ms, v.status, json_extract(v.doc, '$.report.summary') AS summary
         ${q.sql} ORDER BY v.start_ms DESC, v.first_seq DESC LIMIT ?`,
      )
      .all(...q.params, limit)
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
  }

  /** Claims made by these actors (as claimant) that others dispute, newest dispute first. */
  private disputedClaims(ids: string[], scope: Scope, limit: number) {
    const q = this.involved(ids, scope, "l.role = 'claimant'", `, json_each(v.doc, '$.disputes') d`);
    const rows = this.db
      .prepare<unknown[], { entry_id: string; claimant: string; summary: string; dispute: string }>(
        `SELECT v.entry_id, l.actor_id AS claimant, json_extract(v.doc, '$.report.summary') AS summary, d.value AS dispute
         ${q.sql}
         ORDER BY json_extract(d.value, '$.recordedAt') DESC LIMIT ?`,
      )
      .all(...q.params, limit);
    const parsed = rows.map((r) => ({
      ...r,
      dispute: JSON.parse(r.dispute) as {
        byActorId: string;
        counterEntryId?: string;
        reason: string;
        recordedAt: string;
      },
    }));
    const names = this.registry.actorNames(
      parsed.map((r) => r.dispute.byActorId),
      scope,
    );
    return parsed.map((r) => ({
      entryId: r.entry_id,
      claimantId: r.claimant,
      summary: r.summary,
      disputedBy: { actorId: r.dispute.byActorId, name: names.get(r.dispute.byActorId) ?? null },
      counterEntryId: r.dispute.counterEntryId ?? null,
      reason: r.dispute.reason,
      recordedAt: r.dispute.recordedAt,
    }));
  }
}
