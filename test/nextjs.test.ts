// The Next.js drop-in: test/fixtures/routes/nextapp.tsx is an
// `opengraph-image.tsx` as a Next.js 15 app has it (runtime = 'edge',
// revalidate, generateStaticParams, static alt/size/contentType, notFound(),
// async params), copied in without edits. It must work as any route does.
import { describe, expect, it } from 'vitest';
import { installAssets } from '../src/pages/next/files';
import { body, get, metadata } from './helpers/http';
import { isPng, pixels, pngSize } from './helpers/png';

describe('a route module copied from a Next.js app', () => {
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
    expect(text).toContain('<meta property="og:image:alt" content="Hello, World | Acme Blog" />');
    expect(text).toContain('<meta name="twitter:card" content="summary_large_image" />');
    expect(text).not.toContain('rel="icon"');
  });
});

describe('fonts fetched with new URL(…, import.meta.url)', () => {
  it('are answered from the bundled file, the same buffer every time', async () => {
    const font = new Uint8Array([1, 2, 3]).buffer;
    installAssets({ 'routes/fonts/Test-Bold.ttf': font });
    // As wrangler's bundle resolves it, and as a module's real file URL does.
    for (const url of ['file:///routes/fonts/Test-Bold.ttf', 'file:///home/me/site/routes/fonts/Test-Bold.ttf']) {
      const res = await fetch(new URL(url));
      expect(res.status).toBe(200);
      expect(await res.arrayBuffer()).toBe(font);
    }
    // A unique file name is enough (a `_` helper folder resolves elsewhere in the bundle).
    expect(await (await fetch('file:///routes/Test-Bold.ttf')).arrayBuffer()).toBe(font);
  });

  it('fail with a clear message for a file that was not bundled', async () => {
    await expect(fetch('file:///routes/missing.ttf')).rejects.toThrow(/is not a bundled asset/);
  });
});
