import { randomUUID } from 'node:crypto';
import { CRISIS, REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/** POST /v1/events/batch: the bulk path, item by item as POSTs would be, committed together. */
describe('POST /v1/events/batch (embedded SQLite, real HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
  });
  afterAll(() => t.close());

  const actor = (actorId: string) => ({
    type: 'ActorRegistered',
    data: { actorId, name: `Actor ${actorId}`, kind: 'state', countryCode: 'FR' },
  });
  const report = (day: number, extra: Record<string, unknown> = {}) => ({
    type: 'StatementMade',
    data: reportBase(day, { summary: `batch report ${day}`, ...extra }),
  });

  it('stores every item, each after the items it read; a later item follows up on the entry an earlier one starts', async () => {
    const items = [
      actor('batch-actor'),
      {
        ref: 'first',
        id: randomUUID(),
        ...report(3, { actors: [{ actorId: 'batch-actor', role: 'claimant' }] }),
      },
      { type: 'EntryCorroborated', data: { entryId: '@first', sourceId: 'reuters', note: 'seen too' } },
      report(4),
    ];
    const res = await t.post('/v1/events/batch', { items });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stored: 4, alreadyStored: 0, failed: 0 });
    const [registered, first, corroborated, fourth] = res.body.items;
    expect(registered).toMatchObject({ index: 0, status: 201, stream: 'actor-batch-actor' });
    expect(first).toMatchObject({ index: 1, ref: 'first', status: 201, revision: 0 });
    expect(corroborated).toMatchObject({ index: 2, status: 201, stream: first.stream, revision: 1 });
    expect(fourth).toMatchObject({ index: 3, status: 201, revision: 0 });
    // The report naming the batch's actor is stored after it, the follow-up after the report.
    expect(BigInt(first.position)).toBeGreaterThan(BigInt(registered.position));
    expect(BigInt(corroborated.position)).toBeGreaterThan(BigInt(first.position));

    const entry = await t.get(`/v1/entries/${first.entryId}?minPosition=${fourth.position}`);
    expect(entry.status).toBe(200);
    expect(entry.body.history.map((h: any) => h.type)).toEqual(['StatementMade', 'EntryCorroborated']);
  });

  it('answers a batch sent again from what is stored, and stores nothing twice', async () => {
    const items = [
      { ref: 'r', id: randomUUID(), ...report(5) },
      {
        id: randomUUID(),
        type: 'EntryDisputed',
        data: { entryId: '@r', byActorId: 'ukraine', reason: 'not so' },
      },
    ];
    const first = await t.post('/v1/events/batch', { items });
    expect(first.body).toMatchObject({ stored: 2, failed: 0 });
    const again = await t.post('/v1/events/batch', { items });
    expect(again.body).toMatchObject({ stored: 0, alreadyStored: 2, failed: 0 });
    expect(again.body.items.map((i: any) => i.position)).toEqual(
      first.body.items.map((i: any) => i.position),
    );
    // One more follow-up added to the same batch: the others are retries, it alone is new.
    const more = [...items, { type: 'EntryCorroborated', data: { entryId: '@r', sourceId: 'reuters' } }];
    const third = await t.post('/v1/events/batch', { items: more });
    expect(third.body).toMatchObject({ stored: 1, alreadyStored: 2, failed: 0 });
    expect(third.body.items[2]).toMatchObject({ status: 201, revision: 2 });
  });

  it('reports each bad item with a problem document and stores the others', async () => {
    const items = [
      report(6, { summary: '' }),
      { type: 'EntryCorroborated', data: { entryId: '@nowhere', sourceId: 'itv-news' } },
      report(7, { crisisId: 'no-such-crisis' }),
      { type: 'NoSuchType', data: {} },
      report(8),
    ];
    const res = await t.post('/v1/events/batch', { items });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stored: 1, failed: 4 });
    const codes = res.body.items.map((i: any) => i.problem?.code ?? i.status);
    expect(codes).toEqual([
      'validation_failed',
      'validation_failed',
      'unknown_reference',
      'unknown_event_type',
      201,
    ]);
    expect(res.body.items[0].problem.errors).toContainEqual({
      path: 'data.summary',
      message: 'summary must be longer than or equal to 1 characters',
    });
    expect(res.body.items[1].problem.errors[0].path).toBe('data.entryId');
  });

  it('checks each item against the key role: a contributor may report but not follow up', async () => {
    const issued = await t.post('/v1/admin/keys', { name: 'batch contributor', role: 'contributor' });
    const key = issued.body.key as string;
    await t.get(`/v1/me`, { key }); // the key is usable once the keys projection has it
    const res = await t.post(
      '/v1/events/batch',
      {
        items: [
          { ref: 'c', ...report(9) },
          { type: 'EntryCorroborated', data: { entryId: '@c', sourceId: 'reuters' } },
        ],
      },
      { key },
    );
    expect(res.body.items.map((i: any) => i.status)).toEqual([201, 403]);
  });

  it('refuses what is not a batch, and a batch over the item limit, storing nothing', async () => {
    const head = await t.head();
    expect((await t.post('/v1/events/batch', [report(10)])).body.code).toBe('validation_failed');
    expect((await t.post('/v1/events/batch', { items: [], extra: 1 })).body.code).toBe('validation_failed');
    const tooMany = await t.post('/v1/events/batch', { items: Array.from({ length: 1001 }, () => ({})) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toContain('at most 1000 items');
    expect(await t.head()).toBe(head);
  });

  it('names the same id used twice within one batch', async () => {
    const id = randomUUID();
    const res = await t.post('/v1/events/batch', {
      items: [
        { id, ...report(11) },
        { id, ...report(12) },
      ],
    });
    expect(res.body.items.map((i: any) => i.problem?.code ?? i.status)).toEqual([201, 'duplicate_event']);
  });

  it('serves the crisis timeline with what a batch stored', async () => {
    const res = await t.post('/v1/events/batch', {
      items: [report(13, { summary: 'batch on the timeline' })],
    });
    const position = res.body.items[0].position as string;
    const timeline = await t.get(`/v1/timeline?crisis=${CRISIS}&q=timeline&minPosition=${position}`);
    expect(timeline.body.items.map((i: any) => i.summary)).toContain('batch on the timeline');
  });
});
