import { CRISIS, REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/** Disputes of one field of a report, by an actor or by a source: shown, counted and filtered. */
describe('field-level disputes (embedded SQLite, real HTTP)', () => {
  let t: TestApp;
  let shelling: string;
  let other: string;
  let last = '';

  const dispute = (data: Record<string, unknown>) => t.post('/v1/events', { type: 'EntryDisputed', data });
  const ids = async (query: string): Promise<string[]> => {
    const res = await t.get(`/v1/timeline?crisis=${CRISIS}&minPosition=${last}&${query}`);
    expect(res.status).toBe(200);
    return res.body.items.map((i: any) => i.entryId);
  };

  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
    const a = await t.append(
      'ShellingAlleged',
      reportBase(17, { occurred: { start: '2022-02-17T05:00', timezone: 'Europe/Kyiv' } }),
    );
    shelling = a.entryId;
    const b = await t.append('StatementMade', reportBase(18));
    other = b.entryId;
    last = b.position;
  });
  afterAll(() => t.close());

  it('records a source disputing the hour alone, against the source that carried the report', async () => {
    const res = await dispute({
      entryId: shelling,
      bySourceId: 'reuters',
      field: 'occurred',
      alternative: 'at about 07:00, not 05:00',
      reason: 'Reuters reports the first explosions two hours later',
    });
    expect(res.status).toBe(201);
    last = res.body.position;
    const entry = (await t.get(`/v1/entries/${shelling}?minPosition=${last}`)).body;
    expect(entry.status).toBe('disputed');
    expect(entry.disputed).toEqual({ wholeEntry: false, fields: ['occurred'] });
    expect(entry.disputedBy).toEqual([
      expect.objectContaining({
        bySourceId: 'reuters',
        name: 'Reuters',
        field: 'occurred',
        alternative: 'at about 07:00, not 05:00',
      }),
    ]);
    expect(await ids('disputed=occurred')).toEqual([shelling]);
    expect(await ids('disputed=*')).toEqual([]);
  });

  it('tells a dispute of the whole entry from one of a field, now and as of a position', async () => {
    const before = last;
    const res = await dispute({
      entryId: other,
      byActorId: 'russia',
      reason: 'nothing of the kind was said',
    });
    expect(res.status).toBe(201);
    last = res.body.position;
    expect((await t.get(`/v1/entries/${other}?minPosition=${last}`)).body.disputed).toEqual({
      wholeEntry: true,
      fields: [],
    });
    expect(await ids('disputed=*')).toEqual([other]);
    expect(await ids('disputed=*,occurred')).toEqual([shelling, other]);
    expect(await ids(`disputed=*&atPosition=${before}`)).toEqual([]);
    expect(await ids(`disputed=occurred&atPosition=${before}`)).toEqual([shelling]);
  });

  it('refuses a dispute naming no one, by the carrying source, or of a field the entry lacks, and stores nothing', async () => {
    const head = await t.head();
    const nobody = await dispute({ entryId: shelling, field: 'occurred', reason: 'x' });
    expect(nobody.status).toBe(400);
    expect(nobody.body.errors).toEqual([expect.objectContaining({ path: 'data.byActorId' })]);
    const own = await dispute({ entryId: shelling, bySourceId: 'itv-news', reason: 'x' });
    expect([own.status, own.body.code]).toEqual([422, 'rule_violated']);
    const lacking = await dispute({ entryId: shelling, byActorId: 'russia', field: 'diplomat', reason: 'x' });
    expect([lacking.status, lacking.body.detail]).toEqual([422, expect.stringMatching(/no field diplomat/)]);
    const unknown = await dispute({ entryId: shelling, bySourceId: 'nobody-news', reason: 'x' });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'unknown_reference']);
    const badField = await dispute({ entryId: shelling, byActorId: 'russia', field: 'colour', reason: 'x' });
    expect(badField.status).toBe(400);
    expect(await t.head()).toBe(head);
  });
});
