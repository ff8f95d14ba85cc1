import { CRISIS, REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/** Several places per report, each with a role; disputed places; the timeline by country and place. */
describe('places of a report (embedded SQLite, real HTTP)', () => {
  let t: TestApp;
  let strikes: string;
  let single: string;
  let disputed: string;
  let last = '';

  const ids = async (query: string): Promise<string[]> => {
    const res = await t.get(`/v1/timeline?crisis=${CRISIS}&minPosition=${last}&${query}`);
    expect(res.status).toBe(200);
    return res.body.items.map((i: any) => i.entryId);
  };
  const report = async (day: number, extra: Record<string, unknown>) => {
    const res = await t.append('ShellingAlleged', reportBase(day, extra));
    last = res.position;
    return res.entryId as string;
  };

  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
    strikes = await report(24, {
      summary: 'strikes reported in several cities at once',
      locations: [
        { name: 'Kharkiv', countryCode: 'UA', geoPrecision: 2, role: 'target' },
        { name: 'Kyïv', countryCode: 'UA', geoPrecision: 2, role: 'target' },
        { name: 'Belgorod', countryCode: 'RU', geoPrecision: 2, role: 'origin' },
        { name: 'Чугуїв', countryCode: 'UA', geoPrecision: 2, role: 'target' },
      ],
    });
    single = await report(23, { location: { name: 'Shchastia', countryCode: 'UA', geoPrecision: 2 } });
    disputed = await report(25, {
      locations: [{ name: 'Simferopol', disputed: true, claimedBy: ['UA', 'RU'], geoPrecision: 2 }],
    });
  });
  afterAll(() => t.close());

  it('keeps every place a report names, with its role; one `location` is a place where it happened', async () => {
    const entry = (await t.get(`/v1/entries/${strikes}?minPosition=${last}`)).body;
    expect(entry.locations.map((l: any) => [l.name, l.role])).toEqual([
      ['Kharkiv', 'target'],
      ['Kyïv', 'target'],
      ['Belgorod', 'origin'],
      ['Чугуїв', 'target'],
    ]);
    const one = (await t.get(`/v1/entries/${single}?minPosition=${last}`)).body;
    expect(one.locations).toEqual([{ name: 'Shchastia', countryCode: 'UA', geoPrecision: 2, role: 'where' }]);
    expect(one.location).toEqual(one.locations[0]);
    const contested = (await t.get(`/v1/entries/${disputed}?minPosition=${last}`)).body;
    expect(contested.locations[0]).toMatchObject({ disputed: true, claimedBy: ['UA', 'RU'] });
    expect(contested.locations[0].countryCode).toBeUndefined();
  });

  it('filters by country and by place, now and as of a position, and finds places by text', async () => {
    expect(await ids('country=RU')).toEqual([strikes, disputed]);
    expect(await ids('country=UA')).toEqual([single, strikes, disputed]);
    expect(await ids('place=kharkiv')).toEqual([strikes]);
    expect(await ids('place=%20Shchastia%20')).toEqual([single]);
    expect(await ids(`country=RU&atPosition=${last}`)).toEqual([strikes, disputed]);
    // Folded beyond ASCII the same way now and as of a position (SQLite's lower() folds A-Z only).
    expect(await ids(`place=${encodeURIComponent('KYÏV')}`)).toEqual([strikes]);

    expect(await ids('q=belgorod')).toEqual([strikes]);
    // An earlier position than the head is read from the stored documents, not the key index.
    const before = last;
    await report(26, { location: { name: 'Odesa', countryCode: 'UA', geoPrecision: 2 } });
    expect(await ids(`place=${encodeURIComponent('KYÏV')}&atPosition=${before}`)).toEqual([strikes]);
    expect(await ids(`place=${encodeURIComponent('чугуїв')}`)).toEqual([strikes]);
    expect(await ids(`place=${encodeURIComponent('чугуїв')}&atPosition=${before}`)).toEqual([strikes]);
  });

  it("refuses a place with neither country nor dispute, one side's code on a disputed place, and both forms at once", async () => {
    const head = await t.head();
    const post = (extra: Record<string, unknown>) =>
      t.post('/v1/events', { type: 'ShellingAlleged', data: reportBase(26, extra) });
    const bad = [
      [{ locations: [{ name: 'Nowhere', geoPrecision: 3 }] }, 'data.locations.0.countryCode'],
      [
        {
          locations: [
            {
              name: 'Simferopol',
              disputed: true,
              countryCode: 'RU',
              claimedBy: ['UA', 'RU'],
              geoPrecision: 2,
            },
          ],
        },
        'data.locations.0.countryCode',
      ],
      [
        { locations: [{ name: 'Simferopol', disputed: true, geoPrecision: 2 }] },
        'data.locations.0.claimedBy',
      ],
      [
        {
          location: { name: 'Kyiv', countryCode: 'UA', geoPrecision: 2 },
          locations: [{ name: 'Kyiv', countryCode: 'UA', geoPrecision: 2 }],
        },
        'data.location',
      ],
    ] as const;
    for (const [extra, path] of bad) {
      const res = await post(extra);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.errors.map((e: any) => e.path)).toContain(path);
    }
    expect(await t.head()).toBe(head);
  });
});
