import { tablesOf, type ReadDb } from '../projection';
import { validIn, type Scope } from '../scope';
import { timelineProjection } from './timeline.projection';

const t = tablesOf(timelineProjection.name);

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** An entry an actor is linked to. */
export interface InvolvedEntry {
  readonly entryId: string;
  readonly actorId: string;
  readonly role: string;
  readonly type: string;
  readonly crisisId: string;
  readonly occurredStart: string | null;
  readonly summary: string;
  readonly status: string;
}

/** A claim of one of the actors (as claimant) that someone disputes; the disputer by id only. */
export interface DisputedClaim {
  readonly entryId: string;
  readonly claimantId: string;
  readonly summary: string;
  readonly disputedBy: { readonly actorId: string };
  readonly counterEntryId: string | null;
  readonly reason: string;
  readonly recordedAt: string;
}

export interface InvolvementCounts {
  readonly entries: number;
  readonly claims: number;
  readonly disputedClaims: number;
}

/** What a group of actors did, as the timeline stood in a scope. */
export interface ActorInvolvement {
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly involvement: {
    readonly entries: number;
    readonly byRole: Record<string, number>;
    readonly byType: Record<string, number>;
  };
  readonly claims: InvolvedEntry[];
  readonly involvedIn: InvolvedEntry[];
  readonly disputedClaims: DisputedClaim[];
}

/**
 * What actors did, read from the timeline's versioned entries and actor links (this projection's
 * tables), both taken in one scope, for the per-actor views (ActorsReader). Async, with plain
 * values in and out.
 */
export class ActorInvolvementReader {
  constructor(private readonly db: ReadDb) {}

  async counts(actorIds: string[], scope: Scope): Promise<InvolvementCounts> {
    return Promise.resolve(this.countsNow(actorIds, scope));
  }

  /** Involvement by role and type, claims, other entries and disputed claims (`limit` of each list). */
  async of(actorIds: string[], limit: number, scope: Scope): Promise<ActorInvolvement> {
    const involved = this.involved(actorIds, scope);
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
    return Promise.resolve({
      firstSeen: iso(seen.first),
      lastSeen: iso(seen.last),
      involvement: {
        entries: this.countsNow(actorIds, scope).entries,
        byRole: grouped('l.role'),
        byType: grouped('v.type'),
      },
      claims: this.entries(actorIds, scope, "l.role = 'claimant'", limit),
      involvedIn: this.entries(actorIds, scope, "l.role <> 'claimant'", limit),
      disputedClaims: this.disputedClaims(actorIds, scope, limit),
    });
  }

  /** FROM/WHERE of the entries (in scope) linked (in scope) to any of `ids`, rows aliased v and l. */
  private involved(ids: string[], scope: Scope, extra = '1', join = ''): { sql: string; params: unknown[] } {
    const v = validIn('v', scope);
    const l = validIn('l', scope);
    return {
      sql: `FROM ${t('actor_links')} l JOIN ${t('versions')} v ON v.entry_no = l.entry_no AND ${v.sql} ${join}
            WHERE l.actor_id IN (${ids.map(() => '?').join(',')}) AND ${l.sql} AND ${extra}`,
      params: [...v.params, ...ids, ...l.params],
    };
  }

  private countsNow(ids: string[], scope: Scope): InvolvementCounts {
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

  private entries(ids: string[], scope: Scope, role: string, limit: number): InvolvedEntry[] {
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
  private disputedClaims(ids: string[], scope: Scope, limit: number): DisputedClaim[] {
    const q = this.involved(ids, scope, "l.role = 'claimant'", `, json_each(v.doc, '$.disputes') d`);
    return this.db
      .prepare<unknown[], { entry_id: string; claimant: string; summary: string; dispute: string }>(
        `SELECT v.entry_id, l.actor_id AS claimant, json_extract(v.doc, '$.report.summary') AS summary, d.value AS dispute
         ${q.sql}
         ORDER BY json_extract(d.value, '$.recordedAt') DESC LIMIT ?`,
      )
      .all(...q.params, limit)
      .map((r) => {
        const dispute = JSON.parse(r.dispute) as {
          byActorId: string;
          counterEntryId?: string;
          reason: string;
          recordedAt: string;
        };
        return {
          entryId: r.entry_id,
          claimantId: r.claimant,
          summary: r.summary,
          disputedBy: { actorId: dispute.byActorId },
          counterEntryId: dispute.counterEntryId ?? null,
          reason: dispute.reason,
          recordedAt: dispute.recordedAt,
        };
      });
  }
}
