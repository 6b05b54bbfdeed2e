// The gallery in a real browser: Chromium (Debian's, at /usr/bin/chromium)
// driven by playwright-core opens `/` served by `wrangler dev`, checks that
// every image loads at the size its metadata gives, copies a page's tags,
// and saves desktop and phone screenshots under .cache/gallery/.
//
// Without Chromium these tests are skipped, with one line saying how to run
// them; OG_EDGE_REQUIRE_BROWSER=1 (set by .ci/run) makes a missing browser a
// failure, so CI never skips them. CHROMIUM_PATH points at another build.
// UPDATE_SCREENSHOTS=1 also writes the README's screenshots to docs/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareLocalD1, ROOT, startDevServer, type DevServer } from '../../scripts/dev-server.mjs';
import { scanRoutes } from '../../scripts/routes.mjs';
import { assertChromium, skipBrowser, startWithChromium } from '../helpers/browser';

const SKIP = skipBrowser("the gallery's browser tests");
const SHOTS = join(ROOT, '.cache/gallery');
const DOCS = join(ROOT, 'docs');

interface Item {
  id: string | number;
  size: { width: number; height: number };
  url: string;
}

describe.skipIf(SKIP)('the gallery in Chromium', () => {
  const temp = mkdtempSync(join(tmpdir(), 'og-gallery-'));
  let server: DevServer | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    assertChromium();
    const persistTo = join(temp, 'state');
    // The browser starts while the Worker does; whichever started is closed
    // in afterAll even if the other failed.
    const started = await startWithChromium(
      prepareLocalD1({ persistTo }).then(() => startDevServer({ persistTo, vars: { GALLERY: 'on' } })),
      join(temp, 'profile'),
    );
    ({ server, context } = started);
    started.check();
    if (!server || !context) throw new Error('unreachable');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    rmSync(temp, { recursive: true, force: true });
  }, 30_000);

  /** Scrolls every (lazy) image into view and waits for each to finish loading. */
  async function loadAll(page: Page) {
    const images = page.locator('main img');
    const count = await images.count();
    for (let i = 0; i < count; i++) {
      const img = images.nth(i);
      await img.scrollIntoViewIfNeeded();
      // An image that fails ends with 'error': its natural size (0) then fails the comparison, not a timeout.
      await img.evaluate((el: HTMLImageElement) =>
        el.complete
          ? undefined
          : new Promise((resolve) => {
              el.addEventListener('load', resolve, { once: true });
              el.addEventListener('error', resolve, { once: true });
            }),
      );
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    return count;
  }

  it('shows every example page with every image at its metadata size', async () => {
    const page = await context!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${server!.url}/`);
    expect(res?.status()).toBe(200);
    await loadAll(page);

    const pages = await page.locator('article[data-page]').evaluateAll((els) => els.map((e) => e.getAttribute('data-page')!));
    // Every segment of routes/, each with its examples, as the JSON index lists them.
    const index = (await (await fetch(`${server!.url}/?format=json`)).json()) as { segments: string[]; examples: Record<string, string[]> };
    expect(index.segments).toEqual(scanRoutes(join(ROOT, 'routes')).routes.flatMap((r) => (r.legacy ? [r.legacy] : [])));
    expect(pages).toEqual(index.segments.flatMap((segment) => index.examples[segment]!.map((slug) => `${segment}/${slug}`)));
    const shown = await page.locator('main img').evaluateAll((els) =>
      (els as HTMLImageElement[]).map((img) => ({ src: img.src, width: img.naturalWidth, height: img.naturalHeight })),
    );
    const expected: { src: string; width: number; height: number }[] = [];
    for (const name of pages) {
      const items = (await (await fetch(`${server!.url}/${name}/metadata`)).json()) as Item[];
      expected.push(...items.map((i) => ({ src: i.url, ...i.size })));
    }
    expect(shown).toEqual(expected);
    expect(errors).toEqual([]);

    await page.screenshot({ path: join(SHOTS, 'gallery-desktop.png'), fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: join(DOCS, 'gallery-desktop.png') });
    await page.close();
  }, 90_000);

  it('copies a page’s tags, exactly as the metadata API gives them', async () => {
    const page = await context!.newPage();
    await page.goto(`${server!.url}/`);
    // The first page of the gallery, whatever routes/ holds.
    const name = (await page.locator('article[data-page]').first().getAttribute('data-page'))!;
    const article = page.locator(`article[data-page="${name}"]`);
    const button = article.locator('button[data-copy]');
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const api = await (await fetch(`${server!.url}/${name}/metadata?format=html`)).text();
    expect(copied).toBe(api);
    expect(copied).toMatch(/^<(meta|link) /);
    await page.close();
  }, 60_000);

  it('fits a phone screen', async () => {
    const page = await context!.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server!.url}/`);
    await loadAll(page);
    // Nothing wider than the screen: no sideways scrolling of the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'gallery-phone.png'), fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: join(DOCS, 'gallery-phone.png') });
    await page.close();
  }, 90_000);
});
