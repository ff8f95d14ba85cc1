import type { Page } from 'playwright-core';
import { reportBase } from '../fixtures/chronology.fixtures';
import { axeViolations, following, ready, screenshot, shows, WAIT, WebBrowser } from './browser';
import { ADMIN_KEY, TestApp, waitUntil } from './harness';

/**
 * The web page's follow-ups, audit panel and "as of" picker (issue 21) in chromium: follow-ups
 * posted from the entry page (with the key the page asks for), problems shown next to the form,
 * the latest signed checkpoint and the verification status, and the chronology as it was at an
 * earlier log position or moment, kept in the URL. Every wait is for a condition.
 */
jest.setTimeout(180_000);

// Callbacks passed to page.evaluate and waitForFunction run in the browser (no DOM lib here).
declare const document: any;
declare const location: any;

const SAMPLE_ENTRY = 'a46da07f-0d04-5763-a4fa-cc3eff47ba8e'; // ITV News carried it; Putin claims it
const CRISIS = 'russia-ukraine-2022';

/** Asks `condition` again every 100 ms until it holds (a minute at most). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT.timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within the timeout');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('follow-ups, the audit panel and the as-of picker in chromium', () => {
  let t: TestApp;
  let web: WebBrowser;
  let sampleHead: string;

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
    sampleHead = (await t.head())!;
    web = await WebBrowser.launch();
  });

  afterAll(async () => {
    await web?.close();
    await t?.close();
  });

  /** Every entry id of a timeline read, in order (the sample fits in one page of 200). */
  async function apiIds(query: string): Promise<string[]> {
    const res = await t.get(`/v1/timeline?limit=200${query ? `&${query}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    return res.body.items.map((i: { entryId: string }) => i.entryId);
  }

  /** The entries the page shows, in the API's order (the page groups them by type). */
  async function pageIds(page: Page, order: string[]): Promise<string[]> {
    const ids = await page.$$eval('.tl-item', (items) =>
      items.map((i) => (i as any).dataset.entryId as string),
    );
    const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
    return ids.sort((a, b) => rank(a) - rank(b));
  }

  async function openAuditPanel(page: Page): Promise<void> {
    await page.click('#audit-panel > summary');
    await page.locator('#asof-form').waitFor({ state: 'visible', ...WAIT });
  }

  async function entryPage(path: string, options: { bypassCSP?: boolean } = {}): Promise<Page> {
    const page = await web.open(t, path, options);
    await page.waitForFunction(() => document.querySelectorAll('.history-item').length > 0, null, WAIT);
    await page.waitForFunction(
      () => document.querySelector('.followups')?.dataset.choices === 'ready',
      null,
      WAIT,
    );
    return page;
  }

  async function openForm(page: Page, name: 'corroborate' | 'dispute' | 'correct'): Promise<void> {
    await page.click(`#fu-${name} > summary`);
    await page.locator(`#fu-${name}-form`).waitFor({ state: 'visible', ...WAIT });
  }

  it('as of a log position: the earlier state, kept in the URL across a reload, then back to now', async () => {
    const before = (await t.head())!;
    const [changed] = (await apiIds(`crisis=${CRISIS}`)).filter((id) => id !== SAMPLE_ENTRY);
    const oldSummary = (await t.get(`/v1/entries/${changed}`)).body.summary as string;
    // After `before`: a new entry, and a correction of an entry that existed then.
    const added = await t.append(
      'StatementMade',
      reportBase(18, { crisisId: CRISIS, summary: `Recorded after the as-of point ${Date.now()}` }),
    );
    const newSummary = `Corrected after the as-of point ${Date.now()}`;
    await t.append('EntryCorrected', { entryId: changed, changes: { summary: newSummary }, reason: 'test' });
    const then = await apiIds(`atPosition=${before}`);
    const now = await apiIds('');
    expect(then).not.toContain(added.entryId);
    expect(now).toContain(added.entryId);

    const page = await web.open(t, '/');
    await shows(page, now.length);
    await following(page);
    await openAuditPanel(page);
    await page.fill('#asof-position', before);
    await page.press('#asof-position', 'Enter');
    await shows(page, then.length);
    expect(await pageIds(page, then)).toEqual(then);
    expect(new URL(page.url()).searchParams.get('atPosition')).toBe(before);
    const item = page.locator(`.tl-item[data-entry-id="${changed}"]`);
    expect(await item.locator('.tl-summary').textContent()).toBe(oldSummary);
    await page.locator('#asof-banner', { hasText: 'live updates paused' }).waitFor(WAIT);
    expect(await page.textContent('#asof-banner')).toContain(`log position ${before}`);
    expect(await page.getAttribute('#live-status', 'data-live')).toBe('paused');
    await screenshot(page, 'as-of');

    await page.reload();
    await ready(page);
    await shows(page, then.length);
    expect(await pageIds(page, then)).toEqual(then);
    expect(new URL(page.url()).searchParams.get('atPosition')).toBe(before);
    await page.locator('#asof-banner', { hasText: 'live updates paused' }).waitFor(WAIT);

    // The entry page as of then: the entry as it was, and no follow-up forms.
    await item.click();
    await page.locator('#entry-view').waitFor({ state: 'visible', ...WAIT });
    await page.locator('.entry-meta', { hasText: `as it was after log position ${before}` }).waitFor(WAIT);
    expect(await page.textContent('#entry .summary')).toBe(oldSummary);
    expect(await page.locator('#fu-corroborate-form').count()).toBe(0);
    await page.click('#back');
    await shows(page, then.length);

    await page.click('#asof-now');
    await shows(page, now.length);
    expect(await pageIds(page, now)).toEqual(now);
    expect(new URL(page.url()).searchParams.has('atPosition')).toBe(false);
    expect(await page.locator(`.tl-item[data-entry-id="${changed}"] .tl-summary`).textContent()).toBe(
      newSummary,
    );
    await page.locator('#asof-banner').waitFor({ state: 'hidden', ...WAIT });
    await following(page);
  });

  it('as of a moment typed in the user’s zone: sent as UTC, the count and items the API answers', async () => {
    const page = await web.open(t, '/');
    await openAuditPanel(page);
    // The picker's moments are whole seconds: take the first whole second after the sample's last
    // event was recorded, and record one entry after it (once the clock has passed it), so that the
    // past state is neither empty nor the present one however fast the sample loaded.
    const head = (await t.get(`/v1/timeline?atPosition=${sampleHead}&limit=1`)).body.asOf
      .recordedAt as string;
    const at = new Date(Math.floor(Date.parse(head) / 1000) * 1000 + 1000).toISOString();
    await waitUntil(() => Date.now() > Date.parse(at) + 50, 5_000);
    await t.append(
      'StatementMade',
      reportBase(21, { crisisId: 'russia-ukraine-2022', summary: `Recorded after ${at}` }),
    );
    const local = await page.evaluate((iso) => {
      const d = new Date(iso);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    }, at);
    await page.fill('#asof-instant', local);
    await page.click('#asof-apply');
    await page.waitForFunction(() => new URLSearchParams(location.search).has('asOf'), null, WAIT);
    const asOf = new URL(page.url()).searchParams.get('asOf')!;
    expect(asOf).toBe(`${at.slice(0, 19)}.000Z`);
    const then = await apiIds(`asOf=${encodeURIComponent(asOf)}`);
    expect(then.length).toBeGreaterThan(0);
    expect(then.length).toBeLessThan((await apiIds('')).length);
    await shows(page, then.length);
    expect(await pageIds(page, then)).toEqual(then);
    await page.click('#asof-now');
    await page.locator('#asof-banner').waitFor({ state: 'hidden', ...WAIT });
  });

  it('a corroboration posted from the entry page, with the key it asks for, shows in the history', async () => {
    const page = await entryPage(`/#entry/${SAMPLE_ENTRY}`);
    const historyBefore = await page.locator('.history-item').count();
    await openForm(page, 'corroborate');
    // The source that carried the report is not offered: it cannot corroborate itself.
    expect(await page.locator('#fu-c-source option[value="itv-news"]').count()).toBe(0);
    const note = `Seen by AP too ${Date.now()}`;
    await page.selectOption('#fu-c-source', 'ap');
    await page.fill('#fu-c-note', note);
    await page.click('#fu-corroborate-form button[type="submit"]');
    // Reads are public, writing is not: the page asks for a key, then posts again.
    await page.locator('#key-panel').waitFor({ state: 'visible', ...WAIT });
    await page.fill('#key-input', ADMIN_KEY);
    await page.press('#key-input', 'Enter');
    await page.waitForFunction(
      (n) => document.querySelectorAll('.history-item').length === n,
      historyBefore + 1,
      WAIT,
    );
    const last = page.locator('.history-item').last();
    expect(await last.textContent()).toContain('Entry corroborated');
    expect(await last.textContent()).toContain(note);
    await page.locator('#fu-status', { hasText: 'Corroboration recorded at log position' }).waitFor(WAIT);
    const entry = (await t.get(`/v1/entries/${SAMPLE_ENTRY}`)).body;
    expect(entry.history.at(-1)).toMatchObject({ type: 'EntryCorroborated', data: { sourceId: 'ap', note } });
  });

  it('a follow-up refused shows its problem next to the form, naming the field; page checks post nothing', async () => {
    const page = await entryPage(`/#entry/${SAMPLE_ENTRY}`);
    const head = await t.head();
    // Checked in the page: a dispute names who disputes; nothing is posted.
    await openForm(page, 'dispute');
    await page.fill('#fu-d-reason', 'no disputant named');
    await page.click('#fu-dispute-form button[type="submit"]');
    await page.locator('#fu-dispute-form .fu-problems li[data-field="byActorId"]').waitFor(WAIT);
    expect(await page.getAttribute('#fu-d-actor', 'aria-invalid')).toBe('true');
    expect(await t.head()).toBe(head);

    // Refused by the API (400, problem+json): a start that is not a date. The key is asked for first.
    await openForm(page, 'correct');
    await page.fill('#fu-x-occurred', '17 February 2022');
    await page.fill('#fu-x-reason', 'the date was wrong');
    await page.click('#fu-correct-form button[type="submit"]');
    await page.locator('#key-panel').waitFor({ state: 'visible', ...WAIT });
    await page.fill('#key-input', ADMIN_KEY);
    await page.press('#key-input', 'Enter');
    const problem = page.locator('#fu-correct-form .fu-problems li[data-field="occurred"]');
    await problem.waitFor(WAIT);
    expect(await problem.textContent()).toMatch(/^When it happened \(start\): /);
    expect(await page.textContent('#fu-correct-form .fu-problems')).toContain('Validation failed');
    expect(await page.getAttribute('#fu-x-occurred', 'aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fu-x-occurred');

    // Refused by a rule (422, no field): the claimant cannot dispute its own claim.
    await page.fill('#fu-d-reason', 'disputing its own claim');
    await page.selectOption('#fu-d-actor', 'vladimir-putin');
    await page.click('#fu-dispute-form button[type="submit"]');
    await page
      .locator('#fu-dispute-form .fu-problems', { hasText: 'vladimir-putin is the claimant of this entry' })
      .waitFor(WAIT);
    expect(await page.textContent('#fu-dispute-form .fu-problems')).toContain('Rule violated');
    expect(await page.getAttribute('#fu-d-actor', 'aria-invalid')).toBeNull();
    expect(await t.head()).toBe(head);
  });

  it('the audit panel shows the latest signed checkpoint, the verify status and the public key', async () => {
    // Checkpoints follow the log: wait until one covers every event, so that the two reads agree.
    const health = async () => (await t.get('/health')).body;
    let checkpoint: any = null;
    const covered = async () => {
      checkpoint = (await t.get('/v1/audit/checkpoint')).body;
      return String(checkpoint.size) === (await health()).projections.head;
    };
    await until(covered);
    const page = await web.open(t, '/');
    await openAuditPanel(page);
    await page.waitForFunction(
      () => document.getElementById('audit-body')?.dataset.loaded === 'true',
      null,
      WAIT,
    );
    expect(await page.textContent('#audit-size')).toBe(String(checkpoint.size));
    expect(await page.textContent('#audit-root')).toBe(checkpoint.rootHash);
    expect(await page.textContent('#audit-note')).toBe(checkpoint.note);
    expect(await page.getAttribute('#audit-signed-at', 'datetime')).toBe(checkpoint.signedAt);
    const audit = (await health()).checks.audit;
    expect(await page.textContent('#audit-state')).toBe(audit.state);
    const href = (await page.getAttribute('#audit-public-key', 'href'))!;
    expect((await t.get(href, { key: null })).body.publicKey).toBe(checkpoint.publicKey);
    await screenshot(page, 'audit-panel');
  });

  it('has no serious or critical accessibility violations with the forms and the panel open', async () => {
    const page = await entryPage(`/#entry/${SAMPLE_ENTRY}`, { bypassCSP: true });
    for (const name of ['corroborate', 'dispute', 'correct'] as const) await openForm(page, name);
    await page.click('#fu-dispute-form button[type="submit"]'); // problems shown, fields marked
    await page.locator('#fu-dispute-form .fu-problems li').first().waitFor(WAIT);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'entry-followup', true);

    const timeline = await web.open(t, `/?atPosition=30`, { bypassCSP: true });
    await openAuditPanel(timeline);
    await timeline.waitForFunction(
      () => document.getElementById('audit-body')?.dataset.loaded === 'true',
      null,
      WAIT,
    );
    await timeline.locator('#asof-banner', { hasText: 'live updates paused' }).waitFor(WAIT);
    expect(await axeViolations(timeline)).toEqual([]);
  });

  it('logged no console error, no uncaught error and no CSP violation on any page above', async () => {
    await web.closePages();
    // The only console errors allowed are the browser's own lines for the 401s of posting without
    // a key (which made the page ask for one) and the 400 and 422 asked for above.
    const expected = /Failed to load resource: the server responded with a status of (401|400|422)/;
    expect(web.problems.console.filter((line) => !expected.test(line))).toEqual([]);
    expect(web.problems.console.filter((line) => /status of 401/.test(line)).length).toBe(2);
    expect(web.problems.errors).toEqual([]);
    expect(web.problems.csp).toEqual([]);
  });
});
