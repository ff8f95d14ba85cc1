import { randomUUID } from 'node:crypto';
import { REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/**
 * A report that names no claimant: its source's affiliated actor stands as the claimant, else the
 * source's own actor (created with the source, under the source's id). A source registered before
 * own actors, with no affiliation, has neither: such a report must name its claimant.
 */
describe('the default claimant (embedded SQLite, real HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
  });
  afterAll(() => t.close());

  const body = (sourceId: string, id?: string, actors = [{ actorId: 'separatists', role: 'agent' }]) => ({
    type: 'ShellingAlleged',
    ...(id ? { id } : {}),
    data: reportBase(20, { actors, attribution: { sourceId } }),
  });
  const entryOf = async (res: { body: { entryId: string; position: string } }) =>
    (await t.get(`/v1/entries/${res.body.entryId}?minPosition=${res.body.position}`)).body;

  it("makes the source's affiliated actor the claimant, and a retry lands on the same entry", async () => {
    const id = '5d1c0b8e-8a43-4d7e-9a7e-2f0c1b2a3d4e';
    const first = await t.post('/v1/events', body('ukraine-mod', id));
    expect(first.status).toBe(201);
    const entry = await entryOf(first);
    expect(entry.claimants).toEqual([{ actorId: 'ukraine', name: 'Ukraine' }]);
    expect(entry.actors).toEqual(
      expect.arrayContaining([expect.objectContaining({ actorId: 'separatists', role: 'agent' })]),
    );
    const again = await t.post('/v1/events', body('ukraine-mod', id));
    expect([again.status, again.body.entryId]).toEqual([200, first.body.entryId]);
    // An affiliated source creates no actor of its own.
    expect((await t.get('/v1/actors/ukraine-mod')).status).toBe(404);
  });

  it("makes an unaffiliated source's own actor the claimant: listed among actors, its view lists the report", async () => {
    const res = await t.post('/v1/events', body('reuters'));
    expect(res.status).toBe(201);
    const entry = await entryOf(res);
    expect(entry.claimants).toEqual([{ actorId: 'reuters', name: 'Reuters' }]);
    const actors = (await t.get(`/v1/actors?limit=100&minPosition=${res.body.position}`)).body.items;
    expect(actors).toContainEqual(
      expect.objectContaining({ actorId: 'reuters', name: 'Reuters', kind: 'media' }),
    );
    const view = (await t.get('/v1/actors/reuters')).body;
    expect(view.claims.map((c: { entryId: string }) => c.entryId)).toContain(res.body.entryId);
    expect(view.involvement.byRole).toMatchObject({ claimant: 1 });
    const source = (await t.get('/v1/sources/reuters')).body;
    expect(source).toMatchObject({ affiliatedActorId: null, ownActorId: 'reuters' });
    expect((await t.get('/v1/sources/ukraine-mod')).body).toMatchObject({
      affiliatedActorId: 'ukraine',
      ownActorId: null,
    });
  });

  it('takes a registration that describes the own actor, which is then an actor like any other', async () => {
    const registered = await t.post('/v1/events', {
      type: 'SourceRegistered',
      data: {
        sourceId: 'tass',
        name: 'TASS',
        kind: 'outlet',
        ownActor: { name: 'TASS news agency', kind: 'news-agency', countryCode: 'RU' },
      },
    });
    expect(registered.status).toBe(201);
    // Named explicitly, as a claimant and in a relation: the write side knows it as an actor.
    const named = await t.post(
      '/v1/events',
      body('reuters', undefined, [{ actorId: 'tass', role: 'claimant' }]),
    );
    expect(named.status).toBe(201);
    const relation = await t.post('/v1/events', {
      type: 'ActorRelationStated',
      data: { actorId: 'russia', relation: 'commands', toActorId: 'tass' },
    });
    expect(relation.status).toBe(201);
    // Its details change as any actor's: placed under Russia, its claims roll up into Russia's.
    const placed = await t.post('/v1/events', {
      type: 'ActorDetailsChanged',
      data: { actorId: 'tass', parentId: 'russia' },
    });
    expect(placed.status).toBe(201);
    const view = (await t.get(`/v1/actors/tass?minPosition=${placed.body.position}`)).body;
    expect(view).toMatchObject({
      name: 'TASS news agency',
      kind: 'news-agency',
      countryCode: 'RU',
      parentId: 'russia',
    });
    expect(view.claims.map((c: { entryId: string }) => c.entryId)).toEqual([named.body.entryId]);
    const russia = (await t.get('/v1/timeline?actor=russia&includeMembers=true&limit=100')).body.items;
    expect(russia.map((i: { entryId: string }) => i.entryId)).toContain(named.body.entryId);
  });

  it("names a source's own actor in the batch that registers the source", async () => {
    const res = await t.post('/v1/events/batch', {
      items: [
        {
          type: 'SourceRegistered',
          data: { sourceId: 'kyiv-independent', name: 'Kyiv Independent', kind: 'outlet' },
        },
        body('reuters', randomUUID(), [{ actorId: 'kyiv-independent', role: 'claimant' }]),
      ],
    });
    expect(res.body).toMatchObject({ stored: 2, failed: 0 });
    const [source, report] = res.body.items;
    expect(BigInt(report.position)).toBeGreaterThan(BigInt(source.position));
    const entry = (await t.get(`/v1/entries/${report.entryId}?minPosition=${report.position}`)).body;
    expect(entry.claimants).toEqual([{ actorId: 'kyiv-independent', name: 'Kyiv Independent' }]);
  });

  it('refuses an own actor that would take an actor’s id, and an actor that would take an own actor’s, never merging', async () => {
    const head = await t.head();
    const source = await t.post('/v1/events', {
      type: 'SourceRegistered',
      data: { sourceId: 'nato', name: 'NATO press office', kind: 'official' },
    });
    expect(source.status).toBe(409);
    expect(source.headers.get('content-type')).toContain('application/problem+json');
    expect(source.body.detail).toMatch(/actor nato is already registered.*affiliatedActorId/);
    const actor = await t.post('/v1/events', {
      type: 'ActorRegistered',
      data: { actorId: 'reuters', name: 'Reuters agency', kind: 'media' },
    });
    expect(actor.status).toBe(409);
    expect(actor.body.detail).toMatch(/own actor of source reuters/);
    expect(await t.head()).toBe(head);
    // The fix the problem names: the source speaks for the actor, and creates none.
    const affiliated = await t.post('/v1/events', {
      type: 'SourceRegistered',
      data: { sourceId: 'nato', name: 'NATO press office', kind: 'official', affiliatedActorId: 'nato' },
    });
    expect(affiliated.status).toBe(201);
    const both = await t.post('/v1/events', {
      type: 'SourceRegistered',
      data: {
        sourceId: 'nato-2',
        name: 'x',
        kind: 'official',
        affiliatedActorId: 'nato',
        ownActor: { name: 'y' },
      },
    });
    expect([both.status, both.body.errors]).toEqual([
      400,
      [expect.objectContaining({ path: 'data.ownActor' })],
    ]);
  });

  it('leaves a source registered before own actors as it was: no actor, and a report must name its claimant', async () => {
    // What an older version wrote: SourceRegistered at schema version 1, no affiliation.
    await t.store.append(
      'source-old-wire',
      [
        {
          id: randomUUID(),
          type: 'SourceRegistered',
          schemaVersion: 1,
          data: { sourceId: 'old-wire', name: 'Old Wire', kind: 'outlet' },
          metadata: { principal: 'key:old-desk', correlationId: randomUUID(), causationId: null },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const head = await t.head();
    const res = await t.post('/v1/events', body('old-wire'));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'data.actors', message: expect.stringMatching(/affiliatedActorId/) }),
    ]);
    const named = await t.post(
      '/v1/events',
      body('reuters', undefined, [{ actorId: 'old-wire', role: 'claimant' }]),
    );
    expect(named.status).toBe(422);
    expect(named.body.unknown).toEqual({ actorId: ['old-wire'] });
    expect(await t.head()).toBe(head);
    expect((await t.get(`/v1/actors/old-wire?minPosition=${head}`)).status).toBe(404);
    const source = (await t.get('/v1/sources/old-wire')).body;
    expect(source).toMatchObject({
      sourceId: 'old-wire',
      name: 'Old Wire',
      affiliatedActorId: null,
      ownActorId: null,
    });
  });
});
