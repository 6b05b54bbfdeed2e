// The Next.js drop-in: test/fixtures/routes/nextapp.tsx is an
// `opengraph-image.tsx` as a Next.js 15 app has it (runtime = 'edge',
// revalidate, generateStaticParams, static alt/size/contentType, notFound(),
// async params), copied in without edits. It must work as any route does.
//
// Below: Next.js image files copied with their folders (test/fixtures/app/),
// in the styles of public Next.js apps and Next's own docs: the app-directory
// layout, params named by brackets, Node-style file reads, process.env,
// @/ imports, static files, broken files, and Next's exact <head> tags.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { installAssets } from '../src/pages/next/files';
import type { RouteFile } from '../src/types';
import { assets, registry } from './generated/app';
import { body, get, metadata, ORIGIN, type ErrorBody } from './helpers/http';
import { isPng, near, pixels, pngSize } from './helpers/png';

// Renders on a shared, loaded machine can pass 5 s; nothing here is about time.
describe('a route module copied from a Next.js app', { timeout: 30_000 }, () => {
  it('describes its images from generateImageMetadata', async () => {
    const items = await metadata('nextapp', 'launch-week');
    expect(items.map(({ url, ...rest }) => rest)).toEqual([
      { id: 'light', alt: 'Launch Week, Day 1: Edge Images | Acme Blog', size: { width: 1200, height: 630 }, contentType: 'image/png' },
      { id: 'dark', alt: 'Launch Week, Day 1: Edge Images | Acme Blog (dark)', size: { width: 1200, height: 630 }, contentType: 'image/png' },
    ]);
  });

  it('renders each variant through next/og’s ImageResponse', async () => {
    const [light, dark] = await metadata('nextapp', 'launch-week');
    for (const [item, background] of [
      [light!, [255, 255, 255]],
      [dark!, [10, 10, 10]],
    ] as const) {
      const res = await get(item.url);
      expect(res.status).toBe(200);
      const bytes = await body(res);
      expect(isPng(bytes)).toBe(true);
      expect(pngSize(bytes)).toEqual({ width: 1200, height: 630 });
      const px = pixels(bytes);
      expect(px.at(1190, 620).slice(0, 3)).toEqual(background);
      // The post's accent colour, as the left border.
      expect(px.at(8, 315).slice(0, 3)).toEqual([0xf9, 0x73, 0x16]);
    }
  });

  it('turns its notFound() into a 404, for metadata and images', async () => {
    expect((await get('/nextapp/no-such-post/metadata')).status).toBe(404);
    expect((await get('/nextapp/no-such-post/image/light')).status).toBe(404);
  });

  it('gets Open Graph tags (a 1200×630 card is an image, not an icon)', async () => {
    const text = await (await get('/nextapp/hello-world/metadata?format=html')).text();
    expect(text).toContain('<meta property="og:image:alt" content="Hello, World | Acme Blog"/>');
    expect(text).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    expect(text).not.toContain('rel="icon"');
  });
});

describe('files fetched or read by a literal path', () => {
  it('are answered from the bundled file by its full path, the same buffer every time', async () => {
    const font = new Uint8Array([1, 2, 3]).buffer;
    installAssets({ 'routes/fonts/Test-Bold.ttf': font });
    const res = await fetch(new URL('file:///routes/fonts/Test-Bold.ttf'));
    expect(res.status).toBe(200);
    expect(await res.arrayBuffer()).toBe(font);
    // Never by base name: two routes may each have their own Test-Bold.ttf.
    await expect(fetch('file:///routes/Test-Bold.ttf')).rejects.toThrow(/is not a bundled file/);
  });

  it('fail with a clear message for a file that was not bundled', async () => {
    await expect(fetch('file:///routes/missing.ttf')).rejects.toThrow(/is not a bundled file/);
  });
});

// ---------------------------------------------------------------------------
// The app directory.

installAssets(assets);
const app = createApp(registry);

async function fetchApp(path: string, bindings: object = env): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(path.startsWith('http') ? path : ORIGIN + path), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

interface AppItem {
  id: string | number;
  alt?: string;
  size?: { width: number; height: number };
  contentType: string;
  url: string;
  kind: string;
}
const items = async (page: string) => {
  const res = await fetchApp(`${page === '/' ? '' : page}/metadata`);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<AppItem[]>();
};
const tags = async (page: string) => {
  const res = await fetchApp(`${page === '/' ? '' : page}/metadata?format=html`);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.text();
};
const png = async (url: string, type = 'image/png') => {
  const res = await fetchApp(url);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toBe(type);
  const bytes = await body(res);
  expect(isPng(bytes)).toBe(true);
  return bytes;
};
const of = (list: AppItem[], kind: string) => list.filter((i) => i.kind === kind);
const escape = (s: string) => s.replace(/&/g, '&amp;');

/** Next.js's tags for an image file's item (next-metadata-image-loader + generate/meta.tsx). */
function social(prefix: 'og' | 'twitter', i: AppItem) {
  const [attr, p] = prefix === 'og' ? ['property', 'og:image'] : ['name', 'twitter:image'];
  return [
    i.alt !== undefined ? `<meta ${attr}="${p}:alt" content="${i.alt}"/>` : '',
    `<meta ${attr}="${p}:type" content="${i.contentType}"/>`,
    `<meta ${attr}="${p}" content="${escape(i.url)}"/>`,
    i.size ? `<meta ${attr}="${p}:width" content="${i.size.width}"/>` : '',
    i.size ? `<meta ${attr}="${p}:height" content="${i.size.height}"/>` : '',
  ].filter(Boolean);
}
const link = (rel: string, i: AppItem) =>
  `<link rel="${rel}" href="${escape(i.url)}" type="${i.contentType}"${i.size ? ` sizes="${i.size.width}x${i.size.height}"` : ''}/>`;
const CARD = '<meta name="twitter:card" content="summary_large_image"/>';
const lines = (...l: string[]) => l.join('\n') + '\n';

/** A path for a page folder, with sample values for its params. */
function samplePath(folder: string[]): string {
  const parts = folder
    .filter((n) => !/^\(.*\)$/.test(n))
    .flatMap((n) => (/^\[\[\.\.\./.test(n) ? [] : /^\[\.\.\./.test(n) ? ['a', 'b'] : /^\[/.test(n) ? ['hello-world'] : [n]));
  return '/' + parts.join('/');
}
const fileOf = (page: string[]) => registry.files.find((f) => f.folder.join('/') === page.join('/')) as RouteFile | undefined;

describe('Next.js image files copied with their folders', { timeout: 30_000 }, () => {
  it('makes a page of every folder with image files or a page file, and one broken file fails only its own', async () => {
    expect(registry.pages.length).toBeGreaterThanOrEqual(15);
    for (const folder of registry.pages) {
      const path = samplePath(folder);
      const res = await fetchApp(`${path === '/' ? '' : path}/metadata`);
      const own = registry.files.filter((f) => f.folder.join('/') === folder.join('/'));
      const failing = own.some((f) => f.broken) || folder.at(-1) === 'throws';
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(failing ? 500 : 200);
    }
  });

  it('gives the root page Next.js’s tags, field by field and in Next’s order', async () => {
    const list = await items('/');
    const [og] = of(list, 'opengraph-image');
    const [icon] = of(list, 'icon');
    const [apple] = of(list, 'apple-icon');
    expect(list.map((i) => i.kind)).toEqual(['opengraph-image', 'icon', 'apple-icon']);
    expect(og).toMatchObject({ id: 'default', alt: 'About Acme', size: { width: 1200, height: 630 }, contentType: 'image/png' });
    expect(await tags('/')).toBe(
      lines(...social('og', og!), CARD, ...social('twitter', og!), link('icon', icon!), link('apple-touch-icon', apple!)),
    );
    // The inherited files live at their own folder's URL, once for every page.
    expect(new URL(icon!.url).pathname).toBe('/icon/image/default');
    expect(new URL(og!.url).pathname).toBe('/opengraph-image/image/default');
  });

  it('reads its font with readFile(join(process.cwd(), …)) from node:fs/promises and draws with it', async () => {
    const [og] = of(await items('/'), 'opengraph-image');
    const bytes = await png(og!.url);
    expect(pngSize(bytes)).toEqual({ width: 1200, height: 630 });
    const px = pixels(bytes);
    // Dark glyphs of "About Acme" across the middle, on white.
    let ink = 0;
    for (let x = 0; x < 1200; x += 2) if (px.at(x, 330)[0] < 128) ink++;
    expect(ink).toBeGreaterThan(20);
    expect(px.at(10, 10).slice(0, 3)).toEqual([255, 255, 255]);
  });

  it('attaches a post’s own opengraph-image and twitter-image, and the root’s icons', async () => {
    const list = await items('/blog/hello-world');
    expect(list.map((i) => i.kind)).toEqual(['opengraph-image', 'twitter-image', 'icon', 'apple-icon']);
    const [og, tw, icon, apple] = list;
    expect(og).toMatchObject({ alt: 'Acme Blog', size: { width: 1200, height: 630 } });
    expect(new URL(og!.url).pathname).toBe('/blog/hello-world/opengraph-image/image/default');
    // twitter-image gives twitter tags only; og tags come from opengraph-image.
    expect(await tags('/blog/hello-world')).toBe(
      lines(...social('og', og!), CARD, ...social('twitter', tw!), link('icon', icon!), link('apple-touch-icon', apple!)),
    );
    const card = pixels(await png(og!.url));
    expect(card.at(5, 5).slice(0, 3)).toEqual([0x25, 0x63, 0xeb]);
    // Tailwind classes and an FC component: black background, white title.
    const bytes = await png(tw!.url);
    expect(pngSize(bytes)).toEqual({ width: 1200, height: 600 });
    expect(pixels(bytes).at(5, 5).slice(0, 3)).toEqual([0, 0, 0]);
    // Its notFound() runs when the image is drawn, as in Next.js.
    expect((await fetchApp('/blog/no-such-post/opengraph-image/image/default')).status).toBe(404);
  });

  it('gives the blog index its own card, which the twitter card inherits', async () => {
    const list = await items('/blog');
    const [og] = list;
    expect(og).toMatchObject({ kind: 'opengraph-image', alt: 'The Acme Blog' });
    const text = await tags('/blog');
    expect(text.startsWith(lines(...social('og', og!), CARD, ...social('twitter', og!)))).toBe(true);
  });

  it('writes no width or height for a file without a size export, and draws what ImageResponse asks', async () => {
    const [og] = of(await items('/products/42'), 'opengraph-image');
    expect(og).toEqual({ id: 'default', alt: 'Product preview', contentType: 'image/png', url: og!.url, kind: 'opengraph-image' });
    const text = await tags('/products/42');
    expect(text).not.toContain('og:image:width');
    expect(text).not.toContain('twitter:image:height');
    expect(text).toContain(lines(...social('og', og!)));
    const bytes = await png(og!.url);
    expect(pngSize(bytes)).toEqual({ width: 800, height: 400 });
    expect(pixels(bytes).at(5, 5).slice(0, 3)).toEqual([0x16, 0xa3, 0x4a]);
  });

  it('names params by the brackets: [...slug] is an array, [[...path]] may be empty', async () => {
    const docs = of(await items('/docs/guides/caching'), 'opengraph-image');
    expect(docs.map((i) => [i.id, i.alt])).toEqual([
      ['light', 'Docs: guides / caching'],
      ['dark', 'Docs: guides / caching (dark)'],
    ]);
    expect(new URL(docs[1]!.url).pathname).toBe('/docs/guides/caching/opengraph-image/image/dark');
    expect(pixels(await png(docs[1]!.url)).at(5, 5).slice(0, 3)).toEqual([10, 10, 10]);

    const [top] = of(await items('/shop'), 'opengraph-image');
    const [deep] = of(await items('/shop/shoes/red'), 'opengraph-image');
    expect(new URL(top!.url).pathname).toBe('/shop/opengraph-image/image/default');
    expect(pixels(await png(top!.url)).at(5, 5).slice(0, 3)).toEqual([0x7c, 0x3a, 0xed]);
    expect(pixels(await png(deep!.url)).at(5, 5).slice(0, 3)).toEqual([0xf5, 0x9e, 0x0b]);
  });

  it('reads images with readFileSync from fs, beside the module (fileURLToPath) and under process.cwd()', async () => {
    const [og] = of(await items('/brand'), 'opengraph-image');
    const px = pixels(await png(og!.url));
    const row = Array.from({ length: 1200 }, (_, x) => px.at(x, 315).slice(0, 3).join(','));
    // logo.png beside the route is red, the project's assets/mark.png blue.
    expect(row.filter((c) => c === '220,38,38').length).toBeGreaterThan(150);
    expect(row.filter((c) => c === '37,99,235').length).toBeGreaterThan(110);
  });

  it('gives process.env the Worker’s vars', async () => {
    const [og] = of(await items('/users/leerob'), 'opengraph-image');
    expect(pixels(await png(og!.url)).at(5, 5).slice(0, 3)).toEqual([0x08, 0x91, 0xb2]);
  });

  it('resolves new URL(\'./Inter-Bold.woff\', import.meta.url) from each module’s own folder', async () => {
    expect(assets['test/fixtures/app/(site)/team/Inter-Bold.woff']!.byteLength).not.toBe(assets['test/fixtures/app/(site)/about/Inter-Bold.woff']!.byteLength);
    const [team] = of(await items('/team'), 'opengraph-image');
    const [about] = of(await items('/about'), 'opengraph-image');
    const a = await png(team!.url);
    const b = await png(about!.url);
    // Each draws its own font's byte length, so the two cards differ.
    expect(a).not.toEqual(b);
  });

  it('serves static files as they are, with Next.js’s tags for them', async () => {
    const list = await items('/gallery');
    expect(list.map((i) => i.kind)).toEqual(['opengraph-image', 'icon', 'apple-icon']);
    const [og, icon, apple] = list;
    expect(og).toMatchObject({ alt: 'A wall of photographs from the Acme gallery', size: { width: 1200, height: 630 } });
    // A static file's fields: type, width, height, alt, url.
    expect(await tags('/gallery')).toBe(
      lines(
        '<meta property="og:image:type" content="image/png"/>',
        '<meta property="og:image:width" content="1200"/>',
        '<meta property="og:image:height" content="630"/>',
        `<meta property="og:image:alt" content="${og!.alt}"/>`,
        `<meta property="og:image" content="${escape(og!.url)}"/>`,
        CARD,
        '<meta name="twitter:image:type" content="image/png"/>',
        '<meta name="twitter:image:width" content="1200"/>',
        '<meta name="twitter:image:height" content="630"/>',
        `<meta name="twitter:image:alt" content="${og!.alt}"/>`,
        `<meta name="twitter:image" content="${escape(og!.url)}"/>`,
        // The gallery's own icon.png replaces the root's icon; apple-icon is inherited.
        link('icon', icon!),
        link('apple-touch-icon', apple!),
      ),
    );
    const bytes = await png(og!.url);
    expect(new Uint8Array(bytes)).toEqual(new Uint8Array(registry.files.find((f) => f.file.endsWith('gallery/opengraph-image.png'))!.static!.bytes));
    expect(pixels(await png(icon!.url)).at(1, 1).slice(0, 3)).toEqual([234, 88, 12]);
  });

  it('takes any contentType as Next.js does, and draws a PNG for one it does not render', async () => {
    const [icon] = of(await items('/legal'), 'icon');
    expect(icon).toMatchObject({ contentType: 'image/svg', size: { width: 64, height: 64 } });
    expect(await tags('/legal')).toContain(`<link rel="icon" href="${escape(icon!.url)}" type="image/svg" sizes="64x64"/>`);
    expect(pngSize(await png(icon!.url))).toEqual({ width: 64, height: 64 });
  });

  it('runs a .js route with a [postId] param and numeric ids, and an apple-icon', async () => {
    const list = await items('/notes/7');
    expect(list.map((i) => [i.kind, i.id])).toEqual([
      ['opengraph-image', 1],
      ['opengraph-image', 2],
      ['icon', 'default'],
      ['apple-icon', 'default'],
    ]);
    expect(list[1]!.alt).toBe('Note 7, page 2');
    expect(await tags('/notes/7')).toContain(link('apple-touch-icon', list[3]!));
    expect(pixels(await png(list[1]!.url)).at(5, 5).slice(0, 3)).toEqual([0x93, 0x33, 0xea]);
    expect(pngSize(await png(list[3]!.url))).toEqual({ width: 180, height: 180 });
  });

  it('renders an @vercel/og ImageResponse through the same renderer', async () => {
    const [og] = of(await items('/vercel'), 'opengraph-image');
    const px = pixels(await png(og!.url));
    expect(near(px.at(5, 5).slice(0, 3), [0xfa, 0xcc, 0x15])).toBe(true);
    expect(px.at(600, 315).slice(0, 3)).not.toEqual(px.at(5, 5).slice(0, 3));
  });

  it('makes a page of a folder with only a page file, with the root’s images', async () => {
    expect((await items('/pricing')).map((i) => [i.kind, new URL(i.url).pathname])).toEqual([
      ['opengraph-image', '/opengraph-image/image/default'],
      ['icon', '/icon/image/default'],
      ['apple-icon', '/apple-icon/image/default'],
    ]);
  });

  it('fails a file whose import does not resolve, or that throws while loading, with a 500 naming it', async () => {
    const broken = await fetchApp('/broken/metadata');
    expect(broken.status).toBe(500);
    expect((await broken.json<ErrorBody>()).error.message).toMatch(
      /route "test\/fixtures\/app\/\(site\)\/broken\/opengraph-image.tsx": cannot be loaded: .*Could not resolve "@\/config\/site"/,
    );
    const throws = await fetchApp('/throws/opengraph-image/image/default');
    expect(throws.status).toBe(500);
    expect((await throws.json<ErrorBody>()).error.message).toMatch(/route "test\/fixtures\/app\/\(site\)\/throws\/opengraph-image.tsx": failed to load: DATABASE_URL is not set/);
    // The rest still answer.
    expect((await fetchApp('/products/1/metadata')).status).toBe(200);
    expect(fileOf(['(site)', 'broken'])!.broken).toMatch(/Could not resolve/);
  });

  it('caches versioned image URLs as immutable', async () => {
    const [og] = of(await items('/products/cache-test'), 'opengraph-image');
    const first = await fetchApp(og!.url);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toContain('immutable');
    await first.arrayBuffer();
    const second = await fetchApp(og!.url);
    expect(second.headers.get('x-cache')).not.toBe('miss');
    await second.arrayBuffer();
  });

  it('signs app-directory image URLs, and refuses one moved to another file or params', async () => {
    const signed = { ...env, SIGNING_SECRET: 'app-directory-secret' };
    const list = await (await fetchApp('/docs/x/metadata', signed)).json<AppItem[]>();
    const dark = list.find((i) => i.id === 'dark')!;
    expect(new URL(dark.url).searchParams.get('sig')).toMatch(/^[\w-]{43}$/);
    expect((await fetchApp(dark.url, signed)).status).toBe(200);
    for (const moved of [dark.url.replace('/docs/x/', '/docs/y/'), dark.url.replace('/image/dark', '/image/light')]) {
      expect((await fetchApp(moved, signed)).status, moved).toBe(403);
    }
    expect((await fetchApp('/nowhere/image/x?v=1&sig=' + 'A'.repeat(43), signed)).status).toBe(403);
  });

  it('answers 404 for a path that is no page and no image', async () => {
    expect((await fetchApp('/nowhere/at/all/metadata')).status).toBe(404);
    expect((await fetchApp('/products/1/twitter-image/image/default')).status).toBe(404);
  });
});
