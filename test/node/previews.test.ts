// The gallery's network previews and its live reload, in Chromium (Debian's,
// at /usr/bin/chromium, driven by playwright-core), against `wrangler dev`
// run the way `npm run dev` runs it (ENVIRONMENT=development) on a scratch
// copy of the project: the test adds a route with cards each network should
// flag (test/fixtures/previews/checks.tsx) and edits it while the page is open.
//
// Chromium as test/helpers/browser.ts says (skipped without it, required in
// CI); the cards of the example blog are skipped without routes/blog.tsx.
// UPDATE_SCREENSHOTS=1 also
// writes docs/gallery-previews.png, docs/gallery-flags.png, docs/inject.png.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, prepareLocalD1, ROOT, startDevServer, type DevServer } from '../../scripts/dev-server.mjs';
import { cropLoss, isVersioned, NETWORKS, readTags } from '../../src/gallery/networks';
import { assertChromium, skipBrowser, startWithChromium } from '../helpers/browser';

const SKIP = skipBrowser('the previews and inject browser tests');
/** The example blog these tests show; a project that deleted it skips them. */
const BLOG = existsSync(join(ROOT, 'routes/blog.tsx'));
const SHOTS = join(ROOT, '.cache/gallery');
const DOCS = join(ROOT, 'docs');
const UPDATE = process.env.UPDATE_SCREENSHOTS === '1';

/** A copy of the project to run and edit: sources copied, node_modules linked. */
function scratchProject(dir: string) {
  for (const entry of ['package.json', 'package-lock.json', 'wrangler.toml', 'tsconfig.json', 'src', 'routes', 'scripts', 'public', 'migrations', 'seed']) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  cpSync(join(ROOT, 'test/fixtures/previews/checks.tsx'), join(dir, 'routes/checks.tsx'));
}

describe('the previews, unit', () => {
  it('reads the first og:image group of a tag block, alt or not', () => {
    const tags = [
      '<meta property="og:image" content="https://a.test/x.png?v=1&amp;sig=2" />',
      '<meta property="og:image:type" content="image/png" />',
      '<meta property="og:image:width" content="1200" />',
      '<meta property="og:image:height" content="630" />',
      '<meta property="og:image" content="https://a.test/y.png" />',
      '<meta property="og:image:alt" content="the second image&#39;s" />',
      '<meta name="twitter:card" content="summary_large_image" />',
    ].join('\n');
    expect(readTags(tags)).toEqual({
      card: 'summary_large_image',
      image: { url: 'https://a.test/x.png?v=1&sig=2', alt: '', width: 1200, height: 630, contentType: 'image/png' },
    });
    expect(readTags('<link rel="icon" href="https://a.test/i.png" />\n')).toEqual({});
    // As head-tags.ts writes them, in Next.js's order: alt and type before og:image.
    const next = [
      '<meta property="og:image:alt" content="A &#x27;card&#x27;"/>',
      '<meta property="og:image:type" content="image/png"/>',
      '<meta property="og:image" content="https://a.test/a.png"/>',
      '<meta property="og:image:width" content="1200"/>',
      '<meta property="og:image:height" content="630"/>',
      '<meta property="og:image:alt" content="second"/>',
      '<meta property="og:image" content="https://a.test/b.png"/>',
    ].join('\n');
    expect(readTags(next).image).toEqual({ url: 'https://a.test/a.png', alt: "A 'card'", width: 1200, height: 630, contentType: 'image/png' });
  });

  it('knows a versioned URL and how much a crop cuts', () => {
    expect(isVersioned('https://og.example.com/blog/a/image/og?v=0ubmF3nqwsZi')).toBe(true);
    expect(isVersioned('https://cdn.example.com/og.3f9a2b7c1d.png')).toBe(true);
    expect(isVersioned('https://example.com/og.png')).toBe(false);
    expect(cropLoss(1200, 630, 2)).toBeCloseTo(0.0476, 3);
    expect(cropLoss(1080, 1080, 1.91)).toBeCloseTo(1 - 1 / 1.91, 5);
    expect(NETWORKS.map((n) => n.id)).toEqual(['x-large', 'x-summary', 'facebook', 'linkedin', 'slack', 'discord', 'imessage']);
  });
});

describe.skipIf(SKIP)('the previews and live reload in Chromium', () => {
  const temp = mkdtempSync(join(tmpdir(), 'og-previews-'));
  const project = join(temp, 'project');
  let server: DevServer | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    assertChromium();
    mkdirSync(project);
    scratchProject(project);
    const persistTo = join(temp, 'state');
    const started = await startWithChromium(
      prepareLocalD1({ cwd: project, persistTo }).then(() =>
        startDevServer({ cwd: project, persistTo, vars: { ENVIRONMENT: 'development' }, timeoutMs: 120_000 }),
      ),
      join(temp, 'profile'),
    );
    ({ server, context } = started);
    started.check();
    mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    rmSync(temp, { recursive: true, force: true });
  }, 30_000);

  /** Waits for the byte checks (which may hide a refused image), then for every shown image to load. */
  async function settle(page: Page) {
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLElement>('.previews')).every((p) => p.dataset.checked === 'true'));
    // Each image is set once it scrolls into view.
    for (const media of await page.locator('.previews .media:visible').all()) await media.scrollIntoViewIfNeeded();
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.previews .media')).every((el) => {
        if (el.offsetParent === null) return true; // hidden: a refused image is never fetched
        const url = getComputedStyle(el).backgroundImage.replace(/^url\("(.*)"\)$/, '$1');
        return performance.getEntriesByName(url).some((e) => (e as PerformanceResourceTiming).responseEnd > 0);
      }),
    );
  }

  /** Each network's verdict on a page's card, as the page shows it. */
  const statusOf = (page: Page, name: string): Promise<Record<string, { status: string; flags: string[] }>> =>
    page.locator(`article[data-page="${name}"] .net`).evaluateAll((els) =>
      Object.fromEntries(
        (els as HTMLElement[]).map((el) => [
          el.dataset.network,
          { status: el.dataset.status, flags: Array.from(el.querySelectorAll('.flags li'), (li) => li.textContent) },
        ]),
      ),
    );

  it.skipIf(!BLOG)('shows each card as every network lays it out, at each network’s crop', async () => {
    const page = await context!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server!.url}/?segment=blog&slug=hello-edge`);
    await settle(page);
    const article = page.locator('article[data-page="blog/hello-edge"]');
    const boxes = await article.locator('.net').evaluateAll((els) =>
      (els as HTMLElement[]).map((el) => {
        const media = el.querySelector<HTMLElement>('.media')!;
        const box = media.getBoundingClientRect();
        const url = getComputedStyle(media).backgroundImage.replace(/^url\("(.*)"\)$/, '$1');
        return { id: el.dataset.network, ratio: box.width / box.height, url, text: el.querySelector('.mock')!.textContent };
      }),
    );
    const [item] = (await (await fetch(`${server!.url}/blog/hello-edge/metadata`)).json()) as { url: string; alt: string }[];
    const host = new URL(item!.url).host;
    const ratio = Object.fromEntries(boxes.map((b) => [b.id, b.ratio]));
    expect(ratio['x-large']).toBeCloseTo(2, 1);
    expect(ratio['x-summary']).toBeCloseTo(1, 1);
    expect(ratio.facebook).toBeCloseTo(1.91, 1);
    expect(ratio.linkedin).toBeCloseTo(1200 / 627, 1);
    expect(ratio.imessage).toBeCloseTo(1.91, 1);
    // Slack scales the 1200×630 card to fit: its own ratio, uncropped.
    expect(ratio.slack).toBeCloseTo(1200 / 630, 1);
    for (const b of boxes) {
      expect(b.url, b.id).toBe(item!.url);
      expect(b.text, b.id).toContain(host);
    }
    // The previews add no <img>: the page's own images stay the gallery's only ones.
    expect(await article.locator('img').count()).toBe(2);
    // The alt text stands in for the title where the network shows one.
    expect(boxes.find((b) => b.id === 'facebook')!.text).toContain(item!.alt);
    // The tags choose summary_large_image: Discord shows the large image.
    await expect.poll(() => article.locator('.net[data-network=x-large] .chosen').count()).toBe(1);
    expect(await article.locator('.m-discord.thumb').count()).toBe(0);
    const status = await statusOf(page, 'blog/hello-edge');
    // Shown everywhere; X's summary card would crop it square.
    expect(status['x-summary']).toEqual({ status: 'warn', flags: ['cropped to 1:1: 48% of the image is cut'] });
    for (const id of ['x-large', 'facebook', 'linkedin', 'slack', 'discord', 'imessage']) expect(status[id], id).toEqual({ status: 'ok', flags: ['nothing to flag'] });
    expect(errors).toEqual([]);
    await article.locator('.previews').screenshot({ path: join(SHOTS, 'gallery-previews.png') });
    if (UPDATE) await article.locator('.previews').screenshot({ path: join(DOCS, 'gallery-previews.png') });
    await page.close();
  }, 90_000);

  it('flags what each network would refuse: type, size, alt, bytes over the limit', async () => {
    const page = await context!.newPage();
    await page.goto(`${server!.url}/?segment=checks&slug=tiny`);
    await settle(page);
    const tiny = await statusOf(page, 'checks/tiny');
    for (const id of ['x-large', 'x-summary', 'facebook', 'linkedin', 'slack', 'discord', 'imessage']) {
      expect(tiny[id]!.status, id).toBe('reject');
      expect(tiny[id]!.flags.join('\n'), id).toContain('image/svg+xml is not shown: PNG, JPEG, WebP or GIF only');
    }
    expect(tiny['x-large']!.flags).toContain('120×120 is under the 300×157 minimum');
    expect(tiny['x-summary']!.flags).toContain('120×120 is under the 144×144 minimum');
    expect(tiny.facebook!.flags).toContain('120×120 is under the 200×200 minimum');
    expect(tiny['x-large']!.flags).toContain('no alt text: screen-reader users get nothing');
    expect(tiny['x-large']!.flags).toContain('cropped to 2:1: 50% of the image is cut');
    // A refused image is not drawn in that network's card.
    expect(await page.locator('article[data-page="checks/tiny"] .net[data-network=facebook] .media').isVisible()).toBe(false);
    expect(await page.locator('article[data-page="checks/tiny"] .net[data-network=facebook] .mock').textContent()).toContain('checks/tiny');

    await page.goto(`${server!.url}/?segment=checks&slug=huge`);
    await settle(page);
    const bytes = Number(await page.locator('.previews').getAttribute('data-bytes'));
    expect(bytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(bytes).toBeLessThan(8 * 1024 * 1024);
    const huge = await statusOf(page, 'checks/huge');
    const over = `${(bytes / 1048576).toFixed(1)} MB is over the 5.0 MB limit`;
    expect(huge['x-large']).toEqual({ status: 'reject', flags: ['cropped to 2:1: 38% of the image is cut', over] });
    expect(huge.linkedin!.status).toBe('reject');
    expect(huge.linkedin!.flags).toContain(over);
    // Under Facebook's 8 MB: shown, cropped.
    expect(huge.facebook).toEqual({ status: 'warn', flags: ['cropped to 1.91:1: 35% of the image is cut'] });
    expect(huge.slack).toEqual({ status: 'ok', flags: ['nothing to flag'] });

    await page.goto(`${server!.url}/?segment=checks&slug=tiny`);
    await settle(page);
    await page.locator('article[data-page="checks/tiny"] .previews').screenshot({ path: join(SHOTS, 'gallery-flags.png') });
    if (UPDATE) await page.locator('article[data-page="checks/tiny"] .previews').screenshot({ path: join(DOCS, 'gallery-flags.png') });
    await page.close();
  }, 90_000);

  it('reloads itself when a route file is saved', async () => {
    const page = await context!.newPage();
    await page.goto(`${server!.url}/?segment=checks&slug=tiny`);
    await settle(page);
    expect((await statusOf(page, 'checks/tiny'))['x-large']!.flags).toContain('no alt text: screen-reader users get nothing');
    // Marks this document: a reload replaces it.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    const file = join(project, 'routes/checks.tsx');
    writeFileSync(file, readFileSync(file, 'utf8').replace("const ALT = '';", "const ALT = 'A tiny amber card';"));
    await page.waitForFunction(() => !(window as unknown as { marker?: number }).marker, undefined, { timeout: 60_000 });
    await page.waitForSelector('article[data-page="checks/tiny"] .previews');
    const flags = (await statusOf(page, 'checks/tiny'))['x-large']!.flags;
    expect(flags).not.toContain('no alt text: screen-reader users get nothing');
    expect(await page.locator('article[data-page="checks/tiny"] .m-x-summary .t').textContent()).toBe('A tiny amber card');
    await page.close();
  }, 90_000);

  it('serves the build id the page polls', async () => {
    const html = await (await fetch(`${server!.url}/`)).text();
    expect(html).toContain('/_gallery/build');
    const build = (await (await fetch(`${server!.url}/_gallery/build`)).json()) as { build: string };
    expect(build.build).toMatch(/^[\w-]{12}$/);
  });
});

describe.skipIf(SKIP || !BLOG)('inject mode in Chromium', () => {
  const temp = mkdtempSync(join(tmpdir(), 'og-inject-'));
  let server: DevServer | undefined;
  let site: Server | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    assertChromium();
    // The site: a plain Node server with one blog page.
    const port = await freePort();
    site = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Hello from the edge</title>\n' +
          '<meta property="og:title" content="Hello from the edge">\n</head>\n' +
          `<body>\n<h1>Hello from the edge</h1>\n<p>A page served by a plain origin at ${req.url}.</p>\n</body>\n</html>\n`,
      );
    });
    await new Promise<void>((resolve) => site!.listen(port, '127.0.0.1', resolve));
    const persistTo = join(temp, 'state');
    const inject = JSON.stringify({ origin: `http://127.0.0.1:${port}`, pages: { '/blog/:slug': 'blog' } });
    const started = await startWithChromium(
      prepareLocalD1({ persistTo }).then(() => startDevServer({ persistTo, vars: { INJECT: inject }, timeoutMs: 120_000 })),
      join(temp, 'profile'),
      { width: 1100, height: 760 },
    );
    ({ server, context } = started);
    started.check();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    rmSync(temp, { recursive: true, force: true });
  }, 30_000);

  it('serves the site’s page with its tags in <head>, as a browser parses it', async () => {
    const page = await context!.newPage();
    const res = await page.goto(`${server!.url}/blog/hello-edge`);
    expect(res?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Hello from the edge');
    const inHead = await page.evaluate(() =>
      Array.from(document.head.querySelectorAll('meta[property^="og:image"], meta[name^="twitter:"]'), (m) => [
        m.getAttribute('property') ?? m.getAttribute('name'),
        m.getAttribute('content'),
      ]),
    );
    const [item] = (await (await fetch(`${server!.url}/blog/hello-edge/metadata`)).json()) as { url: string }[];
    // Next.js's order: the image's alt and type, then the image.
    expect(inHead.slice(0, 3).map(([key]) => key)).toEqual(['og:image:alt', 'og:image:type', 'og:image']);
    expect(inHead[2]).toEqual(['og:image', item!.url]);
    expect(inHead).toContainEqual(['twitter:card', 'summary_large_image']);
    // The image the tags point at loads in the browser.
    const image = await page.evaluate(async (url) => {
      const img = new Image();
      img.src = url;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, item!.url);
    expect(image).toEqual([1200, 630]);
    // What a crawler reads: the page source, tags before </head>.
    await page.goto(`view-source:${server!.url}/blog/hello-edge`);
    await page.getByText('Line wrap').click();
    await page.screenshot({ path: join(SHOTS, 'inject.png') });
    if (UPDATE) await page.screenshot({ path: join(DOCS, 'inject.png') });
    await page.close();
  }, 90_000);
});
