import { TestApp } from './harness';

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
