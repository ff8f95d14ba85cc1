import type { Statement } from 'better-sqlite3';
import { join } from 'node:path';
import type { ReadDb } from '../../src/projections/projection';
import { createReaders, type Readers } from '../../src/projections/read-pool/readers';
import { CURRENT, type Scope } from '../../src/projections/scope';
import { timelineFilter } from '../../src/projections/timeline/timeline.filter';
import type { TimelineQueryDto } from '../../src/projections/timeline/timeline-query.dto';
import { openSqlite } from '../../src/shared/sqlite';
import { TestApp } from './harness';

/**
 * Every statement the read routes run, planned by SQLite against the sample's read models: with
 * no statistics (as the service runs: it never ANALYZEs) and with statistics of a log of a million
 * entries (the sample's own, scaled). A SCAN of a table that grows with the log fails, except where
 * a route is documented as bounded by its matches rather than by the page (see ALLOWED).
 */
const LOG_SIZED = new Set([
  'timeline_versions',
  'timeline_keys',
  'timeline_actor_links',
  'timeline_texts',
  'timeline_history',
  'timeline_entries',
  'timeline_dispute_keys',
  'sources_citations',
  'log_events',
]);

/**
 * Index bounds a current page's ranges must use (on `timeline_keys`, aliased k): a page after a
 * cursor starts at the cursor, a time window at the earliest start that can still be happening.
 */
const BOUNDS: Record<string, RegExp> = {
  'page after a cursor': /\(sort_ms,sort_tie\)>\(\?,\?\)/,
  'actor in a month': /sort_ms>\?/,
  'a week': /sort_ms>\?/,
  'members in a month': /sort_ms>\?/,
};

/** Reads whose cost is bounded by the matches, not the page (docs/design-decisions.md). */
const ALLOWED: Record<string, string> = {
  'as-of page': 'walks the time index, skipping versions not valid at the position',
  'as-of crises': 'counts the versions valid at the position per crisis',
};

interface Recorded {
  readonly label: string;
  readonly sql: string;
  readonly args: unknown[];
}

/** Wraps db.prepare so that each statement run is recorded with its arguments. */
function recording(db: ReadDb, seen: Recorded[], label: () => string): void {
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const proxy: Statement = new Proxy(statement, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (prop === 'all' || prop === 'get' || prop === 'iterate' || prop === 'run') {
            seen.push({ label: label(), sql, args });
          }
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  }) as ReadDb['prepare'];
}

/** Table names by the names a statement's FROM and JOIN clauses give them. */
function aliases(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    const [, table, alias] = m;
    out.set(table!, table!);
    if (alias && !/^(ON|WHERE|JOIN|CROSS|LEFT|INNER|ORDER|GROUP|LIMIT|USING|UNION)$/i.test(alias))
      out.set(alias, table!);
  }
  return out;
}

function planOf(db: ReadDb, r: Recorded): string[] {
  return db
    .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${r.sql}`)
    .all(...r.args)
    .map((p) => p.detail);
}

function scansOfLogSizedTables(db: ReadDb, r: Recorded): string[] {
  const names = aliases(r.sql);
  return planOf(db, r).filter((detail) => {
    const m = /^SCAN (\w+)/.exec(detail);
    return m !== null && LOG_SIZED.has(names.get(m[1]!) ?? m[1]!);
  });
}

/** Statistics of a log a million entries long: the sample's own, every count scaled. */
function scaledStatistics(db: ReadDb, factor: number): void {
  db.exec('ANALYZE');
  const rows = db
    .prepare<[], { tbl: string; idx: string | null; stat: string }>('SELECT * FROM sqlite_stat1')
    .all();
  db.exec('DELETE FROM sqlite_stat1');
  const insert = db.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)');
  for (const r of rows) {
    const [n, ...per] = r.stat.split(' ');
    // Rows per distinct prefix grow with the log, except for (near-)unique prefixes.
    const grows = (x: string) => /^\d+$/.test(x) && Number(x) > 2;
    const scaled = [Number(n) * factor, ...per.map((x) => (grows(x) ? Number(x) * factor : x))];
    insert.run(r.tbl, r.idx, scaled.join(' '));
  }
  db.exec('ANALYZE sqlite_schema');
}

describe('query plans of the read routes at the size of a long log', () => {
  let t: TestApp;
  let db: ReadDb;
  const ids = { actor: '', entry: '', source: '', crisis: '', type: '', word: 'troops', seq: 0 };

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
    const head = await t.head();
    const page = (await t.get(`/v1/timeline?limit=200&minPosition=${head}`)).body.items as any[];
    const actors = (await t.get('/v1/actors?limit=500')).body.items as any[];
    const withMembers = await Promise.all(
      actors.map(async (a) => [a.actorId, (await t.get(`/v1/actors/${a.actorId}`)).body.members.length]),
    );
    ids.actor = withMembers.sort((a, b) => b[1] - a[1])[0]![0];
    ids.entry = page[0].entryId;
    ids.type = page[0].type;
    ids.source = page[0].source.sourceId;
    ids.crisis = page[0].crisisId;
    ids.seq = Math.floor(Number(head) / 2);
    await t.close({ keepData: true });
    db = openSqlite(join(t.dataDir, 'read-models.db'), { synchronous: 'NORMAL' });
  }, 60_000);
  afterAll(() => db?.close());

  async function everyRead(readers: Readers, at: (label: string) => void): Promise<void> {
    const asOf: Scope = { kind: 'seq', seq: ids.seq };
    const page = (label: string, q: Partial<TimelineQueryDto>, scope: Scope = CURRENT) => {
      at(label);
      return readers.timeline.page(q, scope);
    };
    const first = await page('page', { limit: 2 });
    await page('page after a cursor', { limit: 2, cursor: first.nextCursor ?? undefined });
    await page('actor', { actor: ids.actor });
    await page('actor with members', { actor: ids.actor, includeMembers: true });
    await page('actor in a month', { actor: ids.actor, from: '2022-02-01', to: '2022-03-01' });
    await page('members in a month', {
      actor: ids.actor,
      includeMembers: true,
      from: '2022-02-01',
      to: '2022-03-01',
    });
    await page('until a day', { to: '2022-02-24' });
    await page('status', { status: ['disputed'] });
    await page('grade and actor', { minReliability: 'C', actor: ids.actor });
    await page('a week', { from: '2022-02-20', to: '2022-02-27' });
    await page('type', { type: [ids.type] });
    await page('types and status', { type: [ids.type, 'DenialIssued'], status: ['disputed'] });
    await page('crisis', { crisis: ids.crisis });
    await page('grade', { minReliability: 'B' });
    await page('actor and type', { actor: ids.actor, type: [ids.type] });
    await page('search', { q: ids.word });
    await page('search with actor', { q: ids.word, actor: ids.actor });
    await page('as-of page', { limit: 50 }, asOf);
    await page('as-of page', { limit: 2, cursor: first.nextCursor ?? undefined }, asOf);
    at('entry');
    await readers.timeline.entry(ids.entry);
    at('as-of entry');
    await readers.timeline.entry(ids.entry, asOf);
    at('crises');
    await readers.timeline.crises();
    at('as-of crises');
    await readers.timeline.crises(asOf);
    at('actors');
    await readers.actors.list({ limit: 100 });
    at('actor view');
    await readers.actors.view(ids.actor, { includeMembers: false, limit: 50 });
    at('actor view with members');
    await readers.actors.view(ids.actor, { includeMembers: true, limit: 50 });
    at('as-of actors');
    await readers.actors.list({ limit: 100 }, asOf);
    await readers.actors.view(ids.actor, { includeMembers: true, limit: 50 }, asOf);
    at('sources');
    await readers.sources.list();
    await readers.sources.list('B');
    at('source view');
    await readers.sources.view(ids.source, 50);
    at('as-of scope');
    await readers.log.seqRecordedBy('2022-02-24T00:00:00.000Z');
    await readers.log.seqAtPosition(String(ids.seq));
    await readers.log.event(ids.seq);
    at('live changes');
    const live = timelineFilter({ actor: ids.actor }, (id) => ({ ids: [id], periods: [] }));
    if (live !== 'nothing') await readers.timeline.changes(0, ids.seq, live);
  }

  for (const [variant, prepare] of [
    ['without statistics (as the service runs)', () => db.exec('DROP TABLE IF EXISTS sqlite_stat1')],
    ['with the statistics of a million entries', () => scaledStatistics(db, 10_000)],
  ] as const) {
    it(`plans every read route from an index, ${variant}`, async () => {
      prepare();
      const seen: Recorded[] = [];
      let label = '';
      recording(db, seen, () => label);
      await everyRead(createReaders(db), (l) => (label = l));
      const labels = new Set(seen.map((r) => r.label));
      expect(labels.size).toBeGreaterThan(20);
      const problems = seen.flatMap((r) =>
        ALLOWED[r.label] ? [] : scansOfLogSizedTables(db, r).map((scan) => `${r.label}: ${scan}\n  ${r.sql}`),
      );
      expect(problems).toEqual([]);
      // An as-of read's position is found by one seek (on the loop, before the read goes to a worker).
      const scope = seen.filter((r) => r.label === 'as-of scope').flatMap((r) => planOf(db, r));
      expect(scope.length).toBeGreaterThanOrEqual(3);
      for (const detail of scope)
        expect(detail).toMatch(/USING (COVERING INDEX \w+ \(|INTEGER PRIMARY KEY \(rowid=\?\))/);
      for (const [label, bound] of Object.entries(BOUNDS)) {
        const ranges = seen
          .filter((r) => r.label === label)
          .flatMap((r) => planOf(db, r))
          .filter((detail) => detail.startsWith('SEARCH k USING PRIMARY KEY'));
        expect({ label, ranges: ranges.length > 0 }).toEqual({ label, ranges: true });
        for (const range of ranges)
          expect({ label, range }).toEqual({ label, range: expect.stringMatching(bound) });
      }
    });
  }
});
