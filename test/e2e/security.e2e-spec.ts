import { CRISIS, REGISTRY, REPORTS } from '../fixtures/chronology.fixtures';
import { ADMIN_KEY, TestApp, type HttpResult } from './harness';
import { ServiceProcess } from './service-process';

/** Security headers, CORS by configuration only, and rate limits with 429 and Retry-After. */
describe('security headers and CORS (real HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('sends a strict Content-Security-Policy, no framing and no sniffing on API answers', async () => {
    const res = await t.get('/v1/crises');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    const problem = await t.get('/v1/nothing-here');
    expect(problem.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });

  it('gives Swagger UI its own policy, which still forbids framing', async () => {
    const docs = await t.get('/docs', { key: null });
    expect(docs.status).toBe(200);
    const csp = docs.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(docs.text).not.toMatch(/<script>(?!\s*<\/script>)[^<]+<\/script>/);
  });

  it('answers no CORS headers when CORS is off', async () => {
    const res = await t.get('/v1/crises', { headers: { origin: 'https://elsewhere.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS for configured origins (real HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ CORS_ORIGINS: 'https://newsroom.example.org, http://localhost:8080' });
  });
  afterAll(() => t.close());

  it('allows a configured origin, never with credentials, and no other', async () => {
    const allowed = await t.get('/v1/crises', { headers: { origin: 'https://newsroom.example.org' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://newsroom.example.org');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await t.request('OPTIONS', '/v1/events', {
      headers: {
        origin: 'http://localhost:8080',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
    const other = await t.get('/v1/crises', { headers: { origin: 'https://elsewhere.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a wildcard or a non-origin in CORS_ORIGINS at start', async () => {
    await expect(TestApp.start({ CORS_ORIGINS: '*' })).rejects.toThrow(/CORS_ORIGINS/);
  });
});

describe('rate limits (real HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ RATE_LIMIT_PER_MINUTE: '5', AUTH_FAILURES_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('limits each key per minute with 429, Retry-After and a problem document', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await t.get('/v1/crises')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await t.get('/v1/crises');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ code: 'rate_limited', status: 429 });
    // Health probes are never limited.
    for (let i = 0; i < 10; i++) expect((await t.get('/health')).status).toBe(200);
  });

  it('limits wrong keys per address more strictly, without blocking good keys', async () => {
    const wrong: number[] = [];
    for (let i = 0; i < 4; i++)
      wrong.push((await t.get('/v1/me', { key: `wrong-key-${i}-xxxxxxxxxxxx` })).status);
    expect(wrong).toEqual([401, 401, 401, 429]);
    // The same address without a key, and any valid key, count apart from the failures.
    expect((await t.get('/v1/crises', { key: null })).status).toBe(200);
  });
});

/** Keyset cursors are signed: only one this deployment handed out, for the same list, pages. */
describe('signed cursors (real HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
    for (const r of REPORTS) await t.append(r.type, r.data);
  });
  afterAll(() => t.close());

  const timeline = `/v1/timeline?crisis=${CRISIS}&limit=2`;
  const actors = '/v1/actors?limit=3';

  type Get = (path: string) => Promise<{ status: number; body: any }>;

  /** Every id of a list after `cursor`, page by page. */
  async function rest(get: Get, path: string, cursor: string | null, id: string): Promise<string[]> {
    const ids: string[] = [];
    while (cursor) {
      const res = await get(`${path}&cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(200);
      ids.push(...res.body.items.map((i: any) => i[id]));
      cursor = res.body.nextCursor;
    }
    return ids;
  }

  const over =
    (app: TestApp): Get =>
    (path) =>
      app.get(path);

  async function all(path: string, id: string): Promise<string[]> {
    const res = await t.get(path.replace(/limit=\d+/, 'limit=200'));
    return res.body.items.map((i: any) => i[id]);
  }

  function expectRefused(res: HttpResult, path: string): void {
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: '/problems/validation_failed',
      code: 'validation_failed',
      status: 400,
    });
    expect(res.body.instance.startsWith(`${path}?`)).toBe(true);
    expect(res.body.errors).toEqual([{ path: 'cursor', message: 'cursor is not one this API returned' }]);
  }

  it('pages /v1/timeline and /v1/actors by the cursors they return', async () => {
    for (const [path, id] of [
      [timeline, 'entryId'],
      [actors, 'actorId'],
    ] as const) {
      const first = await t.get(path);
      expect(first.status).toBe(200);
      expect(typeof first.body.nextCursor).toBe('string');
      const ids = [
        ...first.body.items.map((i: any) => i[id]),
        ...(await rest(over(t), path, first.body.nextCursor, id)),
      ];
      expect(ids).toEqual(await all(path, id));
    }
  });

  it('refuses a forged cursor with a 400 problem naming cursor, not an empty page', async () => {
    const unsigned = Buffer.from(JSON.stringify([9e15, 'zzz'])).toString('base64url');
    expectRefused(await t.get(`/v1/timeline?cursor=${unsigned}`), '/v1/timeline');
    const plausible = Buffer.from(JSON.stringify([0, 0])).toString('base64url');
    expectRefused(await t.get(`/v1/timeline?cursor=${plausible}`), '/v1/timeline');
    expectRefused(await t.get(`/v1/actors?cursor=${unsigned}`), '/v1/actors');
    // A real cursor with its key edited, or its MAC, or the MAC cut short.
    const real: string = (await t.get(timeline)).body.nextCursor;
    const [key, mac] = real.split('.') as [string, string];
    const edited = Buffer.from(JSON.stringify([9e15, 0])).toString('base64url');
    expectRefused(await t.get(`/v1/timeline?cursor=${edited}.${mac}`), '/v1/timeline');
    const otherMac = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    expectRefused(await t.get(`/v1/timeline?cursor=${key}.${otherMac}`), '/v1/timeline');
    expectRefused(await t.get(`/v1/timeline?cursor=${real.slice(0, -4)}`), '/v1/timeline');
    // As of a position too (another plan, the same check).
    expectRefused(await t.get(`/v1/timeline?atPosition=1&cursor=${unsigned}`), '/v1/timeline');
  });

  it('refuses a cursor of one list on another', async () => {
    const fromTimeline: string = (await t.get(timeline)).body.nextCursor;
    const fromActors: string = (await t.get(actors)).body.nextCursor;
    expectRefused(await t.get(`/v1/actors?cursor=${fromTimeline}`), '/v1/actors');
    expectRefused(await t.get(`/v1/timeline?cursor=${fromActors}`), '/v1/timeline');
  });

  it('accepts a cursor after a restart on the same data dir (in the workers, on the loop, in a new process)', async () => {
    const tl = await t.get(timeline);
    const ac = await t.get(actors);
    const after = async (get: Get) => ({
      timeline: await rest(get, timeline, tl.body.nextCursor, 'entryId'),
      actors: await rest(get, actors, ac.body.nextCursor, 'actorId'),
    });
    const expected = await after(over(t));
    expect(expected.timeline.length).toBeGreaterThan(0);
    expect(expected.actors.length).toBeGreaterThan(0);
    t = await t.restart({ READ_WORKERS: '0' });
    expect(await after(over(t))).toEqual(expected);
    await t.close({ keepData: true });
    const service = await ServiceProcess.start(t.dataDir);
    try {
      const get: Get = async (path) => {
        const res = await fetch(`${service.url}${path}`, {
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
        });
        return { status: res.status, body: await res.json() };
      };
      expect(await after(get)).toEqual(expected);
    } finally {
      await service.terminate();
    }
    t = await TestApp.start({}, t.dataDir);
    expect(await after(over(t))).toEqual(expected);
  }, 60_000);

  it('refuses a cursor of another deployment (another secret)', async () => {
    const cursor: string = (await t.get(timeline)).body.nextCursor;
    const other = await TestApp.start();
    try {
      for (const e of REGISTRY) await other.append(e.type, e.data);
      for (const r of REPORTS) await other.append(r.type, r.data);
      expect((await other.get(timeline)).body.nextCursor).not.toBe(cursor);
      expectRefused(await other.get(`${timeline}&cursor=${cursor}`), '/v1/timeline');
    } finally {
      await other.close();
    }
    // Its own still pages.
    expect((await t.get(`${timeline}&cursor=${cursor}`)).status).toBe(200);
  });
});
