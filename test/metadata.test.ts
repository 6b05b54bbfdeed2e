// GET /:segment/:slug/metadata: the images a page has, as JSON.
import { describe, expect, it } from 'vitest';
import { get, metadata, ORIGIN } from './helpers/http';
import { withExample } from './helpers/examples';

const VERSIONED_URL = /^http:\/\/og\.test\/[a-z0-9-]+\/[^/]+\/image\/[\w.~-]+\?v=[\w-]+$/;

describe('metadata', () => {
  it('lists the icon sizes of the seed example', async () => {
    const items = await metadata('icon', 'acme');
    expect(items.map(({ url, ...rest }) => rest)).toEqual([
      { id: 'small', alt: 'small icon', size: { width: 48, height: 48 }, contentType: 'image/png' },
      { id: 'medium', alt: 'medium icon', size: { width: 72, height: 72 }, contentType: 'image/png' },
    ]);
    for (const item of items) {
      expect(item.url).toMatch(VERSIONED_URL);
      expect(item.url.startsWith(`${ORIGIN}/icon/acme/image/${item.id}?v=`)).toBe(true);
    }
  });

  withExample('blog')('lists both blog cards of a post, with alt text from D1', async () => {
    const items = await metadata('blog', 'hello-edge');
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      id: 'og',
      alt: 'Hello from the edge: Open Graph images in under 100 ms, by Ada Lovelace',
      size: { width: 1200, height: 630 },
      contentType: 'image/png',
    });
    expect(items[1]).toMatchObject({ id: 'square', size: { width: 1080, height: 1080 } });
    for (const item of items) expect(item.url).toMatch(VERSIONED_URL);
  });

  it('answers JSON with a short Cache-Control and an ETag', async () => {
    const res = await get('/icon/acme/metadata');
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=60, stale-while-revalidate=600');
    const tag = res.headers.get('ETag');
    expect(tag).toMatch(/^"[^"]+"$/);
    const again = await get('/icon/acme/metadata', { headers: { 'If-None-Match': tag! } });
    expect(again.status).toBe(304);
  });

  it('percent-decodes the slug and re-encodes it in URLs', async () => {
    const items = await metadata('next16', 'héllo wörld');
    expect(items[0]!.alt).toBe('héllo wörld #1');
    expect(items[0]!.url).toContain('/next16/h%C3%A9llo%20w%C3%B6rld/image/1?v=');
  });

  it('gives different slugs and different items different versions', async () => {
    const [a, b] = await Promise.all([metadata('icon', 'one'), metadata('icon', 'two')]);
    const v = (u: string) => new URL(u).searchParams.get('v');
    // The icon's items do not depend on the slug: same version, different path.
    expect(v(a[0]!.url)).toBe(v(b[0]!.url));
    expect(v(a[0]!.url)).not.toBe(v(a[1]!.url));
  });
});

describe('route module styles', () => {
  it('runs the seed module verbatim (Next.js 13/14: plain id, next/server import)', async () => {
    const items = await metadata('next14', 'anything');
    expect(items.map((i) => [i.id, i.size])).toEqual([
      ['small', { width: 48, height: 48 }],
      ['medium', { width: 72, height: 72 }],
    ]);
    // No alt in the module: the field is there, empty.
    expect(items[0]!.alt).toBe('');
  });

  it('runs a Next.js 16 module (awaited params and id, numeric ids)', async () => {
    const items = await metadata('next16', 'post');
    expect(items.map((i) => i.id)).toEqual([1, 2]);
    expect(items.map((i) => i.contentType)).toEqual(['image/png', 'image/svg+xml']);
  });

  it('describes a module without generateImageMetadata as one image from its exports', async () => {
    const items = await metadata('single', 'x');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: 'default', alt: 'A single card', size: { width: 600, height: 315 }, contentType: 'image/png' });
  });
});
