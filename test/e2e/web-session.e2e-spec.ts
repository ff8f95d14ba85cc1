import type { Page } from 'playwright-core';
import { reportBase } from '../fixtures/chronology.fixtures';
import { axeViolations, following, screenshot, shows, WAIT, WebBrowser } from './browser';
import { ADMIN_KEY, TestApp } from './harness';

/**
 * The page's session in chromium (issue 21, "Access"): with PUBLIC_READS=false it asks for a key
 * once, opens a session (an HttpOnly cookie set by the API) and from then on sends no key; a
 * reload keeps reading; nothing a script can read holds the key or the session; Sign out ends it.
 */
jest.setTimeout(180_000);

declare const document: any;
declare const location: any;
declare const localStorage: any;
declare const sessionStorage: any;

describe('the page signs in once with a session cookie (PUBLIC_READS=false)', () => {
  let t: TestApp;
  let web: WebBrowser;
  let reader: { keyId: string; key: string; name: string };
  let expected: number;

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true', PUBLIC_READS: 'false' });
    web = await WebBrowser.launch();
    const issued = await t.post('/v1/admin/keys', { name: 'desk reader', role: 'reader' });
    reader = issued.body;
    const all = await t.get('/v1/timeline?limit=200');
    expect(all.body.nextCursor).toBeNull();
    expected = all.body.items.length;
  });

  afterAll(async () => {
    await web?.close();
    await t?.close();
  });

  /** Every request the page sends with an Authorization header, as `METHOD path`. */
  function keyedRequests(page: Page): string[] {
    const seen: string[] = [];
    page.on('request', (request) => {
      if (request.headers().authorization !== undefined)
        seen.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    return seen;
  }

  async function signIn(page: Page, key: string): Promise<void> {
    await page.locator('#key-panel').waitFor({ state: 'visible', ...WAIT });
    await page.fill('#key-input', key);
    await page.press('#key-input', 'Enter');
  }

  const signedIn = (page: Page) =>
    page.waitForFunction(() => document.body.dataset.session === 'active', null, WAIT);

  it('asks once, then reads, follows live and reloads with the cookie alone; the key is kept nowhere', async () => {
    const page = await web.open(t, '/', { ready: false });
    const keyed = keyedRequests(page);
    await signIn(page, 'cc_wrong_key_for_this_test');
    await page.waitForFunction(
      () => document.getElementById('key-error')?.textContent?.includes('not accepted'),
      null,
      WAIT,
    );
    await page.fill('#key-input', reader.key);
    await page.press('#key-input', 'Enter');
    await shows(page, expected);
    await signedIn(page);
    await page.locator('#session-who', { hasText: 'Signed in as desk reader (reader)' }).waitFor(WAIT);
    // The live feed is an EventSource, which can send no header: the cookie goes by itself.
    await following(page);
    const summary = `Posted while a signed-in page watched ${Date.now()}`;
    await t.append('StatementMade', reportBase(18, { crisisId: 'russia-ukraine-2022', summary }));
    await page.locator('.tl-item.is-new', { hasText: summary }).waitFor(WAIT);
    await screenshot(page, 'session');

    // The key went in the two sign-in requests only; every other request carried the cookie.
    expect(keyed).toEqual(['POST /v1/session', 'POST /v1/session']);
    const readable = await page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      cookie: document.cookie,
      url: location.href,
      keyInput: document.getElementById('key-input').value,
    }));
    expect(readable).toEqual({ local: 0, session: 0, cookie: '', url: `${t.url}/`, keyInput: '' });
    expect(await page.content()).not.toContain(reader.key);
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => c.name)).toEqual(['cc_session']);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/v1', secure: false });
    expect(cookies[0]!.value).not.toContain(reader.key);

    // A reload reads on, without asking.
    await page.reload();
    await shows(page, expected + 1);
    await signedIn(page);
    expect(await page.locator('#key-panel').isHidden()).toBe(true);
    expect(keyed).toHaveLength(2);
    await following(page);

    // Sign out, from the keyboard: the session ends and the key panel is back.
    await page.locator('#sign-out').focus();
    await page.keyboard.press('Enter');
    await page.locator('#key-panel').waitFor({ state: 'visible', ...WAIT });
    await page.waitForFunction(() => document.activeElement?.id === 'key-input', null, WAIT);
    expect(await page.locator('#session').isHidden()).toBe(true);
    expect(await page.context().cookies()).toEqual([]);
    // A copy of the cookie taken before signing out is refused by the service too.
    const copy = `cc_session=${cookies[0]!.value}`;
    expect((await t.get('/v1/me', { key: null, headers: { cookie: copy } })).status).toBe(401);
  });

  it('shows no Sign out control without a session, and the cookie is not sent to the page files', async () => {
    const page = await web.open(t, '/', { ready: false });
    await page.locator('#key-panel').waitFor({ state: 'visible', ...WAIT });
    await page.waitForFunction(() => document.body.dataset.session === 'none', null, WAIT);
    expect(await page.locator('#session').isHidden()).toBe(true);
    await signIn(page, reader.key);
    await shows(page, expected + 1);
    const carried: Array<Promise<string>> = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      carried.push(
        request
          .allHeaders()
          .then((h) => `${path.startsWith('/v1/') ? 'api' : 'file'} ${h.cookie ? 'cookie' : '-'}`),
      );
    });
    await page.reload();
    await shows(page, expected + 1);
    // The cookie (Path=/v1) goes with the API's reads and never with the page's files. Not every
    // API request is required to show it: the headers of a request the reload cut short (the old
    // page's live feed) can be reported without the cookie the network layer adds.
    const seen = new Set(await Promise.all(carried));
    expect(seen.has('api cookie')).toBe(true);
    expect(seen.has('file -')).toBe(true);
    expect(seen.has('file cookie')).toBe(false);
  });

  it('has no serious or critical accessibility violations on the key panel and the signed-in header', async () => {
    const page = await web.open(t, '/', { bypassCSP: true, ready: false });
    await page.locator('#key-panel').waitFor({ state: 'visible', ...WAIT });
    expect(await axeViolations(page)).toEqual([]);
    await signIn(page, reader.key);
    await shows(page, expected + 1);
    await signedIn(page);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('logged no uncaught error, no CSP violation and no console error but the 401s that asked for a key', async () => {
    await web.closePages();
    const { console: lines, errors, csp } = web.problems;
    expect({ errors, csp }).toEqual({ errors: [], csp: [] });
    expect(lines.filter((line) => !/status of 401/.test(line))).toEqual([]);
  });
});

describe('the page behind a proxy that does not pass the original Host', () => {
  let t: TestApp;
  let web: WebBrowser;

  beforeAll(async () => {
    t = await TestApp.start({ PUBLIC_READS: 'false', TRUST_PROXY: '127.0.0.1' });
    web = await WebBrowser.launch();
  });

  afterAll(async () => {
    await web?.close();
    await t?.close();
  });

  it("says the CSRF check's reason when signing in is refused, rather than asking for a key again", async () => {
    const page = await web.open(t, '/', { ready: false });
    // What nginx's default `proxy_set_header Host $proxy_host` amounts to: the service sees a host
    // that is not the one the browser's Origin names.
    await page.route('**/v1/**', (route) =>
      route.continue({
        headers: { ...route.request().headers(), 'x-forwarded-host': 'chronology.internal:8080' },
      }),
    );
    const signIns: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') signIns.push(new URL(request.url()).pathname);
    });
    await page.locator('#key-panel').waitFor({ state: 'visible', ...WAIT });
    await page.fill('#key-input', ADMIN_KEY);
    await page.press('#key-input', 'Enter');
    await page
      .locator('#count', { hasText: /cross-site request refused: .*chronology\.internal:8080/ })
      .waitFor(WAIT);
    expect(await page.locator('#key-panel').isHidden()).toBe(true);
    expect(await page.locator('#key-error').textContent()).not.toContain('not accepted');
    expect(signIns).toEqual(['/v1/session']);
  });
});
