import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestApp } from './harness';

/**
 * The web page's specs drive Debian's chromium with playwright-core, headless (no browser download).
 * Every wait is for a condition, never for a fixed time. WEB_SCREENSHOTS=1 also writes
 * docs/screenshots/*.png.
 */

// Callbacks passed to page.evaluate and waitForFunction run in the browser; the project's types
// are Node's (no DOM lib), so the browser globals they use are declared here.
declare const document: any;
declare const window: any;

export const WAIT = { timeout: 60_000 };
export const SCREENSHOTS = process.env.WEB_SCREENSHOTS === '1';

export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p): p is string => Boolean(p) && existsSync(p!),
  );
  if (!found)
    throw new Error('chromium not found: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH');
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

/** What pages reported that they should not have: console errors, uncaught errors, CSP violations. */
export interface Problems {
  console: string[];
  errors: string[];
  csp: string[];
}

export interface OpenOptions {
  bypassCSP?: boolean;
  /** Waits until the page says it is ready (body[data-state=ready]); default true. */
  ready?: boolean;
}

/** One chromium for a spec file: opens pages on a service and collects what they report. */
export class WebBrowser {
  readonly problems: Problems = { console: [], errors: [], csp: [] };
  private readonly contexts: BrowserContext[] = [];

  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<WebBrowser> {
    return new WebBrowser(await launchChromium());
  }

  /** A fresh page (own context: no shared cookies) on `path` of `app`, recording its problems. */
  async open(app: TestApp, path: string, options: OpenOptions = {}): Promise<Page> {
    const context = await this.browser.newContext({
      viewport: { width: 1366, height: 900 },
      bypassCSP: options.bypassCSP ?? false,
    });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') this.problems.console.push(`${path}: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.problems.errors.push(`${path}: ${e.message}`));
    await page.exposeFunction('reportCspViolation', (v: string) => this.problems.csp.push(`${path}: ${v}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e: any) => {
        window.reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await page.goto(`${app.url}${path}`);
    if (options.ready !== false) await ready(page);
    return page;
  }

  /** Closes every page opened so far (so that their late errors are counted before a check). */
  async closePages(): Promise<void> {
    for (const context of this.contexts.splice(0)) await context.close();
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

export async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, WAIT);
}

/** Waits until the timeline shows `n` entries (its count and its items agree). */
export async function shows(page: Page, n: number): Promise<void> {
  await page.waitForFunction(
    (expected) =>
      document.body.dataset.state === 'ready' &&
      document.getElementById('count')?.dataset.count === String(expected) &&
      document.querySelectorAll('.tl-item').length === expected,
    n,
    WAIT,
  );
}

/** Waits until the page follows the live feed. */
export async function following(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.getElementById('live-status')?.dataset.live === 'live',
    null,
    WAIT,
  );
}

/** Serious and critical axe-core violations on the page (run it in a context that bypasses CSP). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return (results.violations as Array<{ id: string; impact: string; nodes: unknown[] }>)
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  if (!SCREENSHOTS) return;
  const dir = join(__dirname, '..', '..', 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage });
}
