import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { join } from 'node:path';
import type { ReadDb } from '../../src/projections/projection';
import { timelineFilter } from '../../src/projections/timeline/timeline.filter';
import { TimelineHistogram, type BucketUnit } from '../../src/projections/timeline/timeline.histogram';
import type { TimelineQueryDto } from '../../src/projections/timeline/timeline-query.dto';
import { registerPlaceKey } from '../../src/projections/timeline/timeline.keys';
import { openSqlite } from '../../src/shared/sqlite';
import { TestApp } from './harness';

const DAY = 86_400_000;

/** The first day of the bucket holding `ms`, computed here apart from the service's SQL. */
function bucketStart(unit: BucketUnit, ms: number): string {
  const d = new Date(ms);
  const day = Math.floor(ms / DAY);
  switch (unit) {
    case 'day':
      return new Date(day * DAY).toISOString();
    case 'week': {
      const sinceMonday = (((day + 3) % 7) + 7) % 7; // 1 January 1970 was a Thursday
      return new Date((day - sinceMonday) * DAY).toISOString();
    }
    case 'month':
      return firstDay(d.getUTCFullYear(), d.getUTCMonth());
    case 'year':
      return firstDay(d.getUTCFullYear(), 0);
  }
}

/** The first of a month as an ISO instant (setUTCFullYear: Date.UTC takes years 0-99 for 1900-1999). */
function firstDay(year: number, month: number): string {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 1);
  return d.toISOString();
}

/**
 * GET /v1/timeline/histogram: the timeline's filters counted per calendar bucket, checked against
 * the timeline's own pages, in one indexed aggregate.
 */
describe('GET /v1/timeline/histogram (sample chronology, real HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
  }, 60_000);
  afterAll(() => t?.close());

  /** Every entry the timeline lists for a filter, all pages. */
  async function timelineOf(query: string): Promise<any[]> {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: any } = await t.get(
        `/v1/timeline?limit=200&${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }

  const FILTERS = [
    '',
    'actor=russia&includeMembers=true',
    'status=disputed,reported',
    'type=ShellingAlleged,DenialIssued,StatementMade',
    'from=2022-02-16&to=2022-02-17',
    'from=2022-02-16T06:00:00Z&actor=ukraine',
    'minReliability=B',
    'q=troops',
    'crisis=russia-ukraine-2022&status=disputed',
    'place=line%20of%20contact,%20eastern%20ukraine',
  ];

  it.each(FILTERS)(
    'counts per bucket what the timeline lists (%s)',
    async (filter) => {
      const items = await timelineOf(filter);
      for (const unit of ['day', 'week', 'month', 'year'] as const) {
        const expected = new Map<string, number>();
        for (const i of items) {
          const b = bucketStart(unit, Date.parse(i.occurred.start));
          expected.set(b, (expected.get(b) ?? 0) + 1);
        }
        const res = await t.get(`/v1/timeline/histogram?bucket=${unit}&${filter}`);
        expect(res.status).toBe(200);
        expect(res.body.bucket).toBe(unit);
        expect(res.body.total).toBe(items.length);
        const got = new Map(res.body.buckets.map((b: any) => [b.start, b.count]));
        expect(got).toEqual(new Map([...expected].sort(([a], [b]) => a.localeCompare(b))));
        // In time order, each ending where its unit does.
        const starts = res.body.buckets.map((b: any) => b.start);
        expect(starts).toEqual([...starts].sort());
        for (const b of res.body.buckets) {
          expect(bucketStart(unit, Date.parse(b.end) - 1)).toBe(b.start);
          expect(bucketStart(unit, Date.parse(b.end))).toBe(b.end);
        }
      }
      expect(items.length).toBeGreaterThan(0);
    },
    60_000,
  );

  it('auto takes the finest unit with at most 200 buckets over from..to, or over the matches', async () => {
    const auto = async (q: string) => (await t.get(`/v1/timeline/histogram?${q}`)).body.bucket;
    expect(await auto('from=2022-01-01&to=2022-07-19')).toBe('day'); // 200 days
    expect(await auto('from=2022-01-01&to=2022-07-20')).toBe('week');
    expect(await auto('from=2010-01-01&to=2026-01-01')).toBe('month');
    expect(await auto('from=1990-01-01&to=2026-01-01')).toBe('year');
    // The sample spans a few days of February 2022.
    const all = (await t.get('/v1/timeline/histogram')).body;
    expect(all.bucket).toBe('day');
    expect(all.total).toBe((await timelineOf('')).length);
    // Nothing matches: no buckets.
    const none = (await t.get('/v1/timeline/histogram?q=zzzzqqq')).body;
    expect(none).toMatchObject({ total: 0, buckets: [] });
  }, 60_000);

  it('answers what the OpenAPI document says, with the read position', async () => {
    const document = (await t.get('/openapi.json', { key: null })).body;
    const ajv = new Ajv({ strict: false, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema({ ...document, $id: 'openapi' });
    const validate = ajv.compile({
      $ref: 'openapi#/paths/~1v1~1timeline~1histogram/get/responses/200/content/application~1json/schema',
    });
    const res = await t.get('/v1/timeline/histogram?bucket=week&actor=russia&includeMembers=true');
    expect(validate(res.body)).toBe(true);
    expect(res.body.position).toBe(await t.head());
    const params = document.paths['/v1/timeline/histogram'].get.parameters.map((p: any) => p.name);
    expect(params).toEqual(expect.arrayContaining(['bucket', 'actor', 'from', 'to', 'q', 'minReliability']));
    expect(params).not.toEqual(expect.arrayContaining(['asOf']));
  });

  it.each([
    ['bucket=hour', 'bucket', /bucket must be one of day, week, month, year, auto/],
    ['bucket=', 'bucket', /bucket/],
    ['asOf=2022-02-17T00:00:00Z', 'asOf', /current timeline/],
    ['atPosition=3', 'atPosition', /current timeline/],
    ['limit=5', 'limit', /should not exist/],
    ['from=2022-02-18&to=2022-02-17', 'from', /before/],
    ['from=yesterday', 'from', /from must be a date/],
  ])('refuses %s with a problem naming %s', async (query, path, message) => {
    const res = await t.get(`/v1/timeline/histogram?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
    const named = res.body.errors.find((e: any) => e.path === path);
    expect(named?.message).toMatch(message);
  });

  it('gives every bucket a valid end at the ends of the years the API takes (0001 and 9999)', async () => {
    // SQLite's date() has no year 10000: the end of a bucket in 9999 was "nullT00:00:00.000Z".
    const word = 'farthestyearsqx';
    let position = '';
    for (const start of ['9999-12-31T12:00:00Z', '0001-03-05T00:00:00Z']) {
      const res = await t.append('StatementMade', {
        crisisId: 'russia-ukraine-2022',
        summary: `Statement ${word} dated ${start}`,
        occurred: { start, timezone: 'UTC' },
        actors: [{ actorId: 'russia', role: 'claimant' }],
        attribution: { sourceId: 'itv-news' },
      });
      position = res.position;
    }
    expect((await t.get(`/v1/timeline?limit=1&minPosition=${position}`)).status).toBe(200);
    const expectedEnd: Record<BucketUnit, [string, string]> = {
      day: ['9999-12-31T00:00:00.000Z', '+010000-01-01T00:00:00.000Z'],
      week: ['9999-12-27T00:00:00.000Z', '+010000-01-03T00:00:00.000Z'],
      month: ['9999-12-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z'],
      year: ['9999-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z'],
    };
    for (const unit of ['day', 'week', 'month', 'year'] as const) {
      const res = await t.get(`/v1/timeline/histogram?bucket=${unit}&q=${word}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(2);
      const [early, late] = res.body.buckets;
      expect([late.start, late.end]).toEqual(expectedEnd[unit]);
      // Both read back as the instants they name, each bucket exactly one unit long.
      for (const b of [early, late]) {
        const end = Date.parse(b.end);
        expect(new Date(end).toISOString()).toBe(b.end);
        expect(bucketStart(unit, end - 1)).toBe(b.start);
        expect(bucketStart(unit, end)).toBe(b.end);
      }
      // Year 1 stays year 1 (Date.UTC would take it for 1901).
      expect(early.start.slice(0, 4)).toBe('0001');
    }
    // The OpenAPI document describes the expanded year.
    const document = (await t.get('/openapi.json', { key: null })).body;
    const ajv = new Ajv({ strict: false, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema({ ...document, $id: 'openapi' });
    const validate = ajv.compile({
      $ref: 'openapi#/paths/~1v1~1timeline~1histogram/get/responses/200/content/application~1json/schema',
    });
    const yearly = (await t.get(`/v1/timeline/histogram?bucket=year&q=${word}`)).body;
    expect([validate(yearly), validate.errors]).toEqual([true, null]);
    const auto = (await t.get(`/v1/timeline/histogram?q=${word}`)).body;
    expect(auto.bucket).toBe('year');
    expect(auto.buckets.map((b: any) => b.end)).toEqual([
      '0002-01-01T00:00:00.000Z',
      '+010000-01-01T00:00:00.000Z',
    ]);
  }, 60_000);

  describe('its statements', () => {
    let db: ReadDb;
    beforeAll(async () => {
      await t.get(`/v1/timeline?minPosition=${await t.head()}`);
      // A connection of its own, read-only as the read workers' are, beside the running service.
      db = openSqlite(join(t.dataDir, 'read-models.db'), { synchronous: 'NORMAL', readonly: true });
      registerPlaceKey(db);
    }, 60_000);
    afterAll(() => db?.close());

    const queries: Array<Partial<TimelineQueryDto>> = [
      {},
      { crisis: 'russia-ukraine-2022', from: '2022-02-16', to: '2022-02-18' },
      { actor: 'russia', includeMembers: true },
      { type: ['ShellingAlleged', 'DenialIssued'], status: ['disputed'] },
      { minReliability: 'B' },
      { q: 'troops' },
    ];

    it.each(queries.map((q) => [JSON.stringify(q), q]))(
      'are one aggregate over index searches, never a scan of a table that grows with the log (%s)',
      (_label, query) => {
        const histogram = new TimelineHistogram(db);
        const f = timelineFilter(query, (id) => ({ ids: [id], periods: [] }));
        if (f === 'nothing') throw new Error('filter matches nothing');
        const { sql, params } = histogram.plan(f, 'week');
        const plan = db
          .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...params, 10)
          .map((p) => p.detail);
        expect(plan.filter((d) => /^SCAN (k|v)\b/.test(d))).toEqual([]);
        expect(plan.some((d) => /^SEARCH v USING (COVERING )?INDEX timeline_current_by_entry/.test(d))).toBe(
          true,
        );
        if (query.q === undefined) {
          expect(
            plan.some((d) => /^SEARCH k USING PRIMARY KEY \(dim=\? AND value=\? AND span=\?/.test(d)),
          ).toBe(true);
        }
        // One grouped statement: the counts, not the entries, come back.
        expect(plan.some((d) => /GROUP BY/.test(d))).toBe(true);
      },
    );
  });
});
