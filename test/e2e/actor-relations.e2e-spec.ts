import { CRISIS, REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/**
 * Relations between actors over a period: membership rolls a member's entries up into the body's
 * only for entries within it, now and as of a position; recognition is recorded both ways; actor
 * kinds are an open vocabulary.
 */
describe('actor relations over time (embedded SQLite, real HTTP)', () => {
  let t: TestApp;
  let before: string; // an entry of Ukraine before it joined the body
  let during: string; // one while a member
  let after: string; // one after it left
  let atStart: string;
  let atEnd: string;
  let joinedAt = '';
  let last = '';

  const relate = async (data: Record<string, unknown>) => {
    const res = await t.post('/v1/events', { type: 'ActorRelationStated', data });
    expect({ status: res.status, body: res.status === 201 ? null : res.body }).toEqual({
      status: 201,
      body: null,
    });
    last = res.body.position;
    return res.body.position as string;
  };
  const entries = async (query: string): Promise<string[]> => {
    const res = await t.get(`/v1/timeline?crisis=${CRISIS}&minPosition=${last}&${query}`);
    expect(res.status).toBe(200);
    return res.body.items.map((i: any) => i.entryId);
  };
  const report = async (day: number, occurred?: Record<string, unknown>) => {
    const res = await t.append(
      'StatementMade',
      reportBase(day, {
        actors: [{ actorId: 'ukraine', role: 'claimant' }],
        ...(occurred ? { occurred } : {}),
      }),
    );
    last = res.position;
    return res.entryId as string;
  };

  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
    await t.append('ActorRegistered', {
      actorId: 'contact-group',
      name: 'Contact group',
      kind: 'diplomatic-forum',
    });
    before = await report(5);
    during = await report(15);
    after = await report(25);
    // Exactly at the ends of the period below: its start counts, its end does not.
    atStart = await report(10, { start: '2022-02-10T00:00Z' });
    atEnd = await report(20, { start: '2022-02-20T00:00Z' });
  });
  afterAll(() => t.close());

  it('rolls a member up into the body only for entries within the membership, now and as of a position', async () => {
    const beforeJoin = last;
    expect(await entries('actor=contact-group&includeMembers=true')).toEqual([]);
    joinedAt = await relate({
      actorId: 'ukraine',
      relation: 'member-of',
      toActorId: 'contact-group',
      validFrom: '2022-02-10',
      validTo: '2022-02-20',
      sourceId: 'reuters',
    });
    expect(await entries('actor=contact-group&includeMembers=true')).toEqual([atStart, during]);
    expect(await entries(`actor=contact-group&includeMembers=true&atPosition=${joinedAt}`)).toEqual([
      atStart,
      during,
    ]);
    expect(await entries(`actor=contact-group&includeMembers=true&atPosition=${beforeJoin}`)).toEqual([]);
    const view = (await t.get(`/v1/actors/contact-group?includeMembers=true&minPosition=${last}`)).body;
    expect(view.involvement.entries).toBe(2);
    expect(view.members).toEqual([
      expect.objectContaining({
        actorId: 'ukraine',
        via: 'relation',
        validFrom: '2022-02-10T00:00:00.000Z',
        validTo: '2022-02-20T00:00:00.000Z',
      }),
    ]);
    const asOf = (await t.get(`/v1/actors/contact-group?includeMembers=true&atPosition=${joinedAt}`)).body;
    expect([asOf.involvement.entries, asOf.involvedIn.length + asOf.claims.length]).toEqual([2, 2]);
    expect(view.relatedBy).toEqual([expect.objectContaining({ actorId: 'ukraine', relation: 'member-of' })]);
  });

  it('re-indexes when the period is stated again, keeping the earlier statement for as-of reads', async () => {
    const narrow = joinedAt;
    await relate({
      actorId: 'ukraine',
      relation: 'member-of',
      toActorId: 'contact-group',
      validFrom: '2022-02-01',
    });
    expect(await entries('actor=contact-group&includeMembers=true')).toEqual([
      before,
      atStart,
      during,
      atEnd,
      after,
    ]);
    expect(await entries(`actor=contact-group&includeMembers=true&atPosition=${narrow}`)).toEqual([
      atStart,
      during,
    ]);
    const counts = (await t.get(`/v1/actors?minPosition=${last}&limit=100`)).body.items.find(
      (a: any) => a.actorId === 'contact-group',
    );
    expect(counts).toBeDefined();
  });

  it('records recognition and its refusal on both sides, with an open kind vocabulary', async () => {
    await t.append('ActorRegistered', {
      actorId: 'dpr',
      name: 'Donetsk People’s Republic',
      kind: 'de-facto-authority',
    });
    await relate({ actorId: 'russia', relation: 'recognises', toActorId: 'dpr', validFrom: '2022-02-21' });
    await relate({ actorId: 'ukraine', relation: 'does-not-recognise', toActorId: 'dpr' });
    const dpr = (await t.get(`/v1/actors/dpr?minPosition=${last}`)).body;
    expect(dpr.kind).toBe('de-facto-authority');
    expect(dpr.relatedBy.map((r: any) => [r.actorId, r.relation, r.name])).toEqual([
      ['ukraine', 'does-not-recognise', 'Ukraine'],
      ['russia', 'recognises', 'Russia'],
    ]);
    const russia = (await t.get(`/v1/actors/russia?minPosition=${last}`)).body;
    expect(russia.relations).toEqual([
      expect.objectContaining({
        relation: 'recognises',
        toActorId: 'dpr',
        validFrom: '2022-02-21T00:00:00.000Z',
        validTo: null,
      }),
    ]);
  });

  it('refuses a relation to itself, an empty period, the same statement twice, and an unknown actor', async () => {
    const head = await t.head();
    const post = (data: Record<string, unknown>) =>
      t.post('/v1/events', { type: 'ActorRelationStated', data });
    const self = await post({ actorId: 'russia', relation: 'commands', toActorId: 'russia' });
    expect([self.status, self.body.code]).toEqual([422, 'rule_violated']);
    const empty = await post({
      actorId: 'russia',
      relation: 'commands',
      toActorId: 'separatists',
      validFrom: '2022-03-01',
      validTo: '2022-02-01',
    });
    expect([empty.status, empty.body.code]).toEqual([422, 'rule_violated']);
    const twice = await post({
      actorId: 'russia',
      relation: 'recognises',
      toActorId: 'dpr',
      validFrom: '2022-02-21',
    });
    expect([twice.status, twice.body.code]).toEqual([422, 'rule_violated']);
    const unknown = await post({ actorId: 'russia', relation: 'commands', toActorId: 'nobody' });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'unknown_reference']);
    const badDate = await post({
      actorId: 'russia',
      relation: 'commands',
      toActorId: 'separatists',
      validFrom: '2022-02-30',
    });
    expect([badDate.status, badDate.body.errors[0].path]).toEqual([400, 'data.validFrom']);
    expect(await t.head()).toBe(head);
  });
});
