import { tablesOf, type ReadDb } from '../projection';
import { validIn, type Scope } from '../scope';
import type { TimelineFilter } from './timeline.filter';
import type { KeyDim } from './timeline.keys';
import { countKeys } from './timeline.plan';
import { timelineProjection } from './timeline.projection';

const t = tablesOf(timelineProjection.name);

/**
 * Where an as-of page starts:
 * - `time`: the versions in time order from the cursor, skipping those not valid at the position or
 *   not matching; it reads about `page / (share valid at the position x share matching)` rows, few
 *   late in the log and for common filters;
 * - `position`: every version recorded up to the position, then sorted; it reads as many rows as
 *   the log had versions then, few early in the log;
 * - `actor`: the versions of the entries linked to the actor (or its group) at the position, then
 *   sorted; it reads about as many rows as the actor has links;
 * - `matches`: a search (`q=`) or one entry, left to SQLite, which starts from the full-text
 *   matches or the entry.
 */
export type AsOfStart = 'time' | 'position' | 'actor' | 'matches';

/** Picks the start whose estimated rows read is the smallest, from counters and index endpoints. */
export class AsOfPagePlanner {
  constructor(private readonly db: ReadDb) {}

  choose(f: TimelineFilter, seq: number, limit: number): AsOfStart {
    // A search or one entry: SQLite starts from the full-text matches or the entry by itself.
    if (f.text !== undefined || f.entryId !== undefined) return 'matches';
    const versions = this.scalar(`SELECT max(version_no) FROM ${t('versions')}`);
    const head = this.scalar(`SELECT max(from_seq) FROM ${t('versions')}`);
    const entries = countKeys(this.db, 'all', ['']);
    if (versions === 0 || head === 0 || entries === 0) return 'time';
    const share = Math.min(seq, head) / head;
    // Matching share from today's counters: a guide to the share at the position, not a measure.
    const dims: Array<[KeyDim, readonly string[]]> = [];
    if (f.actor) dims.push([f.actor.withMembers ? 'group' : 'actor', [f.actor.id]]);
    if (f.crisis !== undefined) dims.push(['crisis', [f.crisis]]);
    if (f.types) dims.push(['type', f.types]);
    if (f.statuses) dims.push(['status', f.statuses]);
    const matching = Math.min(1, ...dims.map(([dim, values]) => countKeys(this.db, dim, values) / entries));
    const valid = Math.min(1, (entries * share) / versions);
    const cost: Record<Exclude<AsOfStart, 'matches'>, number> = {
      // At most every version: the counters are today's, a guide to the share at the position.
      time: Math.min(versions, (limit + 1) / Math.max(valid * matching, 1e-9)),
      position: versions * share,
      actor: f.actor && f.actorIds ? 2 * countKeys(this.db, dims[0]![0], [f.actor.id]) : Infinity,
    };
    const starts = Object.keys(cost) as Array<keyof typeof cost>;
    return starts.reduce((a, b) => (cost[b] < cost[a] ? b : a));
  }

  /** FROM clause (and its leading conditions) of each start, for versions aliased `v`. */
  from(
    start: AsOfStart,
    f: TimelineFilter,
    scope: Scope,
  ): { sql: string; where: string[]; params: unknown[] } {
    switch (start) {
      case 'matches':
        return { sql: `${t('versions')} v`, where: [], params: [] };
      case 'time':
        return { sql: `${t('versions')} v INDEXED BY ${t('versions_by_time')}`, where: [], params: [] };
      case 'position':
        return { sql: `${t('versions')} v INDEXED BY ${t('versions_by_change')}`, where: [], params: [] };
      case 'actor': {
        const ids = [...(f.actorIds ?? []), ...(f.actorPeriods ?? []).map((p) => p.actorId)];
        const linked = validIn('a', scope);
        return {
          sql: `${t('versions')} v INDEXED BY ${t('versions_by_entry')}`,
          where: [
            `v.entry_no IN (SELECT a.entry_no FROM ${t('actor_links')} a WHERE a.actor_id IN (${ids.map(() => '?').join(',')}) AND ${linked.sql})`,
          ],
          params: [...ids, ...linked.params],
        };
      }
    }
  }

  private scalar(sql: string): number {
    return this.db.prepare<[], number | null>(sql).pluck().get() ?? 0;
  }
}
