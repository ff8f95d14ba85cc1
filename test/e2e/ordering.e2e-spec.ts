import { CRISIS, REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/**
 * The timeline ordering rule (docs/ordering.md) as users meet it: through the projection, pages
 * read one entry at a time by cursor, as of a position, and moved by links as they are added and
 * removed.
 */
describe('timeline order (embedded SQLite, real HTTP)', () => {
  let t: TestApp;
  let last = '';
  const ids: Record<string, string> = {};

  const report = async (name: string, occurred: Record<string, unknown>): Promise<void> => {
    const res = await t.append('StatementMade', reportBase(21, { summary: name, occurred }));
    ids[name] = res.entryId as string;
    last = res.position;
  };
  const link = async (from: string, to: string, relation: string): Promise<void> => {
    const res = await t.post('/v1/events', {
      type: 'EntryLinked',
      data: { fromEntryId: ids[from], toEntryId: ids[to], relation, sourceId: 'reuters' },
    });
    expect(res.status).toBe(201);
    last = res.body.position;
  };
  const names = (items: any[]): string[] => items.map((i) => i.summary);

  /** The crisis's timeline read one entry per page, following the cursors. */
  async function byCursor(extra = ''): Promise<string[]> {
    const out: string[] = [];
    let cursor = '';
    for (let n = 0; n < 20; n++) {
      const res = await t.get(`/v1/timeline?crisis=${CRISIS}&limit=1&minPosition=${last}${extra}${cursor}`);
      expect(res.status).toBe(200);
      out.push(...names(res.body.items));
      if (!res.body.nextCursor) return out;
      cursor = `&cursor=${res.body.nextCursor}`;
    }
    throw new Error('more pages than entries');
  }
  const all = async (extra = ''): Promise<string[]> =>
    names((await t.get(`/v1/timeline?crisis=${CRISIS}&minPosition=${last}${extra}`)).body.items);

  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
    // Recorded in an order unlike the one they happened in.
    await report('the calls (that day)', { start: '2022-02-21', timezone: 'Europe/Moscow' });
    await report('the next day, 01:00', { start: '2022-02-22T01:00', timezone: 'Europe/Moscow' });
    await report('the signing, 22:35', { start: '2022-02-21T22:35', timezone: 'Europe/Moscow' });
    await report('the address, in the evening', {
      start: '2022-02-21',
      precision: 'evening',
      timezone: 'Europe/Moscow',
    });
    await report('the meeting, 17:00', { start: '2022-02-21T17:00', timezone: 'Europe/Moscow' });
    await report('February', { start: '2022-02', timezone: 'Europe/Moscow' });
  });
  afterAll(() => t.close());

  const unlinked = [
    'the meeting, 17:00',
    'the signing, 22:35',
    'the address, in the evening',
    'the calls (that day)',
    'the next day, 01:00',
    'February',
  ];

  it('sorts coarser entries after the finer ones within them, the same by page, by cursor and as of now', async () => {
    expect(await all()).toEqual(unlinked);
    expect(await byCursor()).toEqual(unlinked);
    expect(await all(`&atPosition=${last}`)).toEqual(unlinked);
    expect(await byCursor(`&atPosition=${last}`)).toEqual(unlinked);
    expect(await byCursor('&from=2022-02-21T18:00:00%2B03:00&to=2022-02-22')).toEqual([
      'the signing, 22:35',
      'the address, in the evening',
      'the calls (that day)',
      'the next day, 01:00',
      'February',
    ]);
  });

  it('refuses a window whose from is not before its to, naming it', async () => {
    const res = await t.get(`/v1/timeline?from=2022-02-22&to=2022-02-21`);
    expect([res.status, res.body.code, res.body.errors[0].path]).toEqual([400, 'validation_failed', 'from']);
    const empty = await t.get(`/v1/timeline?from=2022-02-22T00:00:00Z&to=2022-02-22T00:00:00Z`);
    expect(empty.status).toBe(400);
  });

  it('moves an entry by a link, through a chain, and back when the link is removed', async () => {
    const before = last;
    // "The calls took place before the address, which preceded the signing."
    await link('the calls (that day)', 'the address, in the evening', 'precedes');
    await link('the address, in the evening', 'the signing, 22:35', 'precedes');
    const linked = [
      'the meeting, 17:00',
      'the calls (that day)',
      'the address, in the evening',
      'the signing, 22:35',
      'the next day, 01:00',
      'February',
    ];
    expect(await all()).toEqual(linked);
    expect(await byCursor()).toEqual(linked);
    expect(await byCursor(`&atPosition=${last}`)).toEqual(linked);
    expect(await all(`&atPosition=${before}`)).toEqual(unlinked);

    const entry = await t.get(`/v1/entries/${ids['the calls (that day)']}?minPosition=${last}`);
    const linkId = entry.body.links.find((l: any) => l.relation === 'precedes').linkId as string;
    const unlink = await t.post('/v1/events', {
      type: 'EntryUnlinked',
      data: { crisisId: CRISIS, linkId, reason: 'the order of the calls was not reported' },
    });
    expect(unlink.status).toBe(201);
    last = unlink.body.position;
    expect(await byCursor()).toEqual([
      'the meeting, 17:00',
      'the address, in the evening',
      'the signing, 22:35',
      'the calls (that day)',
      'the next day, 01:00',
      'February',
    ]);
  });
});
