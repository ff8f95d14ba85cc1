import { randomUUID } from 'node:crypto';
import { REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp, type HttpResult } from './harness';

/** Every bad request gets a clear problem naming the problem, and leaves the log exactly as it was. */
describe('bad input on POST /v1/events', () => {
  let t: TestApp;
  let entryId: string;

  beforeAll(async () => {
    t = await TestApp.start({ BODY_LIMIT_BYTES: '8192' });
    for (const e of REGISTRY) await t.append(e.type, e.data);
    entryId = (await t.append('StatementMade', reportBase(7))).entryId;
  });
  afterAll(() => t.close());

  /** Sends the request and checks the problem document and that the log did not move. */
  async function rejected(send: () => Promise<HttpResult>, status: number, code: string): Promise<any> {
    const before = await t.head();
    const res = await send();
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: `/problems/${code}`, status, instance: '/v1/events' });
    expect(typeof res.body.title).toBe('string');
    expect(typeof res.body.detail).toBe('string');
    expect(await t.head()).toBe(before);
    return res.body;
  }

  const post = (body: unknown) => () => t.post('/v1/events', body);

  it('malformed JSON -> 400 malformed_json', async () => {
    const p = await rejected(
      () => t.request('POST', '/v1/events', { raw: '{"type": "StatementMade", ' }),
      400,
      'malformed_json',
    );
    expect(p.detail).toMatch(/not valid JSON/);
    await rejected(() => t.request('POST', '/v1/events', { raw: '' }), 400, 'malformed_json');
  });

  it('a body that is not JSON -> 415', async () => {
    await rejected(
      () =>
        t.request('POST', '/v1/events', {
          raw: 'type=StatementMade',
          headers: { 'content-type': 'text/plain' },
        }),
      415,
      'unsupported_media_type',
    );
    await rejected(
      () =>
        t.request('POST', '/v1/events', { raw: '<event/>', headers: { 'content-type': 'application/xml' } }),
      415,
      'unsupported_media_type',
    );
  });

  it('unknown type -> 400 listing the known types', async () => {
    const p = await rejected(post({ type: 'InvasionPredicted', data: {} }), 400, 'unknown_event_type');
    expect(p.knownTypes).toEqual(
      expect.arrayContaining([
        'TroopBuildupReported',
        'DiplomatExpelled',
        'EntryRetracted',
        'ActorRegistered',
      ]),
    );
    expect(p.detail).toMatch(/InvasionPredicted/);
  });

  it('missing, extra and ill-typed fields -> 400 naming each one', async () => {
    const data = reportBase(3, {
      summary: 42,
      nonsense: true,
      occurred: { start: '2022-02-03', timezone: 'Europe/Kyiv', precisionn: 'day' },
    }) as Record<string, unknown>;
    delete data.attribution;
    const p = await rejected(post({ type: 'DeploymentAnnounced', data }), 400, 'validation_failed');
    const paths = p.errors.map((e: any) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'data.summary',
        'data.nonsense',
        'data.attribution',
        'data.destination',
        'data.occurred.precisionn',
      ]),
    );
    expect(p.errors.find((e: any) => e.path === 'data.nonsense').message).toMatch(/should not exist/);
    await rejected(post({ type: 'StatementMade', data: reportBase(3), extra: 1 }), 400, 'validation_failed');
    await rejected(post({ type: 'StatementMade' }), 400, 'validation_failed');
    await rejected(post([1, 2]), 400, 'validation_failed');
  });

  it('a time without a zone, or an end before its start -> 400 naming the field', async () => {
    let p = await rejected(
      post({ type: 'StatementMade', data: reportBase(3, { occurred: { start: '2022-02-03T10:00' } }) }),
      400,
      'validation_failed',
    );
    expect(p.errors).toEqual([
      { path: 'data.occurred.start', message: expect.stringMatching(/no time zone/) },
    ]);
    p = await rejected(
      post({
        type: 'StatementMade',
        data: reportBase(3, { occurred: { start: '2022-02-03T10:00Z', end: '2022-02-03T09:00Z' } }),
      }),
      400,
      'validation_failed',
    );
    expect(p.errors).toEqual([{ path: 'data.occurred.end', message: expect.stringMatching(/before start/) }]);
    p = await rejected(
      post({ type: 'StatementMade', data: reportBase(3, { reportedAt: '2022-02-03' }) }),
      400,
      'validation_failed',
    );
    expect(p.errors[0].path).toBe('data.reportedAt');
  });

  it('an impossible time (offset beyond ±18:00, a year outside 0001-9999) -> 400 naming the field', async () => {
    for (const [occurred, path] of [
      [{ start: '2022-02-03T10:00+25:00' }, 'data.occurred.start'],
      [{ start: '+099999-02-03', timezone: 'UTC' }, 'data.occurred.start'],
      [{ start: '0000-02-03', timezone: 'UTC' }, 'data.occurred.start'],
      [{ start: '9999-12-31T23:00-05:00' }, 'data.occurred.start'],
      [{ start: '2022-02-03T10:00Z', end: '2022-02-03T12:00-19:00' }, 'data.occurred.end'],
    ] as const) {
      const p = await rejected(
        post({ type: 'StatementMade', data: reportBase(3, { occurred }) }),
        400,
        'validation_failed',
      );
      expect(p.errors).toEqual([{ path, message: expect.stringMatching(/offset beyond|year outside/) }]);
    }
    const p = await rejected(
      post({ type: 'StatementMade', data: reportBase(3, { reportedAt: '2022-02-03T10:00+24:00' }) }),
      400,
      'validation_failed',
    );
    expect(p.errors[0].path).toBe('data.reportedAt');
  });

  it('a body nested deeper than 32 levels -> 400 before any validation', async () => {
    // As an attacker sends them (within this app's 8 KB body limit): arrays 3,000 deep, objects
    // 1,300 deep.
    const arrays = `${'['.repeat(3000)}1${']'.repeat(3000)}`;
    const objects = `${'{"a":'.repeat(1300)}1${'}'.repeat(1300)}`;
    for (const data of [arrays, objects]) {
      const p = await rejected(
        () => t.request('POST', '/v1/events', { raw: `{"type":"StatementMade","data":${data}}` }),
        400,
        'malformed_json',
      );
      expect(p.detail).toMatch(/deeper than 32/);
    }
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    await rejected(post({ type: 'StatementMade', data: deep }), 400, 'malformed_json');
  });

  it('quantities with low > high -> 400', async () => {
    const p = await rejected(
      post({
        type: 'TroopBuildupReported',
        data: reportBase(1, { quantities: [{ kind: 'troops', low: 170000, high: 150000, asReported: 'x' }] }),
      }),
      400,
      'validation_failed',
    );
    expect(p.errors).toEqual([
      { path: 'data.quantities.0.high', message: expect.stringMatching(/low <= best <= high/) },
    ]);
  });

  // A report that names no claimant takes its source's actor (affiliated or own); one whose source
  // has none (registered before own actors) is refused: default-claimant.e2e-spec.ts shows both.

  it('unknown actorId / sourceId / crisis -> 422 naming each', async () => {
    const data = reportBase(3, {
      crisisId: 'no-such-crisis',
      actors: [
        { actorId: 'russia', role: 'agent' },
        { actorId: 'atlantis', role: 'claimant' },
        { actorId: 'lemuria', role: 'target' },
      ],
      attribution: { sourceId: 'pravda-of-mars' },
    });
    const p = await rejected(post({ type: 'StatementMade', data }), 422, 'unknown_reference');
    expect(p.unknown).toEqual({
      crisisId: ['no-such-crisis'],
      actorId: ['atlantis', 'lemuria'],
      sourceId: ['pravda-of-mars'],
    });
    expect(p.errors.map((e: any) => e.path)).toEqual([
      'data.crisisId',
      'data.actors.1.actorId',
      'data.actors.2.actorId',
      'data.attribution.sourceId',
    ]);
    const follow = await rejected(
      post({ type: 'EntryRetracted', data: { entryId: randomUUID(), reason: 'x' } }),
      422,
      'unknown_reference',
    );
    expect(follow.unknown.entryId).toHaveLength(1);
  });

  it('a follow-up on a retracted entry -> 409', async () => {
    const id = (await t.append('StatementMade', reportBase(9))).entryId;
    await t.append('EntryRetracted', { entryId: id, reason: 'wrong' });
    const p = await rejected(
      post({ type: 'EntryCorroborated', data: { entryId: id, sourceId: 'reuters' } }),
      409,
      'entry_retracted',
    );
    expect(p.detail).toMatch(/retracted/);
  });

  it('a wrong expected revision -> 409 with the current revision (body or If-Match)', async () => {
    let p = await rejected(
      post({ type: 'EntryCorroborated', expectedRevision: 5, data: { entryId, sourceId: 'reuters' } }),
      409,
      'wrong_expected_revision',
    );
    expect(p).toMatchObject({ currentRevision: 0, expectedRevision: '5', stream: `entry-${entryId}` });
    p = await rejected(
      () =>
        t.post(
          '/v1/events',
          { type: 'EntryCorroborated', data: { entryId, sourceId: 'reuters' } },
          { headers: { 'if-match': '"3"' } },
        ),
      409,
      'wrong_expected_revision',
    );
    expect(p.currentRevision).toBe(0);
    const ok = await t.post(
      '/v1/events',
      { type: 'EntryCorroborated', data: { entryId, sourceId: 'reuters' } },
      { headers: { 'if-match': '"0"' } },
    );
    expect(ok.status).toBe(201);
    expect(ok.body.revision).toBe(1);
  });

  it('the same event id sent again -> the same result, and no second event', async () => {
    const body = { id: randomUUID(), type: 'StatementMade', data: reportBase(11) };
    const first = await t.post('/v1/events', body);
    expect(first.status).toBe(201);
    const head = await t.head();
    const again = await t.post('/v1/events', body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await t.head()).toBe(head);
  });

  it('the same event id with a different body -> 409', async () => {
    const id = randomUUID();
    await t.append('StatementMade', reportBase(12), { id });
    const p = await rejected(
      post({ id, type: 'StatementMade', data: reportBase(12, { summary: 'changed' }) }),
      409,
      'duplicate_event',
    );
    expect(p.detail).toMatch(id);
    await rejected(
      post({ id, type: 'EntryRetracted', data: { entryId, reason: 'reused id' } }),
      409,
      'duplicate_event',
    );
  });

  it('a body over the limit -> 413', async () => {
    await rejected(
      post({ type: 'StatementMade', data: reportBase(3, { summary: 'x'.repeat(9000) }) }),
      413,
      'payload_too_large',
    );
  });

  it('no key -> 401 with WWW-Authenticate; a bad key -> 401', async () => {
    const before = await t.head();
    const res = await t.post('/v1/events', { type: 'StatementMade', data: reportBase(3) }, { key: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(
      (await t.post('/v1/events', { type: 'StatementMade', data: reportBase(3) }, { key: 'nope-nope-nope' }))
        .status,
    ).toBe(401);
    expect(await t.head()).toBe(before);
  });

  it('a request that cannot write is refused before its body is read (401 without a key, 403 for a reader)', async () => {
    const reader = (await t.post('/v1/admin/keys', { name: 'desk', role: 'reader' })).body.key as string;
    const deep = `{"type":"StatementMade","data":${'['.repeat(3000)}1${']'.repeat(3000)}}`;
    for (const [key, status, code] of [
      [null, 401, 'unauthorized'],
      [reader, 403, 'forbidden'],
    ] as const) {
      for (const path of ['/v1/events', '/v1/events/batch', '/v1/%65vents']) {
        for (const raw of [deep, '{"type": "Statem']) {
          const res = await t.request('POST', path, { raw, key });
          expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status, code });
        }
      }
    }
  });

  it('an unknown route -> 404 problem', async () => {
    const res = await t.get('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', status: 404 });
  });
});
