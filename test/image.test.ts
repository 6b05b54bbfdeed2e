// GET/HEAD /:segment/:slug/image/:id: the bytes, as a crawler gets them.
import { describe, expect, it } from 'vitest';
import { body, get, metadata, unique } from './helpers/http';
import { hasExample, withExample } from './helpers/examples';
import { isPng, near, pixels, pngSize } from './helpers/png';

describe('images', () => {
  it('renders every image the metadata lists, at its size', async () => {
    const pages = [['icon', 'acme'], ['blog', 'hello-edge'], ['blog', 'long-titles']] as const;
    for (const [segment, slug] of pages.filter(([segment]) => hasExample(segment))) {
      for (const item of await metadata(segment, slug)) {
        const res = await get(item.url);
        const bytes = await body(res);
        expect(res.status, `${item.url}: ${new TextDecoder().decode(bytes.slice(0, 200))}`).toBe(200);
        expect(res.headers.get('Content-Type')).toBe('image/png');
        expect(res.headers.get('Content-Length')).toBe(String(bytes.byteLength));
        expect(isPng(bytes)).toBe(true);
        expect(pngSize(bytes)).toEqual(item.size);
      }
    }
  });

  it('draws the icon: a rounded violet square with a white letter', async () => {
    const res = await get(`/icon/${unique('k')}/image/medium`);
    const img = pixels(await body(res));
    expect([img.width, img.height]).toEqual([72, 72]);
    expect(img.at(0, 0)[3]).toBe(0); // rounded corner: transparent
    expect(near(img.at(6, 36), [0x4d, 0x36, 0xd4, 255], 40)).toBe(true); // gradient edge, violet
    // The letter: some pixels in the middle are white.
    let white = 0;
    for (let y = 20; y < 52; y++) for (let x = 20; x < 52; x++) if (near(img.at(x, y), [255, 255, 255, 255], 10)) white++;
    expect(white).toBeGreaterThan(50);
  });

  withExample('blog')('draws the blog card: dark gradient, light text', async () => {
    const res = await get('/blog/caching-by-id/image/og');
    const img = pixels(await body(res));
    const [r, g, b] = img.at(5, 5);
    expect(r + g + b).toBeLessThan(120); // dark top-left of the gradient
    const [r2, , b2] = img.at(1195, 625);
    expect(b2).toBeGreaterThan(r2); // violet bottom-right
    let light = 0;
    for (let x = 72; x < 900; x++) if (near(img.at(x, 315), [248, 250, 252, 255], 30)) light++;
    for (let y = 200; y < 430; y += 4) for (let x = 72; x < 1100; x += 4) if (near(img.at(x, y), [248, 250, 252, 255], 30)) light++;
    expect(light).toBeGreaterThan(200); // the title is there
  });

  it('renders the seed module from Next.js unchanged, at 48×48', async () => {
    const bytes = await body(await get('/next14/seed/image/small'));
    expect(isPng(bytes)).toBe(true);
    expect(pngSize(bytes)).toEqual({ width: 48, height: 48 });
  });

  it('renders a Next.js 16 module: awaited id picks the colour', async () => {
    const img = pixels(await body(await get(`/next16/${unique()}/image/1`)));
    expect([img.width, img.height]).toEqual([400, 200]);
    expect(near(img.at(2, 2), [0x16, 0xa3, 0x4a, 255])).toBe(true);
  });

  it('answers image/svg+xml with satori’s SVG where the item asks for it', async () => {
    const res = await get(`/next16/${unique()}/image/2`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const svg = await res.text();
    expect(svg).toMatch(/^<svg [^>]*width="400" height="200"/);
    expect(svg).toContain('#dc2626');
  });

  it('renders a module without generateImageMetadata from its static exports', async () => {
    const bytes = await body(await get(`/single/${unique()}/image/default`));
    expect(pngSize(bytes)).toEqual({ width: 600, height: 315 });
  });

  it('serves any Response a module returns, not just ImageResponse', async () => {
    const res = await get(`/faulty/${unique()}/image/plain`);
    const bytes = await body(res);
    expect(res.status).toBe(200);
    expect(pngSize(bytes)).toEqual({ width: 1, height: 1 });
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const slug = unique('head');
    const head = await get(`/icon/${slug}/image/small`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Type')).toBe('image/png');
    const length = Number(head.headers.get('Content-Length'));
    expect(length).toBeGreaterThan(100);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const full = await get(`/icon/${slug}/image/small`);
    expect((await body(full)).byteLength).toBe(length);
    expect(full.headers.get('ETag')).toBe(head.headers.get('ETag'));
  });

  it('serves crawlers the same bytes whatever they send, without redirects', async () => {
    const url = `/icon/${unique()}/image/small`;
    const plain = await body(await get(url));
    for (const [ua, accept] of [
      ['Twitterbot/1.0', 'image/webp,*/*'],
      ['facebookexternalhit/1.1', '*/*'],
      ['Slackbot-LinkExpanding 1.0', 'text/html'],
      ['WhatsApp/2.23', 'image/avif'],
    ]) {
      const res = await get(url, { headers: { 'User-Agent': ua!, Accept: accept! }, redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Length')).toBe(String(plain.byteLength));
      expect(await body(res)).toEqual(plain);
    }
  });
});
