import { tablesOf, type ReadDb } from '../projection';
import { validIn, type Scope } from '../scope';
import { CurrentInvolvement, involvedEntry, iso, type InvolvedRow } from './actor-involvement.current';
import { actorMatchSql } from './actor-match';
import type {
  MemberPeriod,
  ActorInvolvement,
  DisputedClaim,
  InvolvedActors,
  InvolvedEntry,
  InvolvementCounts,
} from './actor-involvement.types';

export type * from './actor-involvement.types';
import { timelineProjection } from './timeline.projection';

const t = tablesOf(timelineProjection.name);

/** The actors a view is of: ids at all times, and members for a period. */
interface Who {
  readonly ids: readonly string[];
  readonly periods: readonly MemberPeriod[];
}
const whoOf = (a: InvolvedActors): Who => ({ ids: [...a.ids], periods: a.periods ?? [] });

/**
 * What actors did, read from the timeline's versioned entries and actor links (this projection's
 * tables), both taken in one scope, for the per-actor views (ActorsReader). Async, with plain
 * values in and out.
 */
export class ActorInvolvementReader {
  private readonly current: CurrentInvolvement;

  constructor(private readonly db: ReadDb) {
    this.current = new CurrentInvolvement(db);
  }

  async counts(actors: InvolvedActors, scope: Scope): Promise<InvolvementCounts> {
    return Promise.resolve(
      scope.kind === 'current' ? this.current.counts(actors) : this.countsNow(whoOf(actors), scope),
    );
  }

  /**
   * Involvement by role and type, claims, other entries and disputed claims (`limit` of each list).
   * Current: from the projection's counters and indexes. As of a moment: counted from the
   * versioned rows (bounded by the actors' links, not by the page).
   */
  async of(actors: InvolvedActors, limit: number, scope: Scope): Promise<ActorInvolvement> {
    if (scope.kind === 'current') return Promise.resolve(this.current.of(actors, limit));
    const who = whoOf(actors);
    const involved = this.involved(who, scope);
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
        entries: this.countsNow(who, scope).entries,
        byRole: grouped('l.role'),
        byType: grouped('v.type'),
      },
      claims: this.entries(who, scope, "l.role = 'claimant'", limit),
      involvedIn: this.entries(who, scope, "l.role <> 'claimant'", limit),
      disputedClaims: this.disputedClaims(who, scope, limit),
    });
  }

  /** FROM/WHERE of the entries (in scope) linked (in scope) to any of `ids`, rows aliased v and l. */
  private involved(who: Who, scope: Scope, extra = '1', join = ''): { sql: string; params: unknown[] } {
    const v = validIn('v', scope);
    const l = validIn('l', scope);
    const match = actorMatchSql('l', 'v', who.ids, who.periods);
    return {
      sql: `FROM ${t('actor_links')} l JOIN ${t('versions')} v ON v.entry_no = l.entry_no AND ${v.sql} ${join}
            WHERE ${match.sql} AND ${l.sql} AND ${extra}`,
      params: [...v.params, ...match.params, ...l.params],
    };
  }

  private countsNow(who: Who, scope: Scope): InvolvementCounts {
    const all = this.involved(who, scope);
    const claims = this.involved(who, scope, "l.role = 'claimant'");
    const n = (q: { sql: string; params: unknown[] }) =>
      this.db
        .prepare<unknown[], { n: number }>(`SELECT count(DISTINCT v.entry_no) AS n ${q.sql}`)
        .get(...q.params)!.n;
    return {
      entries: n(all),
      claims: n(claims),
      disputedClaims: this.disputeCount(who, scope),
    };
  }

  private entries(who: Who, scope: Scope, role: string, limit: number): InvolvedEntry[] {
    const q = this.involved(who, scope, role);
    return this.db
      .prepare<unknown[], InvolvedRow>(
        `SELECT v.entry_id, l.actor_id, l.role, v.type, v.crisis_id, v.start_ms, v.status, json_extract(v.doc, '$.report.summary') AS summary
         ${q.sql} ORDER BY v.sort_ms DESC, v.sort_tie DESC, l.actor_id, l.role LIMIT ?`,
      )
      .all(...q.params, limit)
      .map(involvedEntry);
  }

  /** One row per dispute of a claim of these actors (an entry two of them claimed counts once). */
  private disputeRows(who: Who, scope: Scope) {
    const q = this.involved(who, scope, "l.role = 'claimant'", `, json_each(v.doc, '$.disputes') d`);
    return {
      sql: `SELECT DISTINCT v.entry_no, d.key AS n, v.entry_id, json_extract(v.doc, '$.report.summary') AS summary,
              json_extract(v.doc, '$.report.actors') AS actors, d.value AS dispute,
              json_extract(d.value, '$.recordedAt') AS recorded_at ${q.sql}`,
      params: q.params,
    };
  }

  private disputeCount(who: Who, scope: Scope): number {
    const q = this.disputeRows(who, scope);
    return this.db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM (${q.sql})`).get(...q.params)!
      .n;
  }

  /**
   * Disputes of claims made by these actors (as claimant), newest first; the claimant shown is the
   * entry's first claimant among them.
   */
  private disputedClaims(who: Who, scope: Scope, limit: number): DisputedClaim[] {
    const q = this.disputeRows(who, scope);
    const among = new Set([...who.ids, ...who.periods.map((p) => p.actorId)]);
    return this.db
      .prepare<unknown[], { entry_id: string; summary: string; actors: string; dispute: string }>(
        `${q.sql} ORDER BY recorded_at DESC, v.entry_no DESC, n DESC LIMIT ?`,
      )
      .all(...q.params, limit)
      .map((r) => {
        const dispute = JSON.parse(r.dispute) as {
          byActorId?: string;
          bySourceId?: string;
          field?: string;
          counterEntryId?: string;
          reason: string;
          recordedAt: string;
        };
        const actors = JSON.parse(r.actors) as Array<{ actorId: string; role: string }>;
        const claimant = actors.find((a) => a.role === 'claimant' && among.has(a.actorId));
        return {
          entryId: r.entry_id,
          claimantId: claimant?.actorId ?? who.ids[0]!,
          summary: r.summary,
          disputedBy: { actorId: dispute.byActorId ?? null, sourceId: dispute.bySourceId ?? null },
          field: dispute.field ?? null,
          counterEntryId: dispute.counterEntryId ?? null,
          reason: dispute.reason,
          recordedAt: dispute.recordedAt,
        };
      });
  }
}
