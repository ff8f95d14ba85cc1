import { CRISIS, REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/** What did the chronology say at a given moment (transaction time)? */
describe('as-of reads', () => {
  let t: TestApp;
  let entryId: string;
  let beforeCorrection: string;
  let afterCorrection: string;
  let instantBetween: string;

  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
    const report = await t.append(
      'ShellingAlleged',
      reportBase(17, {
        summary: 'Kindergarten shelled in Stanytsia Luhanska',
        actors: [
          { actorId: 'separatists', role: 'agent' },
          { actorId: 'ukraine', role: 'claimant' },
        ],
      }),
    );
    entryId = report.entryId;
    beforeCorrection = (await t.append('EntryCorroborated', { entryId, sourceId: 'reuters' })).position;
    await t.get(`/v1/timeline?minPosition=${beforeCorrection}`);
    await new Promise((r) => setTimeout(r, 20));
    instantBetween = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    afterCorrection = (
      await t.append('EntryCorrected', {
        entryId,
        changes: {
          summary: 'Nursery school shelled in Stanytsia Luhanska; three staff injured',
          actors: [
            { actorId: 'separatists', role: 'agent' },
            { actorId: 'ukraine', role: 'claimant' },
            { actorId: 'russia', role: 'subject' },
          ],
        },
        reason: 'Ukrainian MoD gave details',
      })
    ).position;
    await t.append('ActorDetailsChanged', { actorId: 'separatists', name: 'Russian-backed separatists' });
    await t.append('SourceGraded', { sourceId: 'reuters', reliability: 'C', rationale: 'regraded later' });
    const last = await t.append('StatementMade', reportBase(20, { summary: 'a later entry' }));
    await t.get(`/v1/timeline?minPosition=${last.position}`);
  });
  afterAll(() => t.close());

  it('before the correction shows the original; after it, the corrected entry', async () => {
    const then = await t.get(`/v1/entries/${entryId}?atPosition=${beforeCorrection}`);
    expect(then.status).toBe(200);
    expect(then.body).toMatchObject({
      summary: 'Kindergarten shelled in Stanytsia Luhanska',
      corrections: 0,
      status: 'corroborated',
    });
    expect(then.body.asOf.position).toBe(beforeCorrection);
    expect(then.body.history.map((h: any) => h.type)).toEqual(['ShellingAlleged', 'EntryCorroborated']);
    const now = await t.get(`/v1/entries/${entryId}`);
    expect(now.body).toMatchObject({
      summary: 'Nursery school shelled in Stanytsia Luhanska; three staff injured',
      corrections: 1,
    });
    expect(now.body.history.map((h: any) => [h.type, h.principal])).toEqual([
      ['ShellingAlleged', expect.stringMatching(/^key:/)],
      ['EntryCorroborated', expect.stringMatching(/^key:/)],
      ['EntryCorrected', expect.stringMatching(/^key:/)],
    ]);
    expect(now.body.history[2].data.reason).toBe('Ukrainian MoD gave details');
  });

  it('asOf an instant reads what had been recorded by then, names and grades included', async () => {
    const then = await t.get(`/v1/entries/${entryId}?asOf=${instantBetween}`);
    expect(then.body.summary).toBe('Kindergarten shelled in Stanytsia Luhanska');
    expect(then.body.actors[0]).toEqual({
      actorId: 'separatists',
      name: 'Luhansk separatists',
      role: 'agent',
    });
    expect(then.body.corroboratedBy[0]).toMatchObject({ sourceId: 'reuters' });
    const timelineThen = await t.get(`/v1/timeline?crisis=${CRISIS}&asOf=${instantBetween}&minReliability=A`);
    expect(timelineThen.body.items).toEqual([]); // itv-news was B then too
    const now = await t.get(`/v1/entries/${entryId}`);
    expect(now.body.actors[0].name).toBe('Russian-backed separatists');
  });

  it('combines as-of with valid-time and actor filters', async () => {
    const q = (s: string) =>
      t.get(`/v1/timeline?crisis=${CRISIS}&${s}`).then((r) => r.body.items.map((i: any) => i.summary));
    expect(await q(`actor=russia&atPosition=${beforeCorrection}`)).toEqual([]);
    expect(await q(`actor=russia&atPosition=${afterCorrection}`)).toEqual([
      'Nursery school shelled in Stanytsia Luhanska; three staff injured',
    ]);
    expect(await q(`q=kindergarten&atPosition=${beforeCorrection}`)).toEqual([
      'Kindergarten shelled in Stanytsia Luhanska',
    ]);
    expect(await q('q=kindergarten')).toEqual([]);
    expect(await q(`from=2022-02-19&atPosition=${afterCorrection}`)).toEqual([]);
    expect(await q('from=2022-02-19')).toEqual(['a later entry']);
  });

  it('an actor view as of a moment sees only what was recorded by then', async () => {
    const then = await t.get(`/v1/actors/russia?atPosition=${beforeCorrection}`);
    expect(then.body.involvement.entries).toBe(0);
    const after = await t.get(`/v1/actors/russia?atPosition=${afterCorrection}`);
    expect(after.body.involvement).toMatchObject({ entries: 1, byRole: { subject: 1 } });
  });

  it('before anything was recorded there is nothing; bad as-of parameters are 400', async () => {
    expect((await t.get('/v1/timeline?asOf=2000-01-01T00:00:00Z')).body.items).toEqual([]);
    expect((await t.get(`/v1/entries/${entryId}?asOf=2000-01-01T00:00:00Z`)).status).toBe(404);
    expect((await t.get('/v1/timeline?asOf=yesterday')).status).toBe(400);
    expect((await t.get('/v1/timeline?asOf=2022-02-17T09:00:00')).status).toBe(400);
    // The limits of a reported time hold here too: offsets within ±18:00, years 0001-9999.
    expect((await t.get(`/v1/timeline?asOf=${encodeURIComponent('2022-02-17T10:00+25:00')}`)).status).toBe(
      400,
    );
    expect((await t.get(`/v1/timeline?to=${encodeURIComponent('+099999-01-01T00:00Z')}`)).status).toBe(400);
    expect((await t.get('/v1/timeline?from=0000-01-01')).status).toBe(400);
    expect((await t.get(`/v1/timeline?asOf=${instantBetween}&atPosition=3`)).status).toBe(400);
  });
});
