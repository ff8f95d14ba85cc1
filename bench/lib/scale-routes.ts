import type { GetClient, GetResult } from './scale-http';
import { prng, YEAR } from './scale-registry';

/**
 * The read routes the scale benchmark measures, with real ids: the heavy and a rare actor from
 * the generated registry, and entry ids, cursors, positions and instants taken from the server's
 * own answers.
 */

/** read: p99 <= 50 ms and flat; search: p99 <= 100 ms; asof: p99 <= 200 ms (the issue's gates). */
export type RouteKind = 'read' | 'search' | 'asof';

export interface Route {
  readonly name: string;
  readonly kind: RouteKind;
  /** Requested in turn, request k asking for paths[k % length]. */
  readonly paths: readonly string[];
}

export interface Subjects {
  readonly heavy: string;
  readonly rare: string;
  readonly crisis: string;
  readonly sources: readonly string[];
  readonly rareTerm: string;
}

/** What discovery found, for the report. */
export interface Discovered {
  readonly head: string | null;
  /** How many pages in the deep page is (the cursor requested repeatedly). */
  readonly deepPage: number;
  readonly positions: string[];
  readonly instants: string[];
  readonly entries: number;
}

const TYPE_X = 'ShellingAlleged';
const TYPE_Y = 'DenialIssued';
const DEEP_PAGES = 20;
const AS_OF_POINTS = 5;
/** One month and one week of the year the reports occur in (dates are whole UTC days). */
const MONTH = { from: `${YEAR}-06-01`, to: `${YEAR}-06-30` };
const WEEK = { from: `${YEAR}-06-13`, to: `${YEAR}-06-19` };

const tl = (query: string): string => `/v1/timeline?${query}${query ? '&' : ''}limit=50`;
const enc = encodeURIComponent;

function describe(r: GetResult, path: string): string {
  return `GET ${path} answered ${r.status}: ${r.text.slice(0, 300)}`;
}

/** Requests the pages and as-of reads the routes need, then lists the routes. */
export async function discoverRoutes(
  client: GetClient,
  s: Subjects,
  notes: string[],
): Promise<{ routes: Route[]; heavy: Route[]; found: Discovered }> {
  const entryIds: string[] = [];
  const collect = (r: GetResult): void => {
    for (const item of Array.isArray(r.body?.items) ? r.body.items : []) {
      if (typeof item?.entryId === 'string') entryIds.push(item.entryId);
    }
  };
  const first = await client.get(tl(''));
  let head: string | null = null;
  let deepCursor: string | null = null;
  let deepPage = 1;
  if (first.status === 200) {
    collect(first);
    head = typeof first.body?.position === 'string' ? first.body.position : null;
    let cursor: string | null = first.body?.nextCursor ?? null;
    while (cursor && deepPage < DEEP_PAGES + 1) {
      const page = await client.get(tl(`cursor=${enc(cursor)}`));
      if (page.status !== 200) {
        notes.push(`deep page walk stopped: ${describe(page, 'a timeline page')}`);
        break;
      }
      collect(page);
      deepCursor = cursor;
      deepPage += 1;
      cursor = page.body?.nextCursor ?? null;
    }
  } else {
    notes.push(`route discovery: ${describe(first, tl(''))}`);
  }

  // As-of: positions at 10%, 30%, ..., 90% of the log; the instant each answered for, for asOf.
  const positions: string[] = [];
  const instants: string[] = [];
  const headCommit = head ? BigInt(head.split('-')[0]!) : 0n;
  for (let k = 0; k < AS_OF_POINTS && headCommit > 0n; k++) {
    const p = (headCommit * BigInt(2 * k + 1)) / BigInt(2 * AS_OF_POINTS);
    const position = (p > 0n ? p : 1n).toString();
    const r = await client.get(tl(`atPosition=${position}`));
    if (r.status !== 200) {
      notes.push(`as-of discovery: ${describe(r, tl(`atPosition=${position}`))}`);
      continue;
    }
    positions.push(position);
    const at = r.body?.asOf?.recordedAt;
    if (typeof at === 'string') instants.push(at);
  }

  // Entries from all over the year too (the pages above are its start): a page from each month.
  for (let m = 1; m <= 12; m++) {
    const r = await client.get(tl(`from=${YEAR}-${String(m).padStart(2, '0')}-01`));
    if (r.status === 200) collect(r);
  }
  const random = prng(31);
  const entries = Array.from(
    { length: Math.min(100, entryIds.length) },
    () => entryIds[Math.floor(random() * entryIds.length)]!,
  );

  const read = (name: string, ...paths: string[]): Route => ({ name, kind: 'read', paths });
  const { heavy, rare } = s;
  const deep = deepCursor ? read('timeline deep page', tl(`cursor=${enc(deepCursor)}`)) : null;
  const heavyMembers = read('timeline actor=heavy&includeMembers', tl(`actor=${heavy}&includeMembers=true`));
  const search: Route = {
    name: `timeline q=<rare term> (search)`,
    kind: 'search',
    paths: [tl(`q=${s.rareTerm}`)],
  };
  const heavyView = read('actors/heavy?includeMembers=true', `/v1/actors/${heavy}?includeMembers=true`);
  const routes: Array<Route | null> = [
    read('timeline first page', tl('')),
    deep,
    read('timeline actor=heavy', tl(`actor=${heavy}`)),
    heavyMembers,
    read('timeline actor=rare', tl(`actor=${rare}`)),
    read('timeline actor=heavy, one month', tl(`actor=${heavy}&from=${MONTH.from}&to=${MONTH.to}`)),
    read('timeline actor=rare, one month', tl(`actor=${rare}&from=${MONTH.from}&to=${MONTH.to}`)),
    read('timeline type=X', tl(`type=${TYPE_X}`)),
    read('timeline type=X,Y&status=disputed', tl(`type=${TYPE_X},${TYPE_Y}&status=disputed`)),
    read('timeline status=disputed', tl('status=disputed')),
    read('timeline crisis=minor', tl(`crisis=${s.crisis}`)),
    read('timeline minReliability=A', tl('minReliability=A')),
    read('timeline actor=heavy&type=X', tl(`actor=${heavy}&type=${TYPE_X}`)),
    read('timeline one week (from&to)', tl(`from=${WEEK.from}&to=${WEEK.to}`)),
    search,
    positions.length > 0
      ? {
          name: 'timeline atPosition=p (as-of)',
          kind: 'asof',
          paths: positions.map((p) => tl(`atPosition=${p}`)),
        }
      : null,
    instants.length > 0
      ? {
          name: 'timeline asOf=instant (as-of)',
          kind: 'asof',
          paths: instants.map((i) => tl(`asOf=${enc(i)}`)),
        }
      : null,
    entries.length > 0 ? read('entries/:id (random)', ...entries.map((id) => `/v1/entries/${id}`)) : null,
    read('crises', '/v1/crises'),
    read('actors (list)', '/v1/actors'),
    heavyView,
    read('actors/rare', `/v1/actors/${rare}`),
    read('sources', '/v1/sources'),
    read('sources/:id', ...s.sources.map((id) => `/v1/sources/${id}`)),
  ];
  if (!deep) notes.push('no deep page: the first timeline page had no nextCursor');
  return {
    routes: routes.filter((r): r is Route => r !== null),
    heavy: [heavyMembers, heavyView, ...(deep ? [deep] : []), search],
    found: { head, deepPage, positions, instants, entries: entryIds.length },
  };
}

/** The types the type filters name, for the report. */
export const FILTER_TYPES = { X: TYPE_X, Y: TYPE_Y, month: MONTH, week: WEEK };
