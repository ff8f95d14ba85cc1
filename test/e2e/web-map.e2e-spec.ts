import type { Page } from 'playwright-core';
import { reportBase } from '../fixtures/chronology.fixtures';
import { axeViolations, following, screenshot, WAIT, WebBrowser } from './browser';
import { TestApp } from './harness';

/**
 * The map of the located entries (issue 21) in chromium: markers in step with the filters, on
 * country outlines drawn from world-atlas, zoomed and panned from the keyboard, following the live
 * feed. The sample names places without coordinates, so the spec first reports a few with them.
 */
jest.setTimeout(120_000);

// Callbacks passed to page.evaluate and waitForFunction run in the browser (see browser.ts).
declare const document: any;
declare const location: any;

const CRISIS = 'russia-ukraine-2022';
const KYIV = { name: 'Kyiv', countryCode: 'UA', lat: 50.4501, lon: 30.5234, geoPrecision: 2 };
const where = (place: object) => ({ ...place, role: 'where' });

interface Place {
  lat?: number;
  lon?: number;
}
interface Item {
  entryId: string;
  status: string;
  locations?: Place[];
}

/** Markers the map should draw: one per distinct point of each entry's places with coordinates. */
function pointsOf(item: Item): string[] {
  const located = (item.locations ?? []).filter(
    (p) => typeof p.lat === 'number' && typeof p.lon === 'number',
  );
  return [...new Set(located.map((p) => `${p.lat!.toFixed(3)},${p.lon!.toFixed(3)}`))];
}

describe('the map in chromium', () => {
  let t: TestApp;
  let web: WebBrowser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
    web = await WebBrowser.launch();
    const report = async (name: string, day: number, data: Record<string, unknown>) => {
      const body = reportBase(day, { crisisId: CRISIS, summary: `${name}: a located report`, ...data });
      ids[name] = (await t.append('StatementMade', body)).entryId;
    };
    const ukraine = [{ actorId: 'ukraine', role: 'claimant' }];
    await report('kyiv-1', 10, { actors: ukraine, locations: [where(KYIV)] });
    await report('kyiv-2', 11, { actors: ukraine, locations: [where(KYIV)] });
    await report('brussels', 12, {
      actors: [{ actorId: 'nato', role: 'claimant' }],
      locations: [where({ name: 'Brussels', countryCode: 'BE', lat: 50.8503, lon: 4.3517, geoPrecision: 2 })],
    });
    await report('moscow', 13, {
      actors: [{ actorId: 'russia', role: 'claimant' }],
      locations: [where({ name: 'Moscow', countryCode: 'RU', lat: 55.7558, lon: 37.6173, geoPrecision: 2 })],
    });
    // Two places with coordinates (two markers) and one without (not drawn); russia is its agent.
    await report('belgorod-kharkiv', 14, {
      locations: [
        { name: 'Belgorod', countryCode: 'RU', lat: 50.5954, lon: 36.5873, geoPrecision: 2, role: 'origin' },
        { name: 'Kharkiv', countryCode: 'UA', lat: 49.9935, lon: 36.2304, geoPrecision: 2, role: 'target' },
        { name: 'Somewhere on the border', countryCode: 'UA', geoPrecision: 3, role: 'where' },
      ],
    });
    // Other statuses than `reported`: one corroborated, one of the two Kyiv reports disputed.
    await t.append('EntryCorroborated', { entryId: ids.moscow, sourceId: 'ap' });
    await t.append('EntryDisputed', { entryId: ids['kyiv-2'], byActorId: 'russia', reason: 'denied' });
  });

  afterAll(async () => {
    await web?.close();
    await t?.close();
  });

  const open = (path: string, bypassCSP = false) => web.open(t, path, { bypassCSP });

  /** The API's items for a query, and what the map should show for them. */
  async function expected(query = '') {
    const res = await t.get(`/v1/timeline?limit=200${query ? `&${query}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const items = res.body.items as Item[];
    const markers = items.reduce((n, item) => n + pointsOf(item).length, 0);
    const located = items.filter((item) => pointsOf(item).length > 0);
    return { items, markers, located, unlocated: items.length - located.length };
  }

  /** Waits until the map shows `n` markers (its count and the markers' own counts agree). */
  async function mapShows(page: Page, n: number) {
    await page.waitForFunction(
      (count) => {
        const map = document.getElementById('map');
        const markers = [...document.querySelectorAll('#map .map-marker')];
        const sum = markers.reduce((s: number, m: any) => s + Number(m.dataset.count), 0);
        return (
          document.body.dataset.state === 'ready' &&
          !map.hidden &&
          map.dataset.markers === String(count) &&
          sum === count
        );
      },
      n,
      WAIT,
    );
  }

  /** The entry ids behind the markers, each once per marker (a group's entries from its list). */
  async function markedEntries(page: Page): Promise<string[]> {
    return page.$$eval('#map .map-marker[data-entry-id]', (links) =>
      links.map((a: any) => a.dataset.entryId),
    );
  }

  /** The centre of a marker on the page. */
  async function centreOf(page: Page, selector: string): Promise<[number, number]> {
    const box = (await page.locator(selector).boundingBox())!;
    return [box.x + box.width / 2, box.y + box.height / 2];
  }

  it('shows a marker for every located place the API answers, on drawn country outlines', async () => {
    const all = await expected();
    expect(all.markers).toBe(6); // Kyiv twice, Brussels, Moscow, Belgorod and Kharkiv
    const page = await open('/?show=map');
    await mapShows(page, all.markers);
    await page.waitForFunction(
      () => document.querySelectorAll('#map path.map-country').length > 150,
      null,
      WAIT,
    );
    expect(await page.isHidden('#timeline')).toBe(true);
    // The two Kyiv reports share one marker that counts them; the others are links to their entry.
    const kyiv = page.locator('#map .map-group');
    expect(await kyiv.count()).toBe(1);
    expect(await kyiv.getAttribute('data-count')).toBe('2');
    expect(await kyiv.getAttribute('aria-label')).toContain('2 entries at Kyiv');
    const singles = await markedEntries(page);
    expect(singles.sort()).toEqual(
      [ids.brussels, ids.moscow, ids['belgorod-kharkiv'], ids['belgorod-kharkiv']].sort(),
    );
    // Coloured by the entry's status, with the page's status classes; a group of mixed statuses
    // shows their shares.
    expect(all.located.find((i) => i.entryId === ids.moscow)?.status).toBe('corroborated');
    expect(await kyiv.getAttribute('aria-label')).toContain('1 reported, 1 disputed');
    for (const item of all.located.filter((i) => i.entryId !== ids['kyiv-1'] && i.entryId !== ids['kyiv-2']))
      for (const marker of await page.locator(`#map .map-marker[data-entry-id="${item.entryId}"]`).all())
        expect(await marker.getAttribute('class')).toContain(`status-${item.status}`);
    // Fitted: every marker is inside the visible map.
    const stage = (await page.locator('#map .map-stage').boundingBox())!;
    for (const marker of await page.locator('#map .map-marker').all()) {
      const box = (await marker.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(stage.x);
      expect(box.y).toBeGreaterThanOrEqual(stage.y);
      expect(box.x + box.width).toBeLessThanOrEqual(stage.x + stage.width);
      expect(box.y + box.height).toBeLessThanOrEqual(stage.y + stage.height);
    }
    // Entries without coordinates are counted, not drawn.
    expect(all.unlocated).toBeGreaterThan(20); // the sample's entries, some naming places
    expect(await page.textContent('#map-summary')).toContain(`${all.unlocated} entries have no coordinates`);
    await screenshot(page, 'map');
  });

  it('switching to the map is kept in the URL; an actor filter changes the markers, and a reload keeps both', async () => {
    const all = await expected();
    const russia = await expected('actor=russia&includeMembers=true');
    expect(russia.markers).toBe(3); // Moscow, Belgorod and Kharkiv
    const page = await open('/');
    await page.check('input[name="show"][value="map"]');
    await page.waitForFunction(() => location.search.includes('show=map'), null, WAIT);
    await mapShows(page, all.markers);
    await page.selectOption('#f-actor', 'russia');
    await page.check('#f-members');
    await page.click('#apply');
    await page.waitForFunction(() => location.search.includes('actor=russia'), null, WAIT);
    await mapShows(page, russia.markers);
    const wanted = russia.located.flatMap((i) => pointsOf(i).map(() => i.entryId)).sort();
    expect((await markedEntries(page)).sort()).toEqual(wanted);
    await page.reload();
    await mapShows(page, russia.markers);
    expect((await markedEntries(page)).sort()).toEqual(wanted);
    expect(await page.isChecked('input[name="show"][value="map"]')).toBe(true);
    expect(await page.inputValue('#f-actor')).toBe('russia');
    // Back to the timeline: the map is hidden, the timeline shows the same filtered entries.
    await page.check('input[name="show"][value="timeline"]');
    await page.locator('#timeline').waitFor({ state: 'visible', ...WAIT });
    expect(await page.isHidden('#map')).toBe(true);
    expect(new URL(page.url()).searchParams.get('show')).toBeNull();
  });

  it('a marker opens its entry; a group marker lists its entries, each opening its own', async () => {
    const all = await expected();
    const page = await open('/?show=map');
    await mapShows(page, all.markers);
    await page.click(`#map .map-marker[data-entry-id="${ids.moscow}"]`);
    await page.locator('#entry-view').waitFor({ state: 'visible', ...WAIT });
    await page.waitForFunction((id) => location.hash === `#entry/${id}`, ids.moscow, WAIT);
    await page.waitForFunction(
      () => document.getElementById('entry')?.textContent?.includes('moscow: a located report'),
      null,
      WAIT,
    );
    await page.click('#back');
    await mapShows(page, all.markers);
    await page.click('#map .map-group');
    await page.locator('#map-list').waitFor({ state: 'visible', ...WAIT });
    expect(await page.getAttribute('#map .map-group', 'aria-expanded')).toBe('true');
    const listed = await page.$$eval('#map-list a', (links) => links.map((a: any) => a.dataset.entryId));
    expect(listed.sort()).toEqual([ids['kyiv-1'], ids['kyiv-2']].sort());
    // Focus is on the list's first entry: Enter opens it.
    const first = await page.evaluate(() => document.activeElement?.dataset?.entryId);
    expect(listed).toContain(first);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash === `#entry/${id}`, first, WAIT);
    await page.locator('#entry-view').waitFor({ state: 'visible', ...WAIT });
  });

  it('zooms and pans from the keyboard: + and - about the centre, arrows, 0 fits again', async () => {
    const all = await expected();
    const page = await open('/?show=map');
    await mapShows(page, all.markers);
    for (
      let i = 0;
      i < 80 && !(await page.evaluate(() => document.activeElement?.classList.contains('map-stage')));
      i++
    )
      await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/zoom/);
    const moscow = `#map .map-marker[data-entry-id="${ids.moscow}"]`;
    const brussels = `#map .map-marker[data-entry-id="${ids.brussels}"]`;
    const distance = async () => {
      const [a, b] = [await centreOf(page, moscow), await centreOf(page, brussels)];
      return Math.hypot(a[0] - b[0], a[1] - b[1]);
    };
    const zoom = () => page.evaluate(() => Number(document.querySelector('#map .map-stage').dataset.zoom));
    const zoomPasses = (compare: 'below' | 'above', than: number) =>
      page.waitForFunction(
        ([c, z]) => {
          const now = Number(document.querySelector('#map .map-stage').dataset.zoom);
          return c === 'below' ? now < z : now > z;
        },
        [compare, than] as const,
        WAIT,
      );
    const fitted = await zoom();
    const atFit = await distance();
    // Places move together and apart in proportion to the zoom (fitted, both are in view).
    await page.keyboard.press('-');
    await zoomPasses('below', fitted);
    const zoomedOut = await zoom();
    const apartOut = await distance();
    expect(apartOut / atFit).toBeCloseTo(1 / 1.5, 2);
    await page.keyboard.press('+');
    await zoomPasses('above', zoomedOut);
    expect((await distance()) / apartOut).toBeCloseTo(1.5, 2);
    // An arrow pans: every marker moves the same way by the same amount.
    const [x0, y0] = await centreOf(page, moscow);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      ([sel, x]) => document.querySelector(sel).getBoundingClientRect().left < x - 100,
      [moscow, x0] as const,
      WAIT,
    );
    const [x1, y1] = await centreOf(page, moscow);
    expect(y1).toBeCloseTo(y0, 0);
    expect(x1).toBeLessThan(x0);
    await page.keyboard.press('0');
    await page.waitForFunction(
      ([z, x]) =>
        Number(document.querySelector('#map .map-stage').dataset.zoom) === z &&
        document.querySelector(x).getBoundingClientRect().left > 0,
      [fitted, brussels] as const,
      WAIT,
    );
    expect((await distance()) / atFit).toBeCloseTo(1, 2);
    // The buttons do the same.
    await page.click('#map button.map-zoom-in');
    await zoomPasses('above', fitted);
    const zoomedIn = await zoom();
    await page.click('#map button.map-zoom-out');
    await zoomPasses('below', zoomedIn);
  });

  it('a live event with a location appears on the map, highlighted, without a reload', async () => {
    const before = await expected();
    const page = await open('/?show=map');
    await mapShows(page, before.markers);
    await following(page);
    await page.$$eval('#map .map-marker', (markers) => markers.forEach((m: any) => (m.dataset.seen = 'yes')));
    const odesa = { name: 'Odesa', countryCode: 'UA', lat: 46.4825, lon: 30.7233, geoPrecision: 2 };
    const body = reportBase(15, {
      crisisId: CRISIS,
      summary: `Live at Odesa ${Date.now()}`,
      locations: [where(odesa)],
    });
    const { entryId } = await t.append('StatementMade', body);
    await page.locator(`#map .map-marker.is-new[data-entry-id="${entryId}"]`).waitFor(WAIT);
    await mapShows(page, before.markers + 1);
    expect(await page.getAttribute(`#map .map-marker[data-entry-id="${entryId}"]`, 'title')).toContain(
      'Odesa',
    );
    // Only the new marker was drawn: the others are the same elements as before.
    const redrawn = await page.$$eval('#map .map-marker:not([data-seen])', (m) =>
      m.map((x: any) => x.dataset.key),
    );
    expect(redrawn).toHaveLength(1);
  });

  it('with 2,000 entries at distinct places, an update or a zoom redraws only what changed', async () => {
    const page = await open('/?show=map');
    await mapShows(page, (await expected()).markers);
    // The page's own module instance (same URL), driven with synthetic items. Passed as source
    // text: a function here would be compiled for Node, its import() turned into require().
    const render = (code: string) =>
      page.evaluate(`(async () => {
        const { renderMap } = await import('/web/map.js');
        const item = (i, status) => ({
          entryId: '00000000-0000-4000-8000-' + String(i).padStart(12, '0'),
          revision: 0,
          status,
          summary: 'synthetic ' + i,
          occurred: { start: '2022-02-16', precision: 'day' },
          locations: [{ name: 'p' + i, role: 'where', lat: 44 + (i % 50) * 0.2, lon: 22 + Math.floor(i / 50) * 0.4 }],
        });
        ${code}
        renderMap(document.getElementById('map'), window.synthetic, { query: 'synthetic', highlighted: window.fresh });
      })()`);
    await render(
      `window.synthetic = Array.from({ length: 2000 }, (_, i) => item(i, 'reported')); window.fresh = new Set();`,
    );
    await mapShows(page, 2000);
    await page.$$eval('#map .map-marker', (markers) => markers.forEach((m: any) => (m.dataset.seen = 'yes')));
    await render(
      `window.synthetic.push(item(2000, 'disputed')); window.fresh = new Set([window.synthetic[2000].entryId]);`,
    );
    await mapShows(page, 2001);
    const unseen = () =>
      page.$$eval('#map .map-marker:not([data-seen])', (m) => m.map((x: any) => x.dataset.key));
    expect(await unseen()).toEqual(['44.000,38.000']);
    // Zooming and panning move the markers; none is built again.
    await page.focus('#map .map-stage');
    const zoom = await page.getAttribute('#map .map-stage', 'data-zoom');
    await page.keyboard.press('+');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(
      (z) => document.querySelector('#map .map-stage').dataset.zoom !== z,
      zoom,
      WAIT,
    );
    expect(await unseen()).toEqual(['44.000,38.000']);
  });

  it('has no serious or critical accessibility violations (axe-core), with a group list open', async () => {
    const page = await open('/?show=map', true);
    await mapShows(page, (await expected()).markers);
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#map .map-group');
    await page.locator('#map-list').waitFor({ state: 'visible', ...WAIT });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('logged no console error, no uncaught error and no CSP violation', async () => {
    await web.closePages();
    expect(web.problems).toEqual({ console: [], errors: [], csp: [] });
  });
});
