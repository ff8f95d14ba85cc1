import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { axeViolations, ready, screenshot, WAIT, WebBrowser } from './browser';
import { TestApp } from './harness';

/**
 * The timeline's zoom (issue 21) in chromium: the visible range in the URL, buckets from the
 * histogram route when more entries match than the page reads, and disputes and links drawn
 * between the entries. Every wait is for a condition.
 */
jest.setTimeout(180_000);

// Callbacks passed to page.evaluate and waitForFunction run in the browser (see browser.ts).
declare const document: any;
declare const location: any;

/** The page reads up to this many entries (api.js); past it the timeline shows buckets. */
const CAP = 2000;

describe('zooming the timeline, its buckets, and the lines between entries (chromium)', () => {
  let t: TestApp;
  let web: WebBrowser;

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
    web = await WebBrowser.launch();
  });

  afterAll(async () => {
    await web?.close();
    await t?.close();
  });

  /**
   * Applying a batch can hold the loop (service and spec share one process) past the server's
   * keep-alive timeout, and the connections kept by fetch are then reset, one per try: tries again
   * until one goes out on a new connection (a batch whose items carry ids stores nothing twice).
   */
  async function again<T>(request: () => Promise<T>, tries = 10): Promise<T> {
    for (let i = 1; ; i++) {
      try {
        return await request();
      } catch (e) {
        if (!(e instanceof TypeError) || i >= tries) throw e;
      }
    }
  }

  /** Every entry the API lists for a query (all pages). */
  async function apiItems(query: string): Promise<any[]> {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: any } = await t.get(
        `/v1/timeline?limit=200${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }

  const viewOf = (page: Page) => new URL(page.url()).searchParams.get('view');
  const itemCount = (page: Page) => page.locator('.tl-item').count();
  const rangeText = (page: Page) => page.locator('#tl-range').textContent();

  /** Waits until the URL's view is no longer `before` and the timeline is drawn for it. */
  async function viewChanged(page: Page, before: string | null, text: string | null): Promise<string | null> {
    await page.waitForFunction(
      ([view, shown]) =>
        new URLSearchParams(location.search).get('view') !== view &&
        document.body.dataset.state === 'ready' &&
        document.getElementById('tl-range')?.textContent !== shown,
      [before, text] as const,
      WAIT,
    );
    return viewOf(page);
  }

  /** Zooms with a button, and waits for the new view to be drawn. */
  async function zoom(
    page: Page,
    action: 'in' | 'out' | 'earlier' | 'later' | 'all',
  ): Promise<string | null> {
    const [before, text] = [viewOf(page), await rangeText(page)];
    await page.click(`[data-zoom="${action}"]`);
    return viewChanged(page, before, text);
  }

  /** A view param's width in ms. */
  const width = (view: string) => {
    const [a, b] = view.split('/').map((x) => Date.parse(x));
    return b! - a!;
  };

  /** The API's from/to for a view param. */
  const viewQuery = (view: string) => {
    const [from, to] = view.split('/');
    return `from=${encodeURIComponent(from!)}&to=${encodeURIComponent(to!)}`;
  };

  it('zooms in: the range in the URL narrows, fewer entries show, and a reload keeps it', async () => {
    const all = await apiItems('');
    const page = await web.open(t, '/');
    await page.waitForFunction((n) => document.querySelectorAll('.tl-item').length === n, all.length, WAIT);
    expect(viewOf(page)).toBeNull();
    expect(await page.locator('[data-zoom="all"]').isDisabled()).toBe(true);

    let view: string | null = null;
    for (let i = 0; i < 6 && (await itemCount(page)) >= all.length; i++) view = await zoom(page, 'in');
    expect(view).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const [start, end] = view!.split('/').map((x) => Date.parse(x));
    // The entries shown are the API's for the view, and fewer than all.
    const inView = await apiItems(viewQuery(view!));
    expect(inView.length).toBeLessThan(all.length);
    expect(inView.length).toBeGreaterThan(0);
    const shownIds = async () =>
      (await page.$$eval('.tl-item', (links) => links.map((l) => l.dataset.entryId))).sort();
    expect(await shownIds()).toEqual(inView.map((i) => i.entryId).sort());
    for (const i of inView) {
      expect(Date.parse(i.occurred.start)).toBeLessThan(end!);
      expect(Date.parse(i.occurred.end)).toBeGreaterThan(start!);
    }
    const text = await rangeText(page);

    // The reload reads the view's range only: from/to narrowed to it.
    const reads: URL[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/v1/timeline') reads.push(url);
    });
    await page.reload();
    await ready(page);
    await page.waitForFunction(
      (n) => document.querySelectorAll('.tl-item').length === n,
      inView.length,
      WAIT,
    );
    expect(viewOf(page)).toBe(view);
    expect(await rangeText(page)).toBe(text);
    expect(reads.map((u) => [u.searchParams.get('from'), u.searchParams.get('to')])).toEqual([
      view!.split('/'),
    ]);
    expect(await shownIds()).toEqual(inView.map((i) => i.entryId).sort());

    // Panning keeps the width; the whole range comes back with one button.
    const later = await zoom(page, 'later');
    const [ls, le] = later!.split('/').map((x) => Date.parse(x));
    expect(le! - ls!).toBe(end! - start!);
    expect(ls!).toBeGreaterThan(start!);
    expect(await zoom(page, 'all')).toBeNull();
    await page.waitForFunction((n) => document.querySelectorAll('.tl-item').length === n, all.length, WAIT);
  });

  it('zooms with the keyboard (focus stays on the zoom bar) and with the wheel over the axis', async () => {
    const page = await web.open(t, '/');
    await page.locator('[data-zoom="in"]').focus();
    let before = [viewOf(page), await rangeText(page)] as const;
    await page.keyboard.press('Enter');
    const first = await viewChanged(page, ...before);
    expect(await page.evaluate(() => document.activeElement?.dataset.zoom)).toBe('in');

    before = [first, await rangeText(page)];
    await page.keyboard.press('-');
    const wider = await viewChanged(page, ...before);
    expect(width(wider!)).toBe(2 * width(first!));
    expect(await page.evaluate(() => document.activeElement?.dataset.zoom)).toBe('out');

    // From an entry's link: ← moves the view earlier.
    await page.locator('.tl-item').first().focus();
    before = [wider, await rangeText(page)];
    await page.keyboard.press('ArrowLeft');
    const earlier = await viewChanged(page, ...before);
    expect(Date.parse(earlier!.split('/')[0]!)).toBeLessThan(Date.parse(wider!.split('/')[0]!));

    // The wheel over the axis zooms in around the pointer.
    const box = (await page.locator('.tl-axis-track').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    before = [earlier, await rangeText(page)];
    await page.mouse.wheel(0, -120);
    const wheeled = await viewChanged(page, ...before);
    // Halved, to the minute the view is kept to.
    expect(Math.abs(width(wheeled!) - width(earlier!) / 2)).toBeLessThanOrEqual(60_000);
  });

  it('draws a dispute (counter-claim) and a link between the right entries, with their text', async () => {
    const all = await apiItems('');
    const disputed = all.find((i) => i.counteredBy?.length > 0);
    const counter = disputed.counteredBy[0].entryId as string;
    // The sample has no EntryLinked: link two of its entries through the API.
    const [from, to] = all.filter((i) => i.entryId !== disputed.entryId && i.entryId !== counter);
    const linked = await t.post('/v1/events', {
      type: 'EntryLinked',
      data: {
        fromEntryId: from.entryId,
        toEntryId: to.entryId,
        relation: 'same-report',
        sourceId: 'itv-news',
      },
    });
    expect(linked.status).toBe(201);

    expect((await t.get(`/v1/timeline?limit=1&minPosition=${linked.body.position}`)).status).toBe(200);
    const page = await web.open(t, '/');
    const selector = (kind: string, a: string, b: string) =>
      `svg.tl-links path[data-kind="${kind}"][data-from="${a}"][data-to="${b}"]`;
    await page.locator(selector('link', from.entryId, to.entryId)).waitFor(WAIT);
    await page.locator(selector('dispute', counter, disputed.entryId)).waitFor(WAIT);

    // Each line runs from the middle of one entry's bar to the middle of the other's.
    const ends = await page.$$eval('svg.tl-links path[data-kind]', (paths) => {
      const box = document.getElementById('timeline').getBoundingClientRect();
      const centre = (id: string) => {
        const r = document.querySelector(`.tl-item[data-entry-id="${id}"] .tl-bar`).getBoundingClientRect();
        const track = document
          .querySelector(`.tl-item[data-entry-id="${id}"] .tl-track`)
          .getBoundingClientRect();
        const x = Math.min(Math.max(r.left + r.width / 2, track.left), track.right);
        return [x - box.left, r.top + r.height / 2 - box.top];
      };
      return paths.map((p) => {
        const numbers = p
          .getAttribute('d')
          .match(/-?[\d.]+/g)
          .map(Number);
        return {
          kind: p.dataset.kind,
          start: numbers.slice(0, 2),
          end: numbers.slice(-2),
          from: centre(p.dataset.from),
          to: centre(p.dataset.to),
        };
      });
    });
    expect(ends.length).toBeGreaterThanOrEqual(2);
    const apart = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);
    for (const e of ends) {
      expect(apart(e.start, e.from)).toBeLessThan(1.5);
      expect(apart(e.end, e.to)).toBeLessThan(1.5);
    }

    // The legend names both kinds, and the list says the same in words, with links to both entries.
    const legend = await page.locator('.tl-link-legend').textContent();
    expect(legend).toContain('counter-claim');
    expect(legend).toContain('link between entries');
    const sentence = async (key: string) =>
      page
        .locator(`.tl-connection-list li[data-connection="${key}"] a`)
        .evaluateAll((links) => links.map((l) => l.getAttribute('href')));
    const linkRow = page.locator('.tl-connection-list li[data-connection^="link:"]').first();
    expect(await linkRow.textContent()).toContain(' same report ');
    expect(
      await linkRow.locator('a').evaluateAll((links) => links.map((l) => l.getAttribute('href'))),
    ).toEqual([`#entry/${from.entryId}`, `#entry/${to.entryId}`]);
    expect(await sentence(`dispute:${counter}:${disputed.entryId}`)).toEqual([
      `#entry/${counter}`,
      `#entry/${disputed.entryId}`,
    ]);
    await screenshot(page, 'timeline-links');
  });

  it('has no serious or critical accessibility violations on a zoomed view (axe-core)', async () => {
    const page = await web.open(t, '/', { bypassCSP: true });
    await zoom(page, 'in');
    await page.locator('.tl-connection-list summary').click();
    expect(await axeViolations(page)).toEqual([]);
  });

  describe('a chronology larger than the page reads', () => {
    let total = 0;

    beforeAll(async () => {
      // 2,100 short statements over 2021, a few a day, through the batch route.
      const day = (i: number) =>
        new Date(Date.UTC(2021, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
      // The pages opened so far would each render every change of their live feeds meanwhile.
      await web.closePages();
      let last = '';
      for (let batch = 0; batch < 3; batch++) {
        const items = Array.from({ length: 700 }, (_, k) => {
          const i = batch * 700 + k;
          return {
            id: randomUUID(),
            type: 'StatementMade',
            data: {
              crisisId: 'russia-ukraine-2022',
              summary: `Bulk statement ${i}`,
              occurred: { start: day(i), timezone: 'UTC' },
              actors: [{ actorId: 'russia', role: 'claimant' }],
              attribution: { sourceId: 'itv-news' },
            },
          };
        });
        const res = await again(() => t.post('/v1/events/batch', { items }));
        expect(res.status).toBe(200);
        expect(res.body.failed).toBe(0);
        last = res.body.items[res.body.items.length - 1].position;
      }
      total = (await again(() => apiItems(`minPosition=${last}`))).length;
      expect(total).toBeGreaterThan(CAP);
    }, 180_000);

    it('shows buckets whose counts sum to the total, no items, and the entries once zoomed into a bucket', async () => {
      const page = await web.open(t, '/');
      await page.locator('.tl-bucket-bar').first().waitFor(WAIT);
      expect(await itemCount(page)).toBe(0);
      const counts = await page.$$eval('.tl-bucket-bar', (bars) => bars.map((b) => Number(b.dataset.count)));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
      expect(counts.length).toBeLessThanOrEqual(200);
      // Each bar is named with its count for screen readers.
      const label = await page.locator('.tl-bucket-bar').first().getAttribute('aria-label');
      expect(label).toMatch(new RegExp(`: ${counts[0]!.toLocaleString('en')} entr(y|ies)\\. Zoom in to it$`));
      expect(await page.locator('#tl-histogram-caption').textContent()).toContain(
        `${total.toLocaleString('en')} entries`,
      );
      await screenshot(page, 'timeline-buckets');

      // A bucket holding fewer entries than the cap: its entries, as the API lists them.
      const bar = page.locator('.tl-bucket-bar').nth(Math.floor(counts.length / 2));
      const [start, end, count] = await bar.evaluate((b) => [
        b.dataset.bucketStart,
        b.dataset.bucketEnd,
        b.dataset.count,
      ]);
      const before = [viewOf(page), await rangeText(page)] as const;
      await bar.focus();
      await page.keyboard.press('Enter');
      const view = await viewChanged(page, ...before);
      expect(view).toBe(`${start!.replace('.000Z', 'Z')}/${end!.replace('.000Z', 'Z')}`);
      const inView = await apiItems(viewQuery(view!));
      expect(inView.length).toBeGreaterThanOrEqual(Number(count));
      expect(inView.length).toBeLessThanOrEqual(CAP);
      await page.waitForFunction(
        (n) => document.querySelectorAll('.tl-item').length === n,
        inView.length,
        WAIT,
      );
      expect(await page.locator('.tl-bucket-bar').count()).toBe(0);

      // Zoomed out again: buckets, never more items than the cap.
      await zoom(page, 'all');
      await page.locator('.tl-bucket-bar').first().waitFor(WAIT);
      expect(await itemCount(page)).toBe(0);
    });

    it('a view whose entries include one begun long before it: one "began earlier" button, no bar outside the view', async () => {
      // Matched by the view because it lasts into it; counted by the histogram in the week it began.
      const long = await again(() =>
        t.append('StatementMade', {
          crisisId: 'russia-ukraine-2022',
          summary: 'A statement repeated from January 2020 to the end of 2021',
          occurred: { start: '2020-01-10', end: '2021-12-31', timezone: 'UTC' },
          actors: [{ actorId: 'russia', role: 'claimant' }],
          attribution: { sourceId: 'itv-news' },
        }),
      );
      const view = '2021-01-01T00:00:00Z/2022-01-01T00:00:00Z';
      const viewStart = Date.parse('2021-01-01T00:00:00Z');
      await again(() => t.get(`/v1/timeline?limit=1&minPosition=${long.position}`));
      const histogram = (await again(() => t.get(`/v1/timeline/histogram?${viewQuery(view)}`))).body;
      const before = histogram.buckets.filter((b: any) => Date.parse(b.end) <= viewStart);
      expect(before).toEqual([
        { start: '2020-01-06T00:00:00.000Z', end: '2020-01-13T00:00:00.000Z', count: 1 },
      ]);

      const page = await web.open(t, `/?view=${view}`);
      await page.locator('.tl-bucket-bar').first().waitFor(WAIT);
      const bars = await page.$$eval('.tl-bucket-bar', (list) =>
        list.map((b) => ({ end: b.dataset.bucketEnd, count: Number(b.dataset.count) })),
      );
      // Every bar is a bucket that reaches into the view, named by dates in it or at its start.
      for (const b of bars) expect(Date.parse(b.end)).toBeGreaterThan(viewStart);
      const earlier = page.locator('.tl-bucket-earlier');
      expect(await earlier.count()).toBe(1);
      expect(await earlier.textContent()).toBe(
        '1 entry began before 1 Jan 2021 and last into this range: zoom to when they began',
      );
      expect(Number(await earlier.getAttribute('data-count'))).toBe(1);
      // The bars and the button add up to the API's total.
      expect(bars.reduce((sum, b) => sum + b.count, 0) + 1).toBe(histogram.total);

      // The button zooms to when they began, where the timeline lists the entry.
      const shown = [viewOf(page), await rangeText(page)] as const;
      await earlier.click();
      expect(await viewChanged(page, ...shown)).toBe('2020-01-06T00:00:00Z/2020-01-13T00:00:00Z');
      await page.locator(`.tl-item[data-entry-id="${long.entryId}"]`).waitFor(WAIT);

      // The button beside the caption, scanned by axe (injected inline: CSP bypassed for the scan).
      const scanned = await web.open(t, `/?view=${view}`, { bypassCSP: true });
      await scanned.locator('.tl-bucket-earlier').waitFor(WAIT);
      expect(await axeViolations(scanned)).toEqual([]);
    });

    it('has no serious or critical accessibility violations on the buckets (axe-core)', async () => {
      const page = await web.open(t, '/', { bypassCSP: true });
      await page.locator('.tl-bucket-bar').first().waitFor(WAIT);
      expect(await axeViolations(page)).toEqual([]);
    });

    it('reported no console error, uncaught error or CSP violation on any page of this spec', async () => {
      await web.closePages();
      expect(web.problems).toEqual({ console: [], errors: [], csp: [] });
    });
  });
});
