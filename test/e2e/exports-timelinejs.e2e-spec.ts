import { readFileSync } from 'node:fs';
import { dirname, extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { reportBase } from '../fixtures/chronology.fixtures';
import { launchChromium, WAIT } from './browser';
import { TestApp } from './harness';

/**
 * The TimelineJS export opened by TimelineJS3 itself (@knight-lab/timelinejs, its published build)
 * in Debian's chromium: every entry becomes a slide, none is refused, and partial dates stay partial.
 * The library and a page that embeds it are served to the browser from a made-up origin by
 * request interception (no network, no second server); the export comes from the service over HTTP.
 */
jest.setTimeout(120_000);

declare const window: any;
declare const document: any;

const ORIGIN = 'http://timelinejs.test';
const DIST = join(dirname(require.resolve('@knight-lab/timelinejs/package.json')), 'dist');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.html': 'text/html',
};

/** The embedding page, as TimelineJS's documentation shows it: a sized container and `new TL.Timeline`. */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="${ORIGIN}/dist/css/timeline.css">
<script src="${ORIGIN}/dist/js/timeline.js"></script>
</head><body>
<div id="timeline-embed" style="width: 1200px; height: 700px"></div>
<script>
  window.tlReport = { errors: [] };
  fetch('${ORIGIN}/export.json').then((r) => r.json()).then((data) => {
    const timeline = new TL.Timeline('timeline-embed', data, { script_path: '${ORIGIN}/dist/js/' });
    timeline.on('loaded', (config) => {
      window.tlReport.events = config.events.length;
      window.tlReport.errors = config.messages ? config.messages.errors.map(String) : [];
      window.tlReport.loaded = true;
    });
  });
</script>
</body></html>`;

describe('GET /v1/exports/timelinejs, loaded by TimelineJS3 in chromium', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders one slide per exported entry (and the title), month-only dates shown as months', async () => {
    const monthOnly = (
      await t.append(
        'StatementMade',
        reportBase(28, {
          crisisId: 'russia-ukraine-2022',
          summary: 'A statement dated to its month only.',
          occurred: { start: '2022-02', timezone: 'Europe/Kyiv' },
        }),
      )
    ).entryId;
    const res = await t.get('/v1/exports/timelinejs');
    expect(res.status).toBe(200);
    const exported = JSON.parse(res.text) as { title?: unknown; events: Array<{ unique_id: string }> };
    expect(exported.events.length).toBeGreaterThan(10);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.route(`${ORIGIN}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
      if (path === '/export.json') return route.fulfill({ contentType: 'application/json', body: res.text });
      const file = normalize(join(DIST, path.replace(/^\/dist\//, '')));
      if (!path.startsWith('/dist/') || !file.startsWith(DIST)) return route.fulfill({ status: 404 });
      try {
        return await route.fulfill({ contentType: TYPES[extname(file)], body: readFileSync(file) });
      } catch {
        return route.fulfill({ status: 404 });
      }
    });
    await page.route(/^https?:\/\/(?!timelinejs\.test)/, (route) => route.abort()); // no network
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => window.tlReport?.loaded === true, null, WAIT);

    const report = await page.evaluate(() => ({
      ...window.tlReport,
      slides: document.querySelectorAll('.tl-slide').length,
      markers: document.querySelectorAll('.tl-timemarker').length,
    }));
    expect(pageErrors).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.events).toBe(exported.events.length);
    expect(report.markers).toBe(exported.events.length);
    expect(report.slides).toBe(exported.events.length + (exported.title ? 1 : 0));

    // The month-only entry's slide shows its month and year, with no invented day.
    const shown = await page.evaluate(
      (id) => document.getElementById(id)?.querySelector('.tl-headline-date')?.textContent ?? null,
      monthOnly,
    );
    expect(shown).toMatch(/February 2022/);
    expect(shown).not.toMatch(/\b\d{1,2},? 2022/);
    await context.close();
  });
});
