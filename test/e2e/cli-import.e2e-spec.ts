import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/cli/chronology';
import { cli } from './cli-run';
import { ADMIN_KEY, TestApp } from './harness';

const ACLED = join(__dirname, '../fixtures/acled-import.csv');
const CRISIS = 'russia-ukraine-2022';

async function importJson(t: TestApp, args: string[]): Promise<{ code: number; result: any }> {
  const run = await cli(['import', ...args, '--url', t.url, '--api-key', ADMIN_KEY, '--json']);
  return { code: run.code, result: JSON.parse(run.out) };
}

/** Where a row's problems are, as the report gives them: "line:field" for each. */
const where = (result: any): string[] => result.rejected.map((r: any) => `${r.line}:${r.field}`);

/** Entries by content: positions and recording times (which differ between stores) left out. */
function contentDigest(ndjson: string): { count: number; digest: string } {
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => !['position', 'recordedAt', 'updatedAt', 'registeredAt'].includes(k))
              .map(([k, x]) => [k, strip(x)]),
          )
        : v;
  const lines = ndjson
    .trim()
    .split('\n')
    .map((l) => JSON.stringify(strip(JSON.parse(l))));
  return { count: lines.length, digest: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

describe('chronology import: an ACLED-layout CSV', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  let work: string;
  const base = ['--crisis', CRISIS, '--timezone', 'Europe/Kyiv'];

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'false' });
    work = mkdtempSync(join(tmpdir(), 'chronology-import-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('a dry run maps and checks every row, names the bad ones, and sends nothing', async () => {
    const before = await t.head();
    const { code, result } = await importJson(t, [ACLED, ...base, '--dry-run']);
    expect(code).toBe(EXIT.rejectedRows);
    expect(result).toMatchObject({ dryRun: true, rows: 8, stored: 0, batches: 0 });
    expect(where(result)).toEqual(['5:event_date', '6:event_type', '7:actor1', '10:latitude']);
    expect(result.registered.actors).toHaveLength(4);
    expect(await t.head()).toBe(before);
  });

  it('imports the good rows, reports each bad row with its line and column, and shows the good ones', async () => {
    const { code, result } = await importJson(t, [ACLED, ...base]);
    expect(code).toBe(EXIT.rejectedRows);
    expect(where(result)).toEqual(['5:event_date', '6:event_type', '7:actor1', '10:latitude']);
    expect(result.rejected[0].reason).toContain('2022-02-30');
    expect(result.rejected[1].reason).toContain('Parades');
    // 4 reports, 1 corroboration (a row with two sources), 4 actors, 2 sources, the crisis.
    expect(result).toMatchObject({ stored: 12, alreadyStored: 0, failed: 0 });
    expect(result.registered).toEqual({
      actors: [
        'military-forces-of-russia-2000',
        'civilians-ukraine',
        'military-forces-of-ukraine-2019',
        'protesters-ukraine',
      ],
      sources: ['ukrainska-pravda', 'kyiv-independent'],
      crises: [CRISIS],
    });

    const timeline = (await t.get(`/v1/timeline?crisis=${CRISIS}&minPosition=${result.position}`)).body;
    expect(timeline.items.map((i: any) => [i.type, i.occurred.startLocal.slice(0, 10)])).toEqual([
      ['ShellingAlleged', '2022-02-17'],
      ['IncidentReported', '2022-02-17'],
      ['IncidentReported', '2022-02-19'],
      ['TroopBuildupReported', '2022-02-20'],
    ]);
    const [shelling, clash] = timeline.items;
    expect(shelling).toMatchObject({
      status: 'corroborated',
      source: { sourceId: 'ukrainska-pravda' },
      locations: [
        { name: 'Stanytsia Luhanska', countryCode: 'UA', lat: 48.6542, lon: 39.4919, geoPrecision: 1 },
      ],
    });
    expect(shelling.actors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: 'military-forces-of-russia-2000', role: 'agent' }),
        expect.objectContaining({ actorId: 'civilians-ukraine', role: 'target' }),
      ]),
    );
    // A quoted note over two lines, with quotes in it, and ACLED's other date form.
    expect(clash.summary).toBe('Clashes near Avdiivka; "heavy" fire reported\nover the night.');
    expect(clash.quantities).toEqual([expect.objectContaining({ kind: 'killed', low: 3, high: 3 })]);
  });

  it('a second run imports nothing new, registrations included', async () => {
    const before = await t.head();
    const { code, result } = await importJson(t, [ACLED, ...base]);
    expect(code).toBe(EXIT.rejectedRows);
    expect(result).toMatchObject({ stored: 0, alreadyStored: 5, failed: 0 });
    expect(result.registered).toEqual({ actors: [], sources: [], crises: [] });
    expect(await t.head()).toBe(before);
  });

  it('a mapping file maps another event type and names to registered ids', async () => {
    const mapping = join(work, 'mapping.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        eventTypes: { 'Parades|Victory parade': { type: 'StatementMade' } },
        actors: { 'Protesters (Ukraine)': 'military-forces-of-ukraine-2019' },
      }),
    );
    const { result } = await importJson(t, [ACLED, ...base, '--mapping', mapping]);
    // The parade row is new. The Lviv row names another actor now: same event id, another body,
    // and the store refuses to change what it holds (409); the report names that row too.
    expect(where(result)).toEqual(['5:event_date', '7:actor1', '8:(row)', '10:latitude']);
    expect(result.rejected[2]).toMatchObject({ status: 409 });
    expect(result).toMatchObject({ stored: 1, alreadyStored: 4, failed: 1 });
    const query = `crisis=${CRISIS}&type=StatementMade&minPosition=${result.position}`;
    const timeline = (await t.get(`/v1/timeline?${query}`)).body;
    expect(timeline.items).toHaveLength(1);
    expect(timeline.items[0].actors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: 'military-forces-of-ukraine-2019', role: 'agent' }),
      ]),
    );
  });

  it('rows the server refuses are reported by line and column too', async () => {
    const csv = join(work, 'zone.csv');
    writeFileSync(
      csv,
      [
        'event_id_cnty,event_date,event_type,sub_event_type,actor1,country,location,source,notes',
        'ZZ1,2022-03-01,Protests,Peaceful protest,Students,Ukraine,Odesa,Local press,A rally.',
      ].join('\n'),
    );
    const { code, result } = await importJson(t, [
      csv,
      '--crisis',
      CRISIS,
      '--timezone',
      'Mars/Olympus_Mons',
    ]);
    expect(code).toBe(EXIT.rejectedRows);
    expect(result.rejected).toEqual([
      expect.objectContaining({ line: 2, field: 'event_date', status: 400, code: 'validation_failed' }),
    ]);
  });

  it('a file that is not in ACLED layout, or no --crisis, is a usage error', async () => {
    const csv = join(work, 'other.csv');
    writeFileSync(csv, 'a,b\n1,2\n');
    expect((await importJson(t, [csv, '--crisis', CRISIS])).code).toBe(EXIT.usage);
    expect((await importJson(t, [ACLED])).code).toBe(EXIT.usage);
  });
});

describe('chronology import: NDJSON round trip through an empty store', () => {
  jest.setTimeout(90_000);
  let source: TestApp;
  let target: TestApp;
  let work: string;

  beforeAll(async () => {
    source = await TestApp.start({ LOAD_SAMPLE: 'true' });
    target = await TestApp.start({ LOAD_SAMPLE: 'false' });
    work = mkdtempSync(join(tmpdir(), 'chronology-roundtrip-'));
  });
  afterAll(async () => {
    await source.close();
    await target.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('the exported log imported into an empty store gives the same timeline, and a second run adds nothing', async () => {
    const log = join(work, 'log.ndjson');
    const key = ['--api-key', ADMIN_KEY];
    expect((await cli(['export', '--url', source.url, ...key, '-o', log])).code).toBe(EXIT.ok);

    const first = await importJson(target, [log]);
    expect(first.code).toBe(EXIT.ok);
    const events = readFileSync(log, 'utf8').trim().split('\n').length;
    // Every event but the API key's (never imported) is stored.
    expect(first.result).toMatchObject({
      rows: events,
      skipped: 1,
      stored: events - 1,
      failed: 0,
      rejected: [],
    });

    const exported = async (app: TestApp): Promise<string> => {
      const run = await cli(['export', '--format', 'ndjson', '--url', app.url]);
      expect(run.code).toBe(EXIT.ok);
      return run.out;
    };
    await target.get(`/v1/timeline?limit=1&minPosition=${first.result.position}`);
    const original = contentDigest(await exported(source));
    const copy = contentDigest(await exported(target));
    expect(copy.count).toBeGreaterThan(20);
    expect(copy).toEqual(original);

    const second = await importJson(target, [log]);
    expect(second.result).toMatchObject({ stored: 0, alreadyStored: events - 1, failed: 0 });
  });

  it('"@ref" names an entry started in an earlier batch as well as in the same one', async () => {
    const file = join(work, 'refs.ndjson');
    const report = {
      type: 'StatementMade',
      ref: 'stmt',
      data: {
        crisisId: 'russia-ukraine-2022',
        summary: 'A statement imported with a ref.',
        occurred: { start: '2022-02-18', timezone: 'Europe/Kyiv' },
        actors: [{ actorId: 'russia', role: 'claimant' }],
        attribution: { sourceId: 'itv-news' },
      },
    };
    const followUp = { type: 'EntryCorroborated', data: { entryId: '@stmt', sourceId: 'ap' } };
    writeFileSync(file, `${JSON.stringify(report)}\n${JSON.stringify(followUp)}\n`);
    const { code, result } = await importJson(target, [file, '--batch-size', '1']);
    expect(code).toBe(EXIT.ok);
    expect(result).toMatchObject({ batches: 2, stored: 2, rejected: [] });
    const timeline = await target.get(
      `/v1/timeline?q=imported%20with%20a%20ref&minPosition=${result.position}`,
    );
    expect(timeline.body.items).toEqual([
      expect.objectContaining({ status: 'corroborated', corroborations: 1 }),
    ]);
  });

  it('POST bodies without ids get ids from their content: a second run stores nothing new', async () => {
    const file = join(work, 'bodies.ndjson');
    const lines = [
      { type: 'CrisisRegistered', data: { crisisId: 'bodies', name: 'Bodies' } },
      { type: 'ActorRegistered', data: { actorId: 'body-actor', name: 'Body Actor', kind: 'state' } },
      { type: 'NoSuchType', data: {} },
      'not json',
    ];
    writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
    const first = await importJson(target, [file]);
    expect(first.code).toBe(EXIT.rejectedRows);
    expect(first.result.stored).toBe(2);
    expect(where(first.result)).toEqual(['3:type', '4:(line)']);
    const second = await importJson(target, [file]);
    expect(second.result).toMatchObject({ stored: 0, alreadyStored: 2 });
  });
});
