import { deriveKey } from '../../src/config';
import { FixedClock } from '../../src/shared/clock';
import { SESSION_KEY_PURPOSE, SessionTokens } from '../../src/auth/session';
import { reportBase } from '../fixtures/chronology.fixtures';
import { ADMIN_KEY, TestApp, type HttpResult } from './harness';

/**
 * The browser session of issue 21 over real HTTP: POST /v1/session exchanges a key for an
 * HttpOnly, SameSite=Strict cookie that every route takes as the key it stands for; it expires,
 * signs out, ends with its key, holds across instances sharing the secret, and a state change
 * made with it must come from the service's own origin (CSRF).
 */
jest.setTimeout(60_000);

const SECRET = 'c2Vzc2lvbi1zcGVjLXNlY3JldC1xN3Y5LXcybTgtejRr';
const OTHER_SECRET = 'YW5vdGhlci1kZXBsb3ltZW50LXNlY3JldC1rOHAzLXg1';
const LIFETIME = 600;
const CRISIS = 'russia-ukraine-2022';

/** The session cookie's `name=value` from an answer's Set-Cookie, and its attributes. */
function sessionSetCookie(res: HttpResult): { pair: string; attributes: string[] } {
  const header = res.headers.getSetCookie().find((c) => c.startsWith('cc_session='));
  if (!header) throw new Error(`no session cookie set (status ${res.status}: ${res.text})`);
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  return { pair: pair!, attributes };
}

describe('browser sessions (POST /v1/session)', () => {
  let t: TestApp;
  let origin: string;

  beforeAll(async () => {
    t = await TestApp.start({
      LOAD_SAMPLE: 'true',
      PUBLIC_READS: 'false',
      API_KEY_SECRET: SECRET,
      SESSION_LIFETIME_SECONDS: String(LIFETIME),
      TRUST_PROXY: '127.0.0.1',
    });
    origin = t.url;
  });
  afterAll(() => t?.close());

  async function issueKey(role: string): Promise<{ keyId: string; key: string }> {
    const res = await t.post('/v1/admin/keys', { name: `${role} session test`, role });
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Opens a session for `key`; returns the Cookie header that carries it. */
  async function signIn(key: string, app: TestApp = t): Promise<string> {
    const res = await app.request('POST', '/v1/session', { key });
    expect(res.status).toBe(200);
    return sessionSetCookie(res).pair;
  }

  const withCookie = (cookie: string, headers: Record<string, string> = {}) => ({
    key: null,
    headers: { cookie, ...headers },
  });

  it('sets an HttpOnly, SameSite=Strict cookie on /v1 with the configured Max-Age, Secure only over TLS', async () => {
    const plain = await t.request('POST', '/v1/session', { key: null });
    expect(plain.status).toBe(401);
    const res = await t.request('POST', '/v1/session', { key: ADMIN_KEY });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: true, role: 'admin' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { pair, attributes } = sessionSetCookie(res);
    expect(pair).toMatch(/^cc_session=v1\.[\w-]+\.[\w-]+$/);
    expect(pair).not.toContain(ADMIN_KEY);
    expect(attributes.sort()).toEqual(['HttpOnly', `Max-Age=${LIFETIME}`, 'Path=/v1', 'SameSite=Strict']);
    // Behind the proxy TRUST_PROXY names, which says the browser came over https: Secure.
    const proxied = await t.request('POST', '/v1/session', {
      key: ADMIN_KEY,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(sessionSetCookie(proxied).attributes).toContain('Secure');
  });

  it('reads with the role of the key it stands for, on every kind of route', async () => {
    const reader = await issueKey('reader');
    const cookie = await signIn(reader.key);
    expect((await t.get('/v1/timeline?limit=1', { key: null })).status).toBe(401);
    const timeline = await t.get('/v1/timeline?limit=1', withCookie(cookie));
    expect(timeline.status).toBe(200);
    expect(timeline.body.items).toHaveLength(1);
    const me = await t.get('/v1/me', withCookie(cookie));
    expect(me.body).toMatchObject({
      principal: `key:${reader.keyId}`,
      role: 'reader',
      permissions: ['read'],
    });
    const session = await t.get('/v1/session', withCookie(cookie));
    expect(session.body).toMatchObject({ active: true, keyId: reader.keyId, role: 'reader' });
    expect(Date.parse(session.body.expiresAt) - Date.now()).toBeGreaterThan((LIFETIME - 60) * 1000);
    expect((await t.get('/v1/exports/csv', withCookie(cookie))).status).toBe(200);
    expect((await t.get('/v1/admin/keys', withCookie(cookie))).status).toBe(403);
    const post = await t.post(
      '/v1/events',
      { type: 'StatementMade', data: reportBase(16, { crisisId: CRISIS }) },
      {
        ...withCookie(cookie, { origin }),
      },
    );
    expect(post.status).toBe(403);
    expect(post.body.detail).toMatch(/reader role may not write/);
    // A live feed, too (EventSource sends the cookie and no header).
    const controller = new AbortController();
    const live = await fetch(`${t.url}/v1/events/live`, { headers: { cookie }, signal: controller.signal });
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toMatch(/text\/event-stream/);
    controller.abort();
  });

  it('is opened with a key only: not with another session, not from another site', async () => {
    const cookie = await signIn(ADMIN_KEY);
    const again = await t.request('POST', '/v1/session', withCookie(cookie, { origin }));
    expect(again.status).toBe(400);
    expect(again.headers.getSetCookie()).toEqual([]);
    const wrong = await t.request('POST', '/v1/session', { key: 'cc_not_a_key_of_this_deployment' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const foreign = await t.request('POST', '/v1/session', {
      key: ADMIN_KEY,
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.getSetCookie()).toEqual([]);
  });

  it('is refused once expired (401, and the answer clears the cookie), and when forged', async () => {
    const me = await t.get('/v1/me');
    const keyId = String(me.body.principal).slice('key:'.length);
    const clock = new FixedClock(new Date(Date.now() - 2 * LIFETIME * 1000));
    const tokens = new SessionTokens(deriveKey(Buffer.from(SECRET), SESSION_KEY_PURPOSE), LIFETIME, clock);
    const { token, claims } = tokens.issue(keyId);
    expect(claims.expiresAt * 1000).toBeLessThan(Date.now());
    const expired = await t.get('/v1/timeline?limit=1', withCookie(`cc_session=${token}`));
    expect(expired.status).toBe(401);
    expect(expired.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(expired.body.detail).toMatch(/expired/);
    expect(sessionSetCookie(expired).attributes).toContain('Max-Age=0');
    // The same claims unexpired are accepted: it is the expiry that was refused.
    const fresh = tokens.sign({ ...claims, expiresAt: Math.floor(Date.now() / 1000) + 60 });
    expect((await t.get('/v1/timeline?limit=1', withCookie(`cc_session=${fresh}`))).status).toBe(200);
    const otherDeployment = new SessionTokens(
      deriveKey(Buffer.from(OTHER_SECRET), SESSION_KEY_PURPOSE),
      LIFETIME,
      clock,
    );
    const forged = otherDeployment.sign({ ...claims, expiresAt: Math.floor(Date.now() / 1000) + 60 });
    const refused = await t.get('/v1/timeline?limit=1', withCookie(`cc_session=${forged}`));
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/not signed by this deployment/);
  });

  it('signs out: the cookie is cleared and the session is refused after', async () => {
    const cookie = await signIn(ADMIN_KEY);
    expect((await t.get('/v1/me', withCookie(cookie))).status).toBe(200);
    const out = await t.request('DELETE', '/v1/session', withCookie(cookie, { origin }));
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ active: false });
    expect(sessionSetCookie(out)).toEqual({
      pair: 'cc_session=',
      attributes: ['Path=/v1', 'Max-Age=0', 'HttpOnly', 'SameSite=Strict'],
    });
    const after = await t.get('/v1/me', withCookie(cookie));
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(/signed out/);
    expect((await t.get('/v1/session', withCookie(cookie))).body).toEqual({ active: false });
    // Another site may not sign a browser out.
    const other = await signIn(ADMIN_KEY);
    const foreign = await t.request(
      'DELETE',
      '/v1/session',
      withCookie(other, { origin: 'https://elsewhere.example' }),
    );
    expect(foreign.status).toBe(403);
    expect((await t.get('/v1/me', withCookie(other))).status).toBe(200);
  });

  it("ends when its key is revoked: the session's next request is a 401", async () => {
    const editor = await issueKey('editor');
    const cookie = await signIn(editor.key);
    expect((await t.get('/v1/me', withCookie(cookie))).status).toBe(200);
    const revoked = await t.request('DELETE', `/v1/admin/keys/${editor.keyId}`, { body: { reason: 'left' } });
    expect(revoked.status).toBe(200);
    const after = await t.get('/v1/me', withCookie(cookie));
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(new RegExp(`${editor.keyId} was revoked`));
    expect((await t.get('/v1/timeline?limit=1', withCookie(cookie))).status).toBe(401);
  });

  it('takes a state change with the cookie from its own Origin only (CSRF); a Bearer key is not affected', async () => {
    const cookie = await signIn(ADMIN_KEY);
    const event = (summary: string) => ({
      type: 'StatementMade',
      data: reportBase(17, { crisisId: CRISIS, summary }),
    });
    const head = await t.head();
    const missing = await t.post('/v1/events', event('no origin'), withCookie(cookie));
    expect(missing.status).toBe(403);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(missing.body).toMatchObject({ reason: 'origin_missing' });
    const foreign = await t.post(
      '/v1/events',
      event('foreign'),
      withCookie(cookie, { origin: 'https://elsewhere.example' }),
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ reason: 'origin_mismatch' });
    expect(foreign.body.detail).toMatch(/elsewhere\.example/);
    const crossSite = await t.post(
      '/v1/events',
      event('cross site'),
      withCookie(cookie, { origin, 'sec-fetch-site': 'cross-site' }),
    );
    expect(crossSite.status).toBe(403);
    expect(crossSite.body).toMatchObject({ reason: 'cross_site' });
    // The same for a batch and for an admin route.
    const batch = await t.post(
      '/v1/events/batch',
      { items: [event('batch')] },
      withCookie(cookie, { origin: 'null' }),
    );
    expect(batch.status).toBe(403);
    const issue = await t.post('/v1/admin/keys', { name: 'csrf', role: 'reader' }, withCookie(cookie));
    expect(issue.status).toBe(403);
    expect(await t.head()).toBe(head);
    const own = await t.post(
      '/v1/events',
      event('from the own origin'),
      withCookie(cookie, { origin, 'sec-fetch-site': 'same-origin' }),
    );
    expect(own.status).toBe(201);
    const bearer = await t.post('/v1/events', event('bearer, foreign origin'), {
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(bearer.status).toBe(201);
  });
});

const withCookieOf = (cookie: string, headers: Record<string, string> = {}) => ({
  key: null,
  headers: { cookie, ...headers },
});

describe('sessions with PUBLIC_READS (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true', API_KEY_SECRET: SECRET });
  });
  afterAll(() => t?.close());

  it('reads anonymously with a cookie signed out or of a revoked key, and clears it; routes needing a key still refuse it', async () => {
    const signedOut = sessionSetCookie(await t.request('POST', '/v1/session', { key: ADMIN_KEY })).pair;
    expect(
      (await t.request('DELETE', '/v1/session', withCookieOf(signedOut, { origin: t.url }))).status,
    ).toBe(200);
    const issued = await t.post('/v1/admin/keys', { name: 'revoked session', role: 'editor' });
    expect(issued.status).toBe(201);
    const ofRevoked = sessionSetCookie(await t.request('POST', '/v1/session', { key: issued.body.key })).pair;
    const revoked = await t.request('DELETE', `/v1/admin/keys/${issued.body.keyId}`, {
      body: { reason: 'left' },
    });
    expect(revoked.status).toBe(200);
    for (const cookie of [signedOut, ofRevoked]) {
      const read = await t.get('/v1/timeline?limit=1', withCookieOf(cookie));
      expect(read.status).toBe(200);
      expect(read.body.items).toHaveLength(1);
      expect(sessionSetCookie(read).attributes).toContain('Max-Age=0');
      // EventSource stops for good on a 401: the live feed reads too.
      const controller = new AbortController();
      const live = await fetch(`${t.url}/v1/events/live`, { headers: { cookie }, signal: controller.signal });
      expect(live.status).toBe(200);
      controller.abort();
      const me = await t.get('/v1/me', withCookieOf(cookie));
      expect(me.status).toBe(401);
      expect(sessionSetCookie(me).attributes).toContain('Max-Age=0');
    }
    // A key that is refused is still a 401: only the cookie the browser sends by itself is forgiven.
    const unknownKey = await t.get('/v1/timeline?limit=1', { key: 'cc_not_a_key_of_this_deployment' });
    expect(unknownKey.status).toBe(401);
  });
});

describe('sessions across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let other: TestApp;

  beforeAll(async () => {
    const common = { PUBLIC_READS: 'false', CORS_ORIGINS: 'https://newsroom.example.org' };
    a = await TestApp.start({ ...common, API_KEY_SECRET: SECRET });
    b = await TestApp.start({ ...common, API_KEY_SECRET: SECRET });
    other = await TestApp.start({ ...common, API_KEY_SECRET: OTHER_SECRET });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await other?.close();
  });

  it('a session opened on one instance is accepted by another with the same secret, not by another deployment', async () => {
    const res = await a.request('POST', '/v1/session', { key: ADMIN_KEY });
    const { pair } = sessionSetCookie(res);
    const onB = await b.get('/v1/me', { key: null, headers: { cookie: pair } });
    expect(onB.status).toBe(200);
    expect(onB.body.role).toBe('admin');
    const onOther = await other.get('/v1/me', { key: null, headers: { cookie: pair } });
    expect(onOther.status).toBe(401);
  });

  it('believes X-Forwarded-Proto only from a proxy TRUST_PROXY names: no Secure flag on its say-so otherwise', async () => {
    const res = await a.request('POST', '/v1/session', {
      key: ADMIN_KEY,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(sessionSetCookie(res).attributes).not.toContain('Secure');
  });

  it('CORS never allows credentials, on a preflight or an answer', async () => {
    for (const path of ['/v1/session', '/v1/events', '/v1/timeline']) {
      const preflight = await a.request('OPTIONS', path, {
        key: null,
        headers: {
          origin: 'https://newsroom.example.org',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://newsroom.example.org');
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    }
    const answer = await a.request('POST', '/v1/session', {
      headers: { origin: 'https://newsroom.example.org' },
    });
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('sessions and rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({
      PUBLIC_READS: 'false',
      RATE_LIMIT_PER_MINUTE: '5',
      AUTH_FAILURES_PER_MINUTE: '2',
    });
  });
  afterAll(() => t?.close());

  it('counts a session against the limit of the key it stands for; a bad session against the strict one', async () => {
    const res = await t.request('POST', '/v1/session', { key: ADMIN_KEY });
    const cookie = sessionSetCookie(res).pair;
    const statuses: number[] = [];
    for (const key of [ADMIN_KEY, ADMIN_KEY, null, null, null]) {
      statuses.push((await t.get('/v1/me', key ? { key } : { key: null, headers: { cookie } })).status);
    }
    // One bucket for the key: the session's request after the key's four (and the POST) is the sixth.
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect((await t.get('/v1/me')).status).toBe(429);
    // Without a key or a session: the address's own bucket.
    expect((await t.get('/v1/session', { key: null })).status).toBe(200);
    const bad = { key: null, headers: { cookie: 'cc_session=v1.bm90.c2lnbmVk' } };
    expect([(await t.get('/v1/me', bad)).status, (await t.get('/v1/me', bad)).status]).toEqual([401, 401]);
    expect((await t.get('/v1/me', bad)).status).toBe(429);
  });
});
