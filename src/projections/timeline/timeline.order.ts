import type { LinkRelation } from '../../chronology/events';
import { precisionTier, startUnitEnd } from '../../shared/time';
import type { TimelineDoc } from './timeline.doc';

/**
 * The timeline's ordering rule (docs/ordering.md has worked examples). Each entry version stores
 * one sort key, `(ms, tie)`, which every page and keyset cursor orders by:
 *
 * 1. An entry's start is known only to within its start unit (the minute, hour, part of the day,
 *    day, week, month or year it is stated in): its window, [start, min(end of that unit, end)).
 *    It sorts at the last millisecond of its window. So entries whose windows do not overlap sort
 *    by their earliest instants, and a day-only entry sorts after the timed events of its day.
 * 2. At the same instant, finer precision sorts first (a day entry after a 23:59 event of its day;
 *    a month entry after the days that end the month).
 * 3. A link that orders two entries (`precedes`, `causes`, `announces`: from before to;
 *    `responds-to`, `confirms`: to before from) decides between them when their windows overlap
 *    and their keys disagree with it: the coarser of the two moves next to the other (the later
 *    one when both are as coarse), if the other's sort instant lies within its own window. Links
 *    between entries whose windows do not overlap change nothing: stated times win.
 * 4. Then the first log ordinal of the entry.
 *
 * `tie` packs the rank (precision tier, moved up or down by links) above the first ordinal, so the
 * key is two integers. The sort instant stays within [start, end), which the span classes of the
 * key index rely on.
 */
export interface SortKey {
  readonly ms: number;
  readonly tie: number;
}

/** Where an entry may sort: its window, its precision tier and its first ordinal. */
export interface Placement {
  readonly start: number;
  readonly windowEnd: number;
  readonly tier: number;
  readonly firstSeq: number;
}

const SEQ_BITS = 2 ** 40;
const RANK_STEP = 256;
const MAX_RANK = 16 * RANK_STEP - 1;

export const rankOf = (key: SortKey): number => Math.floor(key.tie / SEQ_BITS);
const keyAt = (ms: number, rank: number, firstSeq: number): SortKey => ({
  ms,
  tie: Math.min(MAX_RANK, Math.max(0, rank)) * SEQ_BITS + firstSeq,
});

export function compareKeys(a: SortKey, b: SortKey): number {
  return a.ms - b.ms || a.tie - b.tie;
}

export function placementOf(doc: TimelineDoc, firstSeq: number): Placement {
  const o = doc.report.occurred;
  const start = Date.parse(o.start);
  const windowEnd = Math.max(start + 1, Math.min(startUnitEnd(o), Date.parse(o.end)));
  return { start, windowEnd, tier: precisionTier(o.precision), firstSeq };
}

/** Rules 1, 2 and 4: where an entry sorts when no link decides. */
export function baseKey(p: Placement): SortKey {
  return keyAt(p.windowEnd - 1, p.tier * RANK_STEP + RANK_STEP / 2, p.firstSeq);
}

const FORWARD: ReadonlySet<LinkRelation> = new Set(['precedes', 'causes', 'announces']);
const BACKWARD: ReadonlySet<LinkRelation> = new Set(['responds-to', 'confirms']);

/** Whether a link puts this entry before (-1) or after (1) the other, or says nothing of order (0). */
export function sideOf(link: TimelineDoc['links'][number]): -1 | 0 | 1 {
  const forward = FORWARD.has(link.relation);
  if (!forward && !BACKWARD.has(link.relation)) return 0;
  return forward === (link.direction === 'out') ? -1 : 1;
}

/** Entries this one's key depends on (linked by a relation that orders), each once. */
export function orderingNeighbours(doc: TimelineDoc): string[] {
  return [...new Set(doc.links.filter((l) => sideOf(l) !== 0).map((l) => l.entryId))];
}

/** A linked entry as it stands: where it may sort and where it sorts. */
export interface Neighbour extends Placement {
  readonly key: SortKey;
}

const within = (ms: number, p: Placement): boolean => ms >= p.start && ms < p.windowEnd;

/**
 * Rule 3: the entry's key given the current keys of the entries it is linked with (`neighbour`
 * returns null for one not in the timeline). Links are taken in the order they were recorded.
 */
export function keyOf(
  self: Placement,
  links: TimelineDoc['links'],
  neighbour: (entryId: string) => Neighbour | null,
): SortKey {
  let key = baseKey(self);
  // Links that order a pair both ways contradict each other: neither decides (stated times do).
  const sides = new Map<string, Set<number>>();
  for (const link of links) {
    const side = sideOf(link);
    if (side !== 0) sides.set(link.entryId, (sides.get(link.entryId) ?? new Set()).add(side));
  }
  for (const link of links) {
    const side = sideOf(link);
    if (side === 0 || sides.get(link.entryId)!.size > 1) continue;
    const other = neighbour(link.entryId);
    if (!other || other.start >= self.windowEnd || self.start >= other.windowEnd) continue;
    const order = compareKeys(key, other.key);
    if (side === 1 && order <= 0 && self.tier >= other.tier && within(other.key.ms, self)) {
      key = keyAt(other.key.ms, rankOf(other.key) + 1, self.firstSeq);
    } else if (side === -1 && order >= 0 && self.tier > other.tier && within(other.key.ms, self)) {
      key = keyAt(other.key.ms, rankOf(other.key) - 1, self.firstSeq);
    }
  }
  return key;
}
