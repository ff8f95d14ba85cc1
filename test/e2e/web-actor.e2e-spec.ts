import type { Page } from 'playwright-core';
import { axeViolations, screenshot, WAIT, WebBrowser } from './browser';
import { TestApp } from './harness';

/**
 * The actor page of the web page (issue 21) in chromium: reached from an entry's claimant and from
 * the timeline's actor groups, it shows the actor's profile, its relations over time, its activity
 * per day (a uPlot chart, under the page's CSP), its entries by role and its disputed claims.
 * WEB_SCREENSHOTS=1 also writes docs/screenshots/actor.png.
 */
jest.setTimeout(120_000);

// Callbacks passed to page.evaluate and waitForFunction run in the browser (see browser.ts).
declare const document: any;
declare const location: any;

interface Bar {
  x: number;
  width: number;
}

const SAMPLE_ENTRY = 'a46da07f-0d04-5763-a4fa-cc3eff47ba8e'; // claimed by Putin and Zakharova, disputed twice
const ACTOR = 'maria-zakharova';

describe('the actor page in chromium', () => {
  let t: TestApp;
  let web: WebBrowser;

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
    web = await WebBrowser.launch();
    // The sample states no relation over time: these give the actor page three periods to show,
    // one stated by the actor and closed, one by the actor and open, and one stated of it.
    const relation = (data: Record<string, unknown>) =>
      t.append('ActorRelationStated', { sourceId: 'itv-news', ...data });
    await relation({
      actorId: ACTOR,
      relation: 'member-of',
      toActorId: 'russia-mfa',
      validFrom: '2015-08-10',
      note: 'Spokeswoman of the Foreign Ministry.',
    });
    await relation({
      actorId: ACTOR,
      relation: 'member-of',
      toActorId: 'russia',
      validFrom: '2008-01-01',
      validTo: '2011-12-31',
    });
    await relation({
      actorId: 'ukraine',
      relation: 'does-not-recognise',
      toActorId: ACTOR,
      validFrom: '2022-02-17',
    });
  });

  afterAll(async () => {
    await web?.close();
    await t?.close();
  });

  /** How many entries the timeline lists for this query (one page: the sample is small). */
  async function timelineCount(query: string): Promise<number> {
    const res = await t.get(`/v1/timeline?limit=200&${query}`);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    return res.body.items.length as number;
  }

  /** Waits until the actor page shows `name` with its activity chart drawn. */
  async function actorShown(page: Page, name: string): Promise<void> {
    await page.locator('#actor-view').waitFor({ state: 'visible', ...WAIT });
    await page.waitForFunction(
      (n) =>
        document.body.dataset.state === 'ready' &&
        document.getElementById('actor-title')?.textContent === n &&
        document.querySelector('.activity-chart[data-total] canvas') !== null,
      name,
      WAIT,
    );
  }

  const chartTotal = (page: Page) => page.$eval('.activity-chart', (box: any) => Number(box.dataset.total));
  const tableTotal = (page: Page) =>
    page.$$eval('.activity-count', (cells) => cells.reduce((sum, c: any) => sum + Number(c.textContent), 0));

  it('from an entry, the claimant link opens the actor page with everything the API says of it', async () => {
    const view = (await t.get(`/v1/actors/${ACTOR}?limit=500`)).body;
    const page = await web.open(t, `/#entry/${SAMPLE_ENTRY}`);
    await page.waitForFunction(() => document.querySelectorAll('.history-item').length > 0, null, WAIT);
    await page.locator('#entry-view a.actor-link', { hasText: 'Maria Zakharova' }).first().click();
    await actorShown(page, 'Maria Zakharova');
    expect(await page.evaluate(() => location.hash)).toBe(`#actor/${ACTOR}`);

    // Profile: kind, country and aliases as the API gives them.
    const profile = await page.textContent('.actor-profile');
    expect(profile).toContain(view.kind);
    expect(profile).toContain(view.countryCode);
    for (const alias of view.aliases) expect(profile).toContain(alias);

    // Relations in the order they began, each with its period; the chart draws each as a bar.
    const relations = await page.$$eval('.relation', (rows) => rows.map((r: any) => r.textContent));
    expect(relations).toEqual([
      'Maria Zakharova part of Russian Foreign Ministry · no period stated',
      'Maria Zakharova member of Russia · 1 Jan 2008 – 31 Dec 2011 · source itv-news',
      'Maria Zakharova member of Russian Foreign Ministry · since 10 Aug 2015 · source itv-news · Spokeswoman of the Foreign Ministry.',
      'Ukraine does not recognise Maria Zakharova · since 17 Feb 2022 · source itv-news',
    ]);
    const bars = await page.$$eval('.relation-chart .rc-bar', (rects) =>
      rects.map((r: any) => ({ x: Number(r.getAttribute('x')), width: Number(r.getAttribute('width')) })),
    );
    expect(bars).toHaveLength(4);
    const [, closed, open, recognised] = bars as [unknown, Bar, Bar, Bar];
    expect(closed.x + closed.width).toBeLessThan(open.x); // 2008-2011 ends before 2015 begins
    expect(open.x).toBeLessThan(recognised.x);

    // Activity: the chart's days add up to the entries the timeline lists for the actor.
    const count = await timelineCount(`actor=${ACTOR}`);
    expect(count).toBe(view.involvement.entries);
    expect(await chartTotal(page)).toBe(count);
    expect(await tableTotal(page)).toBe(count);

    // Entries by role: every claim the API lists, each a link to its entry.
    const claims = await page.$$eval('.actor-role[data-role="claimant"] a[href^="#entry/"]', (links) =>
      links.map((a: any) => a.getAttribute('href')),
    );
    expect(claims.sort()).toEqual([...new Set(view.claims.map((c: any) => `#entry/${c.entryId}`))].sort());

    // Its disputed claim, with both disputes and who made them.
    const disputes = await page.$$eval(`.disputed-claim[data-entry-id="${SAMPLE_ENTRY}"] .dispute`, (items) =>
      items.map((i: any) => i.textContent),
    );
    expect(disputes).toHaveLength(view.disputedClaims.length);
    expect(disputes.join('\n')).toContain('disputed by United Kingdom');
    expect(disputes.join('\n')).toContain('disputed by NATO');
    await screenshot(page, 'actor', true);

    await page.goBack();
    await page.locator('#entry-view').waitFor({ state: 'visible', ...WAIT });
    await page.waitForFunction(() => document.activeElement?.id === 'entry-title', null, WAIT);
  });

  it('with its members rolled up, the activity counts what the timeline counts with members', async () => {
    const withMembers = await timelineCount('actor=russia&includeMembers=true');
    const alone = await timelineCount('actor=russia');
    expect(withMembers).toBeGreaterThan(alone);
    const page = await web.open(t, '/#actor/russia?includeMembers=true');
    await actorShown(page, 'Russia');
    expect(await chartTotal(page)).toBe(withMembers);
    expect(await tableTotal(page)).toBe(withMembers);
    // An entry claimed through a member names the member.
    expect(await page.textContent('.actor-role[data-role="claimant"]')).toContain('(as Maria Zakharova');
    await page.click('#actor-members-toggle');
    await page.waitForFunction(() => location.hash === '#actor/russia', null, WAIT);
    await page.waitForFunction(
      (n) => Number(document.querySelector('.activity-chart')?.dataset.total) === n,
      alone,
      WAIT,
    );
    expect(await tableTotal(page)).toBe(alone);
  });

  it('the timeline grouped by actor links each group to its actor page', async () => {
    const page = await web.open(t, '/?group=actor');
    await page.locator('.tl-group-title a', { hasText: 'NATO' }).click();
    await actorShown(page, 'NATO');
    expect(await page.evaluate(() => location.hash)).toBe('#actor/nato');
    expect(await chartTotal(page)).toBe(await timelineCount('actor=nato'));
  });

  it('keyboard only: Tab to a claimant, Enter opens the actor page; Back returns; its button leads to the timeline', async () => {
    const page = await web.open(t, `/#entry/${SAMPLE_ENTRY}`);
    await page.waitForFunction(() => document.activeElement?.id === 'entry-title', null, WAIT);
    const tabUntil = async (test: () => boolean, key = 'Tab') => {
      for (let i = 0; i < 80; i++) {
        if (await page.evaluate(test)) return;
        await page.keyboard.press(key);
      }
      throw new Error(`never reached by ${key}`);
    };
    await tabUntil(() => Boolean(document.activeElement?.classList.contains('actor-link')));
    const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
    expect(href).toMatch(/^#actor\//);
    await page.keyboard.press('Enter');
    await page.locator('#actor-view').waitFor({ state: 'visible', ...WAIT });
    await page.waitForFunction(() => document.activeElement?.id === 'actor-title', null, WAIT);
    expect(await page.evaluate(() => location.hash)).toBe(href);
    await page.goBack();
    await page.locator('#entry-view').waitFor({ state: 'visible', ...WAIT });
    await page.waitForFunction(() => document.activeElement?.id === 'entry-title', null, WAIT);
    await page.goForward();
    await page.waitForFunction(() => document.activeElement?.id === 'actor-title', null, WAIT);
    await tabUntil(() => document.activeElement?.id === 'actor-back', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.locator('#timeline-view').waitFor({ state: 'visible', ...WAIT });
    expect(await page.isHidden('#actor-view')).toBe(true);
  });

  it('has no serious or critical accessibility violations (axe-core) on actor pages', async () => {
    // axe is injected as an inline script: this context bypasses CSP for the scan only.
    for (const path of [`/#actor/${ACTOR}`, '/#actor/russia?includeMembers=true']) {
      const page = await web.open(t, path, { bypassCSP: true });
      await page.locator('#actor-view').waitFor({ state: 'visible', ...WAIT });
      await page.waitForFunction(() => document.querySelector('.activity-chart canvas') !== null, null, WAIT);
      await page.click('.activity-table summary');
      expect([path, await axeViolations(page)]).toEqual([path, []]);
    }
  });

  it('an actor with entries two thousand years apart gets a chart of a bounded number of points, per year', async () => {
    // One slot per day from year 1 to 2024 would be some 740,000 points: the page would hang.
    let position = '';
    for (const start of ['0001-06-01', '2024-03-01']) {
      const res = await t.append('StatementMade', {
        crisisId: 'russia-ukraine-2022',
        summary: `Ukraine statement dated ${start}`,
        occurred: { start, timezone: 'UTC' },
        actors: [{ actorId: 'ukraine', role: 'claimant' }],
        attribution: { sourceId: 'itv-news' },
      });
      position = res.position;
    }
    expect((await t.get(`/v1/timeline?limit=1&minPosition=${position}`)).status).toBe(200);
    const histogram = (await t.get('/v1/timeline/histogram?actor=ukraine&bucket=auto')).body;
    expect(histogram.bucket).toBe('year');
    const page = await web.open(t, '/#actor/ukraine');
    await actorShown(page, 'Ukraine');
    const drawn = await page.$eval('.activity-chart', (box: any) => ({
      unit: box.dataset.unit,
      points: Number(box.dataset.points),
    }));
    // The points drawn are the non-empty years, as many as the table's rows.
    expect(drawn.points).toBe(histogram.buckets.length);
    expect(drawn.unit).toBe('year');
    expect(await page.locator('.activity-count').count()).toBe(histogram.buckets.length);
    expect(await page.textContent('.actor-activity h3')).toBe('Activity per year');
    expect(await chartTotal(page)).toBe(await timelineCount('actor=ukraine'));
    expect(await tableTotal(page)).toBe(await timelineCount('actor=ukraine'));
    expect(await page.textContent('.activity-summary')).toMatch(/by the year they began \(UTC\), 1 to 2024;/);
  });

  it('logged no console error, no uncaught error and no CSP violation on any page above', async () => {
    await web.closePages();
    expect(web.problems).toEqual({ console: [], errors: [], csp: [] });
  });
});
