import type { ReadDb } from '../projection';
import type { TimelineDoc } from './timeline.doc';
import type { SortKey } from './timeline.order';

/**
 * Index rows and counters of the current timeline, derived from an entry's document. Every read of
 * the current timeline starts from one index range of `keys` (dim, value, span) in time order, so
 * its cost is the page, not the log; `counts` tells a read which range is the narrowest and
 * answers the actor view's totals without scanning.
 *
 * Dimensions: `all` (every entry), `crisis`, `type`, `status`, `source` (the source it is
 * attributed to: minimum reliability is the sources graded so now), `actor` (actors named in the
 * entry) and `group` (those actors and every actor above them, by parent or membership: "with
 * members"), `linked` (entries linked with it, either way, by links in force), `disputed` (what
 * its disputes contest: a field's name, or `*` for the whole entry), `country` (of each place it
 * names; a disputed place under each state claiming it), `place` (each place's name, lower case)
 * and `chain` (an entry with an attribution chain: '' for every such entry, each hop's source, and
 * ANONYMOUS_HOP for an anonymous hop; minimum reliability follows the chain's grade, its weakest
 * link, through them: see timeline.grade.ts).
 */
export type KeyDim =
  | 'all'
  | 'crisis'
  | 'type'
  | 'status'
  | 'source'
  | 'actor'
  | 'group'
  | 'linked'
  | 'disputed'
  | 'country'
  | 'place'
  | 'chain';

/**
 * Entries fall in span classes by the length of their occurred interval. Within a class the
 * longest interval is bounded, and an entry's sort instant lies within its interval, so "still
 * happening at `from`" becomes an index range: sort >= from - SPAN_MAX_MS[class] (and "started
 * before `to`": sort < to + SPAN_MAX_MS[class]). The last class (intervals over 512 days) is unbounded: with
 * `from`, it is read from its first entry, so its cost is its size.
 */
export const SPAN_MAX_MS = [86_400_000, 8 * 86_400_000, 64 * 86_400_000, 512 * 86_400_000, Infinity];

export function spanClass(startMs: number, endMs: number): number {
  const span = endMs - startMs;
  return SPAN_MAX_MS.findIndex((max) => span <= max);
}

/** Where an entry sorts: its span class, occurred interval and sort key (timeline.order.ts). */
export interface EntryKey {
  readonly span: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly sort: SortKey;
}

export function entryKey(doc: TimelineDoc, sort: SortKey): EntryKey {
  const startMs = Date.parse(doc.report.occurred.start);
  const endMs = Date.parse(doc.report.occurred.end);
  return { span: spanClass(startMs, endMs), startMs, endMs, sort };
}

/** Actor ids above an actor (parents and bodies it is a member of, transitively), itself included. */
export type Ancestry = (actorId: string) => readonly string[];

const SEP = '\u001f';

/** How a place name is indexed and looked up: case and surrounding spaces do not matter. */
export const placeKey = (name: string): string => name.trim().toLocaleLowerCase('en');

/**
 * `place_key(name)` in SQL on a read connection: the same folding as placeKey, so the as-of path,
 * which matches places inside stored documents, agrees with the key index beyond ASCII (SQLite's
 * own lower() folds A–Z only: 'ÜSKÜDAR' would not match 'üsküdar').
 */
export function registerPlaceKey(db: { function: ReadDb['function'] }): void {
  db.function('place_key', { deterministic: true }, (name: unknown) =>
    typeof name === 'string' ? placeKey(name) : null,
  );
}

/** The countries of the places an entry names: a disputed place counts for each state claiming it. */
function countriesOf(doc: TimelineDoc): Set<string> {
  const out = new Set<string>();
  for (const l of doc.report.locations ?? []) {
    if (l.countryCode) out.add(l.countryCode);
    for (const c of l.claimedBy ?? []) out.add(c);
  }
  return out;
}

/** The `disputed` key value of a dispute of the whole entry. */
export const WHOLE_ENTRY = '*';

/** The `chain` key value of an anonymous hop (graded F): never a source id, which is a slug. */
export const ANONYMOUS_HOP = '~anonymous';

/**
 * The `chain` key values of an entry whose attribution has a chain: '' (it has one), the source of
 * each hop naming one, ANONYMOUS_HOP for an anonymous hop. A hop naming an actor adds no grade, and
 * the carrying source is the `source` key; an entry with no chain has none.
 */
function chainValues(doc: TimelineDoc): string[] {
  const chain = doc.report.attribution.chain ?? [];
  if (chain.length === 0) return [];
  const out = new Set(['']);
  for (const hop of chain) {
    if (hop.sourceId) out.add(hop.sourceId);
    else if (hop.anonymous) out.add(ANONYMOUS_HOP);
  }
  return [...out];
}

/** The (dim, value) pairs an entry is indexed under. */
export function keyValues(doc: TimelineDoc, ancestry: Ancestry): Array<[KeyDim, string]> {
  const actors = new Set(doc.report.actors.map((a) => a.actorId));
  const groups = new Set<string>();
  for (const a of actors) for (const g of ancestry(a)) groups.add(g);
  return [
    ['all', ''],
    ['crisis', doc.report.crisisId],
    ['type', doc.type],
    ['status', doc.status],
    ['source', doc.report.attribution.sourceId],
    ...[...actors].map((a): [KeyDim, string] => ['actor', a]),
    ...[...groups].map((g): [KeyDim, string] => ['group', g]),
    ...[...new Set(doc.links.map((l) => l.entryId))].map((e): [KeyDim, string] => ['linked', e]),
    ...[...new Set(doc.disputes.map((d) => d.field ?? WHOLE_ENTRY))].map((f): [KeyDim, string] => [
      'disputed',
      f,
    ]),
    ...[...countriesOf(doc)].map((c): [KeyDim, string] => ['country', c]),
    ...[...new Set((doc.report.locations ?? []).map((l) => placeKey(l.name)))].map((p): [KeyDim, string] => [
      'place',
      p,
    ]),
    ...chainValues(doc).map((c): [KeyDim, string] => ['chain', c]),
  ];
}

/**
 * The counters an entry adds to, by `dim SEP value`: its keys, its span class, and per actor
 * (`actor`) and per actor with members (`group`): claims made, entries by role and by type, and
 * disputes of its claims.
 */
export function countsOf(doc: TimelineDoc, key: EntryKey, ancestry: Ancestry): Map<string, number> {
  const out = new Map<string, number>();
  const add = (dim: string, value: string, n = 1): void => {
    const k = `${dim}${SEP}${value}`;
    out.set(k, (out.get(k) ?? 0) + n);
  };
  const once = new Set<string>();
  const addOnce = (dim: string, value: string, n = 1): void => {
    const k = `${dim}${SEP}${value}`;
    if (once.has(k)) return;
    once.add(k);
    add(dim, value, n);
  };
  for (const [dim, value] of keyValues(doc, ancestry)) add(dim, value);
  add('span', String(key.span));
  for (const { actorId, role } of doc.report.actors) {
    for (const [scope, ids] of [
      ['actor', [actorId]],
      ['group', ancestry(actorId)],
    ] as const) {
      for (const id of ids) {
        addOnce(`${scope}-role`, `${id}${SEP}${role}`);
        addOnce(`${scope}-type`, `${id}${SEP}${doc.type}`);
        if (role === 'claimant') {
          addOnce(`${scope}-claims`, id);
          if (doc.disputes.length > 0) addOnce(`${scope}-disputes`, id, doc.disputes.length);
        }
      }
    }
  }
  return out;
}

export const splitCount = (k: string): [string, string] => {
  const i = k.indexOf(SEP);
  return [k.slice(0, i), k.slice(i + 1)];
};

export const COUNT_SEP = SEP;

/** Rows of the disputes-of-claims index: (holder, recorded_at, entry, n-th dispute). */
export function disputeRows(doc: TimelineDoc, ancestry: Ancestry): Array<[string, string, number]> {
  if (doc.disputes.length === 0) return [];
  const holders = new Set<string>();
  for (const { actorId, role } of doc.report.actors) {
    if (role !== 'claimant') continue;
    holders.add(`actor${SEP}${actorId}`);
    for (const g of ancestry(actorId)) holders.add(`group${SEP}${g}`);
  }
  const rows: Array<[string, string, number]> = [];
  for (const holder of holders) doc.disputes.forEach((d, i) => rows.push([holder, d.recordedAt, i]));
  return rows;
}
