import { tablesOf, type ReadDb } from '../projection';
import type {
  ActorInvolvement,
  DisputedClaim,
  InvolvedEntry,
  InvolvementCounts,
  InvolvedActors,
} from './actor-involvement.types';
import type { TimelineDoc } from './timeline.doc';
import { COUNT_SEP, SPAN_MAX_MS } from './timeline.keys';
import { timelineProjection } from './timeline.projection';

const t = tablesOf(timelineProjection.name);

/** An involved entry as selected (with the link's actor and role). */
export interface InvolvedRow {
  entry_id: string;
  actor_id: string;
  role: string;
  type: string;
  crisis_id: string;
  start_ms: number;
  status: string;
  summary: string;
}

export function involvedEntry(e: InvolvedRow): InvolvedEntry {
  return {
    entryId: e.entry_id,
    actorId: e.actor_id,
    role: e.role,
    type: e.type,
    crisisId: e.crisis_id,
    occurredStart: iso(e.start_ms),
    summary: e.summary,
    status: e.status,
  };
}
export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const list = (values: readonly unknown[]): string => values.map(() => '?').join(',');

/**
 * What actors did in the current timeline, from the counters and indexes the timeline projection
 * keeps (timeline.keys.ts): totals are single rows, lists are index ranges newest first, so the
 * cost is the page whatever the actor's share of the log.
 */
export class CurrentInvolvement {
  constructor(private readonly db: ReadDb) {}

  counts(a: InvolvedActors): InvolvementCounts {
    const dim = this.dim(a);
    return {
      entries: this.count(dim, a.id),
      claims: this.count(`${dim}-claims`, a.id),
      disputedClaims: this.count(`${dim}-disputes`, a.id),
    };
  }

  of(a: InvolvedActors, limit: number): ActorInvolvement {
    const dim = this.dim(a);
    const spans = this.db
      .prepare<[], number>(`SELECT CAST(value AS INTEGER) FROM ${t('counts')} WHERE dim = 'span' AND n > 0`)
      .pluck()
      .all();
    // The earliest (latest) start of a span class is among the entries whose sort instant is within
    // the class's longest interval of its first (last) sort instant: each sorts within its interval.
    const edge = (fn: 'min' | 'max'): number | null => {
      const range = `FROM ${t('keys')} WHERE dim = ? AND value = ? AND span = ?`;
      const end = this.db
        .prepare<[string, string, number], number | null>(`SELECT ${fn}(sort_ms) ${range}`)
        .pluck();
      const near = this.db
        .prepare<[string, string, number, number], number | null>(
          `SELECT ${fn}(start_ms) ${range} AND sort_ms ${fn === 'min' ? '<=' : '>='} ?`,
        )
        .pluck();
      const values: number[] = [];
      for (const span of spans) {
        const sortEdge = end.get(dim, a.id, span);
        if (sortEdge === null || sortEdge === undefined) continue;
        const longest = SPAN_MAX_MS[span] ?? Infinity;
        const bound = fn === 'min' ? sortEdge + longest : sortEdge - longest;
        const value = near.get(
          dim,
          a.id,
          span,
          Number.isFinite(bound) ? bound : fn === 'min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER,
        );
        if (value !== null && value !== undefined) values.push(value);
      }
      return values.length ? Math[fn](...values) : null;
    };
    return {
      firstSeen: iso(edge('min')),
      lastSeen: iso(edge('max')),
      involvement: {
        entries: this.count(dim, a.id),
        byRole: this.breakdown(`${dim}-role`, a.id),
        byType: this.breakdown(`${dim}-type`, a.id),
      },
      claims: this.entries(a, spans, 'claimant', limit),
      involvedIn: this.entries(a, spans, 'other', limit),
      disputedClaims: this.disputedClaims(a, limit),
    };
  }

  private dim(a: InvolvedActors): 'actor' | 'group' {
    return a.withMembers ? 'group' : 'actor';
  }

  private count(dim: string, value: string): number {
    return (
      this.db
        .prepare<[string, string], number>(`SELECT n FROM ${t('counts')} WHERE dim = ? AND value = ?`)
        .pluck()
        .get(dim, value) ?? 0
    );
  }

  /** Counters `dim` of values `id SEP key`, as { key: n }. */
  private breakdown(dim: string, id: string): Record<string, number> {
    const rows = this.db
      .prepare<[string, string, string], { value: string; n: number }>(
        `SELECT value, n FROM ${t('counts')} WHERE dim = ? AND value > ? AND value < ? AND n > 0 ORDER BY value`,
      )
      .all(dim, `${id}${COUNT_SEP}`, `${id}${String.fromCharCode(COUNT_SEP.charCodeAt(0) + 1)}`);
    return Object.fromEntries(rows.map((r) => [r.value.slice(id.length + 1), r.n]));
  }

  /** The newest entries in which one of the actors is the claimant (or has another role). */
  private entries(
    a: InvolvedActors,
    spans: number[],
    role: 'claimant' | 'other',
    limit: number,
  ): InvolvedEntry[] {
    const roleSql = role === 'claimant' ? "l.role = 'claimant'" : "l.role <> 'claimant'";
    // The group key already holds only entries within a member's period: any member's link shows.
    const ids = [...a.ids, ...(a.periods ?? []).map((p) => p.actorId)];
    const link = `l.entry_no = k.entry_no AND l.to_seq IS NULL AND l.actor_id IN (${list(ids)}) AND ${roleSql}`;
    const params: unknown[] = [];
    const arms = spans.map((span) => {
      params.push(this.dim(a), a.id, span, ...ids, limit);
      return `SELECT * FROM (SELECT k.sort_ms, k.sort_tie, k.entry_no FROM ${t('keys')} k
        WHERE k.dim = ? AND k.value = ? AND k.span = ? AND EXISTS (SELECT 1 FROM ${t('actor_links')} l WHERE ${link})
        ORDER BY k.sort_ms DESC, k.sort_tie DESC LIMIT ?)`;
    });
    if (arms.length === 0) return [];
    const rows = this.db
      .prepare<unknown[], InvolvedRow>(
        `SELECT v.entry_id, l.actor_id, l.role, v.type, v.crisis_id, v.start_ms, v.status,
           json_extract(v.doc, '$.report.summary') AS summary
         FROM (SELECT * FROM (${arms.join(' UNION ALL ')}) ORDER BY sort_ms DESC, sort_tie DESC LIMIT ?) page
         JOIN ${t('actor_links')} l ON ${link.replaceAll('k.entry_no', 'page.entry_no')}
         JOIN ${t('versions')} v ON v.entry_no = page.entry_no AND v.to_seq IS NULL
         ORDER BY page.sort_ms DESC, page.sort_tie DESC, l.actor_id, l.role LIMIT ?`,
      )
      .all(...params, limit, ...ids, limit);
    return rows.map(involvedEntry);
  }

  /** Disputes of the actors' claims, newest first, from the dispute index. */
  private disputedClaims(a: InvolvedActors, limit: number): DisputedClaim[] {
    const ids = new Set([...a.ids, ...(a.periods ?? []).map((p) => p.actorId)]);
    return this.db
      .prepare<[string, number], { n: number; doc: string }>(
        `SELECT d.n, v.doc FROM ${t('dispute_keys')} d
         JOIN ${t('versions')} v ON v.entry_no = d.entry_no AND v.to_seq IS NULL
         WHERE d.holder = ? ORDER BY d.recorded_at DESC, d.entry_no DESC, d.n DESC LIMIT ?`,
      )
      .all(`${this.dim(a)}${COUNT_SEP}${a.id}`, limit)
      .map((r) => {
        const doc = JSON.parse(r.doc) as TimelineDoc;
        const dispute = doc.disputes[r.n]!;
        const claimant = doc.report.actors.find((x) => x.role === 'claimant' && ids.has(x.actorId));
        return {
          entryId: doc.entryId,
          claimantId: claimant?.actorId ?? a.ids[0]!,
          summary: doc.report.summary,
          disputedBy: { actorId: dispute.byActorId ?? null, sourceId: dispute.bySourceId ?? null },
          field: dispute.field ?? null,
          counterEntryId: dispute.counterEntryId ?? null,
          reason: dispute.reason,
          recordedAt: dispute.recordedAt,
        };
      });
  }
}
