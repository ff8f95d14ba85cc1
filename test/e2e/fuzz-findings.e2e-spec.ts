import Ajv, { type ValidateFunction } from 'ajv';
import { connect } from 'node:net';
import { REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/**
 * What fuzzing every route (fuzz.e2e-spec.ts) found, pinned as plain examples on real HTTP.
 */

/** What the fuzzing found, pinned as plain examples. */
describe('found by fuzzing (real HTTP)', () => {
  let t: TestApp;
  let validProblem: ValidateFunction;
  beforeAll(async () => {
    t = await TestApp.start();
    const ajv = new Ajv({ strict: false, validateSchema: false });
    ajv.addSchema({ ...(await t.get('/openapi.json', { key: null })).body, $id: 'openapi' });
    validProblem = ajv.compile({ $ref: 'openapi#/components/schemas/Problem' });
  });
  afterAll(() => t.close());

  /** Sends raw bytes; resolves with the whole answer once the server closes the connection. */
  function raw(bytes: string): Promise<{ status: number; contentType: string; body: any }> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(new URL(t.url).port), '127.0.0.1', () => socket.write(bytes));
      let got = '';
      socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
      socket.on('error', reject);
      socket.on('close', () => {
        const [head = '', body = ''] = got.split('\r\n\r\n');
        resolve({
          status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
          contentType: /^content-type: (.*)$/im.exec(head)?.[1] ?? '',
          body: JSON.parse(body),
        });
      });
    });
  }

  it('a request line past the header limit is a 431 problem with an instance, as documented', async () => {
    // Was: {type, title, status, detail, code} without the "instance" every other problem has.
    const url = `/v1/timeline?to=${'x'.repeat(20_000)}`;
    const res = await t.get(url);
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'headers_too_large', status: 431, instance: url.slice(0, 200) });
    expect(validProblem(res.body)).toBe(true);
  });

  // An event, and a signed checkpoint older than it (asking for the latest checkpoint signs one).
  let proofCase: { eventId: string; treeSize: number } | null = null;
  it('signs a checkpoint that an event is newer than (the setting of the next case)', async () => {
    await t.append('CrisisRegistered', { crisisId: 'c0', name: 'crisis 0' });
    const checkpoint = await t.get('/v1/audit/checkpoint');
    expect(checkpoint.status).toBe(200);
    for (const i of [1, 2]) await t.append('CrisisRegistered', { crisisId: `c${i}`, name: `crisis ${i}` });
    const last = (await t.get('/v1/audit/log')).text.trim().split('\n').pop()!;
    proofCase = { eventId: JSON.parse(last).event.id as string, treeSize: checkpoint.body.size as number };
    expect(proofCase.treeSize).toBeLessThan(3);
    expect((await t.get(`/v1/audit/proof/${proofCase.eventId}`)).status).toBe(200);
  });

  // Was 503 not_caught_up with Retry-After: 1, though that checkpoint will never include the event.
  it('an inclusion proof against an explicit checkpoint older than the event is a 4xx, not a 503 to retry', async () => {
    const res = await t.get(`/v1/audit/proof/${proofCase!.eventId}?treeSize=${proofCase!.treeSize}`);
    expect({ status: res.status, clientError: res.status >= 400 && res.status < 500 }).toEqual({
      status: res.status,
      clientError: true,
    });
  });

  // Was 200 echoing "at": "0000-06-01T00:00:00.000Z" and "-000001-12-31T23:59:59.999Z".
  it('a measure asked for at a year outside 0001-9999 is a 400, as a time in an event is', async () => {
    await t.append('CrisisRegistered', { crisisId: 'm-crisis', name: 'a crisis' });
    await t.append('MeasureRegistered', {
      measureId: 'ban',
      crisisId: 'm-crisis',
      kind: 'travel-ban',
      name: 'a ban',
      byActorIds: [],
      targetActorIds: [],
    });
    const head = await t.head();
    expect((await t.get(`/v1/measures/ban?minPosition=${head}`)).status).toBe(200);
    for (const at of ['0000-06-01', '-000001-12-31T23:59:59.999Z', '2022-02-17T10:00+23:59']) {
      const res = await t.get(`/v1/measures/ban?at=${encodeURIComponent(at)}`);
      expect({ at, status: res.status }).toEqual({ at, status: 400 });
    }
  });

  it('a "constructor" key anywhere in a body or query is a 400 naming it, not a 500', async () => {
    // Was: accepted (201) with the key dropped unseen; or, with any other bad field in the body,
    // 500: class-transformer took the object's own "constructor" for its class (TypeError: Cannot
    // read properties of undefined (reading 'constructor')).
    for (const e of REGISTRY) await t.append(e.type, e.data);
    const before = await t.head();
    const actors: Array<Record<string, string>> = [
      { actorId: 'russia', role: 'agent' },
      { actorId: 'united-kingdom', role: 'claimant', constructor: ' ' },
    ];
    for (const [data, path] of [
      [reportBase(3, { actors }), 'data.actors.1.constructor'],
      [{ ...reportBase(3), constructor: {} }, 'data.constructor'],
      [
        reportBase(3, { occurred: { start: '2022-02-03', timezone: 'UTC', constructor: 5 } }),
        'data.occurred.constructor',
      ],
    ] as const) {
      const res = await t.post('/v1/events', { type: 'StatementMade', data });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'validation_failed' });
      expect(res.body.errors).toContainEqual({ path, message: 'property constructor should not exist' });
      expect(validProblem(res.body)).toBe(true);
    }
    // With another bad field the envelope went through class-transformer whole: that was the 500.
    const both = await t.post('/v1/events', {
      id: 'x'.repeat(300),
      type: 'StatementMade',
      data: reportBase(3, { actors }),
    });
    expect({ status: both.status, code: both.body.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(both.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['id', 'data.actors.1.constructor']),
    );
    const batch = await t.post('/v1/events/batch', {
      items: [{ type: 'StatementMade', data: reportBase(3, { actors }) }],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.items[0]).toMatchObject({ status: 400, problem: { code: 'validation_failed' } });
    expect(await t.head()).toBe(before);
    const query = await t.get('/v1/timeline?constructor=x');
    expect({ status: query.status, code: query.body.code }).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    // Still accepted without it.
    expect((await t.post('/v1/events', { type: 'StatementMade', data: reportBase(3) })).status).toBe(201);
  });

  it('a JSON body with a charset (application/json; charset=utf-8) is read, not a 415', async () => {
    // Was: 415 for any parameter, so every client that names its charset could not post at all.
    for (const e of REGISTRY) await t.append(e.type, e.data).catch(() => undefined);
    for (const contentType of [
      'application/json; charset=utf-8',
      'application/json;charset=UTF-8',
      'application/vnd.chronology+json; charset=utf-8',
    ]) {
      const res = await t.request('POST', '/v1/events', {
        raw: JSON.stringify({ type: 'StatementMade', data: reportBase(4) }),
        headers: { 'content-type': contentType },
      });
      expect({ contentType, status: res.status }).toEqual({ contentType, status: 201 });
    }
    const text = await t.request('POST', '/v1/events', {
      raw: '{}',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
    expect({ status: text.status, code: text.body.code }).toEqual({
      status: 415,
      code: 'unsupported_media_type',
    });
  });

  it('garbage instead of HTTP is a 400 problem with an (empty) instance', async () => {
    const res = await raw('GARBAGE\r\n\r\n');
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'bad_request', status: 400, instance: '' });
    expect(validProblem(res.body)).toBe(true);
  });
});
