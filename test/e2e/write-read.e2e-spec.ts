import { CRISIS, REGISTRY, REPORTS, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

describe('POST /v1/events then the read side (embedded SQLite, real HTTP)', () => {
  let t: TestApp;
  const entries: Record<string, string> = {};
  let last = '';

  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
    for (const r of REPORTS) {
      const res = await t.append(r.type, r.data);
      entries[r.type] = res.entryId;
      last = res.position;
    }
  });
  afterAll(() => t.close());

  it('answers a report with 201, its stream, revision, position and entry id', async () => {
    const res = await t.post('/v1/events', {
      type: 'StatementMade',
      data: reportBase(20, { summary: 'one more' }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'StatementMade', revision: 0 });
    expect(res.body.stream).toBe(`entry-${res.body.entryId}`);
    expect(res.body.position).toMatch(/^\d+$/);
    expect(res.headers.get('etag')).toBe('"0"');
  });

  it('shows every report type on the timeline, ordered by when it happened, not by arrival', async () => {
    const res = await t.get(`/v1/timeline?crisis=${CRISIS}&limit=200&minPosition=${last}`);
    expect(res.status).toBe(200);
    const types = res.body.items.map((i: any) => i.type);
    for (const r of REPORTS) expect(types).toContain(r.type);
    const starts = res.body.items.map((i: any) => Date.parse(i.occurred.start));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    const expelled = res.body.items.find((i: any) => i.type === 'DiplomatExpelled');
    expect(expelled).toMatchObject({
      status: 'reported',
      claimants: [{ actorId: 'united-kingdom', name: 'United Kingdom' }],
      source: { sourceId: 'itv-news', name: 'ITV News', reliability: 'B' },
      grade: { reliability: 'B', credibility: null, code: 'B6' },
      codes: { cameo: ['174'], plover: { type: 'SANCTION', mode: 'expel' } },
      details: {
        diplomat: { name: 'Bart Gorman', title: 'deputy chief of mission' },
        expellingActorId: 'russia',
      },
      occurred: { start: '2022-02-03T22:00:00.000Z', precision: 'day', timezone: 'Europe/Kyiv' },
    });
  });

  it('puts a late-arriving report about an earlier day before later ones', async () => {
    const late = await t.append(
      'StatementMade',
      reportBase(1, { summary: 'arrived last, happened first', occurred: { start: '2022-01-31T10:00Z' } }),
    );
    const res = await t.get(`/v1/timeline?crisis=${CRISIS}&limit=1&minPosition=${late.position}`);
    expect(res.body.items[0].entryId).toBe(late.entryId);
  });

  it('applies every follow-up and shows it on the entry, its history and the timeline', async () => {
    const id = entries.TroopWithdrawalClaimed!;
    await t.append('EntryCorroborated', { entryId: id, sourceId: 'reuters', note: 'same account' });
    let res = await t.get(
      `/v1/entries/${id}?minPosition=${(await t.append('StatementMade', reportBase(21))).position}`,
    );
    expect(res.body).toMatchObject({
      status: 'corroborated',
      corroborations: 1,
      corroboratedBy: [{ sourceId: 'reuters', name: 'Reuters' }],
    });

    const counter = entries.StatementMade!;
    await t.append('EntryDisputed', {
      entryId: id,
      byActorId: 'nato',
      counterEntryId: counter,
      reason: 'no withdrawal seen',
    });
    const corrected = await t.append('EntryCorrected', {
      entryId: id,
      changes: { summary: 'Kremlin says some units are returning to base' },
      reason: 'closer wording',
    });
    res = await t.get(`/v1/entries/${id}?minPosition=${corrected.position}`);
    expect(res.body).toMatchObject({
      status: 'disputed',
      summary: 'Kremlin says some units are returning to base',
      corrections: 1,
      disputedBy: [{ byActorId: 'nato', name: 'NATO', counterEntryId: counter }],
    });
    const counterView = await t.get(`/v1/entries/${counter}`);
    expect(counterView.body.counters).toEqual([{ entryId: id, how: 'dispute' }]);

    const assessed = await t.append('CredibilityAssessed', {
      entryId: id,
      credibility: 5,
      rationale: 'contradicted by video',
    });
    res = await t.get(`/v1/entries/${id}?minPosition=${assessed.position}`);
    expect(res.body).toMatchObject({
      status: 'refuted',
      grade: { reliability: 'B', credibility: 5, code: 'B5' },
    });

    const retracted = await t.append('EntryRetracted', { entryId: id, reason: 'withdrawn by the desk' });
    res = await t.get(`/v1/entries/${id}?minPosition=${retracted.position}`);
    expect(res.body).toMatchObject({
      status: 'retracted',
      retracted: true,
      retraction: { reason: 'withdrawn by the desk' },
    });
    expect(res.body.history.map((h: any) => h.type)).toEqual([
      'TroopWithdrawalClaimed',
      'EntryCorroborated',
      'EntryDisputed',
      'EntryCorrected',
      'CredibilityAssessed',
      'EntryRetracted',
    ]);
    expect(res.body.history[0].data.summary).toBe('report of 2 February');
    expect(res.body.history.every((h: any) => h.principal.startsWith('key:env-'))).toBe(true);
  });

  it('filters the timeline by type, status, actor with members, reliability, time and text', async () => {
    const q = (s: string) =>
      t.get(`/v1/timeline?crisis=${CRISIS}&limit=200&${s}`).then((r) => r.body.items.map((i: any) => i.type));
    expect(await q('type=ShellingAlleged,DenialIssued')).toEqual(['ShellingAlleged', 'DenialIssued']);
    expect(await q('actor=separatists')).toEqual(['ShellingAlleged']);
    expect(await q('actor=russia-mfa')).toEqual([]);
    expect(await q('actor=russia-mfa&includeMembers=true')).toEqual(['DenialIssued']);
    expect(await q('minReliability=C&type=ShellingAlleged,DenialIssued')).toEqual(['DenialIssued']);
    // Valid-time overlap: Kyiv days 5 and 6 February, bounds given with their offset.
    expect(await q('from=2022-02-05T00:00:00%2B02:00&to=2022-02-07T00:00:00%2B02:00')).toEqual([
      'ShellingAlleged',
      'CeasefireViolationReported',
    ]);
    // A UTC date covers the whole UTC day, which overlaps the neighbouring Kyiv day too.
    expect(await q('from=2022-02-05&to=2022-02-05')).toEqual([
      'ShellingAlleged',
      'CeasefireViolationReported',
    ]);
    expect(await q('q=kinder')).toEqual([]); // the summary is generic; targets are not searched
    expect(await q('q=Stanytsia')).toEqual(['ShellingAlleged']);
  });

  it('pages the timeline with an opaque cursor and no overlap', async () => {
    const all = (await t.get(`/v1/timeline?crisis=${CRISIS}&limit=200`)).body.items.map(
      (i: any) => i.entryId,
    );
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await t.get(
        `/v1/timeline?crisis=${CRISIS}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      paged.push(...res.body.items.map((i: any) => i.entryId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it('shows the per-actor view: profile, involvement by role and type, members, disputed claims', async () => {
    const res = await t.get('/v1/actors/russia?includeMembers=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      actorId: 'russia',
      name: 'Russia',
      kind: 'state',
      includesMembers: true,
    });
    expect(res.body.members.map((m: any) => m.actorId).sort()).toEqual(['maria-zakharova', 'russia-mfa']);
    expect(res.body.involvement.byRole.claimant).toBeGreaterThanOrEqual(2);
    expect(res.body.involvement.byType.DiplomatExpelled).toBe(1);
    expect(res.body.claims.map((c: any) => c.type)).toEqual(
      expect.arrayContaining(['TroopWithdrawalClaimed', 'DenialIssued']),
    );
    expect(res.body.disputedClaims).toEqual([
      expect.objectContaining({
        entryId: entries.TroopWithdrawalClaimed,
        disputedBy: { actorId: 'nato', sourceId: null, name: 'NATO' },
        field: null,
        reason: 'no withdrawal seen',
      }),
    ]);
    expect(res.body.firstSeen).toBe('2022-01-31T10:00:00.000Z'); // the late report about 31 January
    const list = await t.get('/v1/actors?kind=state');
    expect(list.body.items.map((a: any) => a.actorId)).toEqual([
      'russia',
      'ukraine',
      'united-kingdom',
      'united-states',
    ]);
  });

  it('lists sources with their grades, and a source with its history and citations', async () => {
    const list = await t.get('/v1/sources');
    expect(list.body.items.map((s: any) => [s.sourceId, s.reliability])).toEqual([
      ['itv-news', 'B'],
      ['reuters', 'A'],
      ['ukraine-mod', 'D'],
    ]);
    const regraded = await t.append('SourceGraded', {
      sourceId: 'reuters',
      reliability: 'B',
      rationale: 'one error this week',
    });
    const res = await t.get(`/v1/sources/reuters?minPosition=${regraded.position}`);
    expect(res.body.grades.map((g: any) => g.reliability)).toEqual(['A', 'B']);
    expect(res.body.counts).toEqual({ entriesCited: 0, corroborationsGiven: 1 });
    expect(res.body.corroborationsGiven[0].entryId).toBe(entries.TroopWithdrawalClaimed);
  });

  it('registers aliases and detail changes of actors and shows them', async () => {
    await t.append('ActorAliasAdded', { actorId: 'maria-zakharova', alias: 'Mariya Zakharova' });
    const changed = await t.append('ActorDetailsChanged', {
      actorId: 'separatists',
      name: 'Russian-backed separatists',
    });
    const res = await t.get(`/v1/actors/maria-zakharova?minPosition=${changed.position}`);
    expect(res.body.aliases).toEqual(['Zakharova', 'Mariya Zakharova']);
    const shelling = await t.get(`/v1/entries/${entries.ShellingAlleged}`);
    expect(shelling.body.actors[0]).toEqual({
      actorId: 'separatists',
      name: 'Russian-backed separatists',
      role: 'agent',
    });
  });

  it('lists crises and the event catalogue, and serves OpenAPI and Swagger UI', async () => {
    expect((await t.get('/v1/crises')).body.items).toEqual([
      expect.objectContaining({ crisisId: CRISIS, name: 'Test crisis', countries: ['UA', 'RU'] }),
    ]);
    const types = (await t.get('/v1/event-types')).body.items.map((i: any) => i.type);
    expect(types).toEqual(
      expect.arrayContaining([...REPORTS.map((r) => r.type), 'EntryCorrected', 'SourceGraded']),
    );
    const openapi = await t.get('/openapi.json');
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/v1/events', '/v1/timeline', '/v1/actors/{actorId}']),
    );
    const docs = await t.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger');
  });
});
