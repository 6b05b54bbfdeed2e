// Inject mode inside workerd: the Worker in front of a stub site
// (test/helpers/origin.ts, Miniflare's outbound fetch), with this project's
// INJECT: /blog/:slug → blog, /posts/:slug.html → blog,
// /:lang/guides/:slug → blog + icon/acme, /about → intl/en.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app';
import { registry } from '../generated/routes';
import { readInject } from '../src/inject/config';
import type { Env } from '../src/types';
import { get, metadata, ORIGIN } from './helpers/http';
import { BIG_CHUNK, BIG_CHUNKS, BIG_HEAD, BIG_TAIL, SITE_HEAD, SJIS_TEXT } from './helpers/origin';

const SITE = 'http://site.test';

/** The tags `GET /:segment/:slug/metadata?format=html` gives. */
const tagsOf = async (segment: string, slug: string) => (await get(`/${segment}/${slug}/metadata?format=html`)).text();

/** Non-ASCII as character references, as the Worker writes tags into a page. */
const refs = (s: string) => s.replace(/[^\x00-\x7f]/gu, (ch) => `&#x${ch.codePointAt(0)!.toString(16)};`);

/** What the stub origin sends for a path, fetched directly. */
const fromOrigin = (path: string, init?: RequestInit) => fetch(`${SITE}${path}`, init);

/** A response's body as bytes, gunzipped where it says so (as a browser would). */
async function bytesOf(res: Response): Promise<Uint8Array> {
  let body = res.body!;
  if (res.headers.get('Content-Encoding') === 'gzip') body = body.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(body).arrayBuffer());
}
const textOf = async (res: Response) => new TextDecoder().decode(await bytesOf(res));

/** The app with another INJECT, called directly (replace, no origin). */
async function withInject(inject: unknown, path: string, init?: RequestInit) {
  const app = createApp(registry);
  const ctx = createExecutionContext();
  const res = await app.request(`${ORIGIN}${path}`, init, { ...(env as Env), INJECT: inject as Env['INJECT'] }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

afterEach(() => vi.restoreAllMocks());

describe('inject mode: pages', () => {
  it('adds the page’s tags, exactly the metadata API’s, before </head> and changes nothing else', async () => {
    const tags = await tagsOf('blog', 'hello-edge');
    expect(tags).toContain('<meta property="og:image:width" content="1200" />');
    const original = await (await fromOrigin('/blog/hello-edge?page=plain')).text();
    const res = await get('/blog/hello-edge?page=plain');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    const html = await textOf(res);
    expect(html).toBe(original.replace('</head>', `${tags}</head>`));
    // The site's own tags stay (replace is off) and come first.
    expect(html).toContain(SITE_HEAD);
    // The origin's validators describe its bytes, not these.
    expect(res.headers.get('ETag')).toBeNull();
    expect(res.headers.get('Last-Modified')).toBeNull();
    expect(res.headers.get('Content-Length')).toBeNull();
  });

  it('reads the slug from any pattern, and gives a page several segments’ tags', async () => {
    const original = await (await fromOrigin('/posts/cafe-creme.html?page=plain')).text();
    const posts = await textOf(await get('/posts/cafe-creme.html?page=plain'));
    const cafe = await tagsOf('blog', 'cafe-creme');
    // Non-ASCII alt text goes in as character references (the page may not be UTF-8).
    expect(cafe).toContain('Crème brûlée, jalapeño and Łódź');
    expect(posts).toBe(original.replace('</head>', `${refs(cafe)}</head>`));
    expect(posts).toContain('Cr&#xe8;me br&#xfb;l&#xe9;e, jalape&#xf1;o and &#x141;&#xf3;d&#x17a;');

    const guide = await textOf(await get('/fr/guides/hello-edge/?page=plain'));
    const both = (await tagsOf('blog', 'hello-edge')) + (await tagsOf('icon', 'acme'));
    expect(guide).toContain(`${both}</head>`);
    expect(guide).toContain('<link rel="icon" href="http://og.test/icon/acme/image/small?v=');

    const about = await textOf(await get('/about?page=plain'));
    expect(about).toContain(`${await tagsOf('intl', 'en')}</head>`);
  });

  it('leaves other paths, methods, non-HTML, errors and redirects exactly as the origin sends them', async () => {
    for (const path of ['/?page=plain', '/robots.txt?page=plain', '/blog/a/b?page=plain', '/blog/x?page=png', '/blog/x?page=json']) {
      const [ours, theirs] = [await get(path), await fromOrigin(path)];
      expect(ours.status, path).toBe(theirs.status);
      expect(ours.headers.get('Content-Type'), path).toBe(theirs.headers.get('Content-Type'));
      expect(await bytesOf(ours), path).toEqual(await bytesOf(theirs));
    }
    for (const [page, status] of [
      ['missing', 404],
      ['broken', 500],
    ] as const) {
      const res = await get(`/blog/hello-edge?page=${page}`);
      expect(res.status).toBe(status);
      expect(await res.text()).toBe(await (await fromOrigin(`/blog/hello-edge?page=${page}`)).text());
    }
    const post = await get('/blog/hello-edge?page=plain', { method: 'POST', body: 'a=1' });
    expect(await post.text()).not.toContain('og:image:width');

    // A redirect is handed back, not followed; one to the origin's host points at the site's.
    const moved = await get('/blog/old?page=redirect', { redirect: 'manual' });
    expect(moved.status).toBe(301);
    expect(moved.headers.get('Location')).toBe(`${ORIGIN}/blog/hello-edge?page=plain`);
    const away = await get('/blog/old?page=redirect-away', { redirect: 'manual' });
    expect(away.status).toBe(302);
    expect(away.headers.get('Location')).toBe('https://elsewhere.test/x');
  });

  it('keeps its own API: metadata and images of a known segment are never sent to the origin', async () => {
    const res = await get('/blog/hello-edge/metadata');
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    const [item] = await metadata('blog', 'hello-edge');
    const image = await get(item!.url);
    expect(image.status).toBe(200);
    expect(image.headers.get('Content-Type')).toBe('image/png');
    // An unknown segment's "metadata" path is the site's own page.
    const site = await get('/docs/intro/metadata?page=json');
    expect(await site.json()).toEqual({ page: '/docs/intro/metadata' });
  });

  it('serves a page unchanged, and logs why, when its route module 404s or the segment is unknown', async () => {
    const lines: Record<string, unknown>[] = [];
    const capture = (line: unknown) => void lines.push(JSON.parse(String(line)));
    vi.spyOn(console, 'warn').mockImplementation(capture);
    vi.spyOn(console, 'error').mockImplementation(capture);
    const original = await (await fromOrigin('/blog/no-such-post?page=plain')).text();
    const res = await get('/blog/no-such-post?page=plain');
    expect(res.status).toBe(200);
    expect(await textOf(res)).toBe(original);
    expect(lines).toContainEqual({
      level: 'warn',
      event: 'inject_fault',
      path: '/blog/no-such-post',
      target: 'blog/no-such-post',
      status: 404,
      message: 'route "blog": not found',
    });

    expect(await textOf(await get('/gone/x?page=plain'))).toBe(await (await fromOrigin('/gone/x?page=plain')).text());
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'error', event: 'inject_fault', target: 'no-such-segment/x', status: 500, message: 'unknown segment "no-such-segment"' }),
    );
  });

  it('answers HEAD with the page’s headers as GET would give them, without computing tags', async () => {
    const res = await get('/blog/hello-edge?page=plain', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('Content-Length')).toBeNull();
    expect(res.headers.get('ETag')).toBeNull();
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('asks the origin for identity, reads a gzipped page anyway, and passes one it cannot read (br)', async () => {
    const echo = await get('/blog/hello-edge?page=echo', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(await echo.json()).toEqual({ via: '1.1 og-edge', acceptEncoding: 'identity' });

    const original = await textOf(await fromOrigin('/blog/hello-edge?page=gzip'));
    expect(original).toContain('<h1>Compressed</h1>');
    const res = await get('/blog/hello-edge?page=gzip', { headers: { 'Accept-Encoding': 'gzip' } });
    // Sent plain: Cloudflare compresses text/html for the visitor.
    expect(res.headers.get('Content-Encoding')).toBeNull();
    expect(await textOf(res)).toBe(original.replace('</head>', `${await tagsOf('blog', 'hello-edge')}</head>`));

    const br = await get('/blog/hello-edge?page=br');
    expect(br.headers.get('Content-Encoding')).toBe('br');
    expect(await bytesOf(br)).toEqual(await bytesOf(await fromOrigin('/blog/hello-edge?page=br')));
  });
});

describe('inject mode: hostile pages', () => {
  it('streams a 5 MB page through byte for byte, the tags its only change', async () => {
    const tags = await tagsOf('blog', 'long-titles');
    const res = await get('/blog/long-titles?page=big');
    // Compared as it streams, chunk by chunk: the test holds no copy either.
    const expected = new TextEncoder().encode(BIG_HEAD.replace('</head>', `${tags}</head>`) + BIG_CHUNK.repeat(BIG_CHUNKS) + BIG_TAIL);
    let offset = 0;
    let chunks = 0;
    let mismatch = -1;
    for await (const chunk of res.body!) {
      for (let i = 0; i < chunk.length && mismatch < 0; i++) if (chunk[i] !== expected[offset + i]) mismatch = offset + i;
      offset += chunk.length;
      chunks++;
    }
    expect(mismatch).toBe(-1);
    expect(offset).toBe(expected.length);
    expect(offset).toBeGreaterThan(5 * 1024 * 1024);
    expect(chunks).toBeGreaterThan(10);
  }, 30_000);

  it('sends the head and the first part of a slow page before the origin has finished', async () => {
    const id = crypto.randomUUID();
    const res = await get(`/blog/hello-edge?page=hold&id=${id}`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    // The origin holds the rest until released: a buffering Worker never gets here.
    while (!seen.includes('<p>first</p>')) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      seen += decoder.decode(value, { stream: true });
    }
    expect(seen).toContain(`${await tagsOf('blog', 'hello-edge')}</head>`);
    expect(seen).not.toContain('<p>last</p>');
    await fetch(`${SITE}/release?id=${id}`);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
    }
    expect(seen).toMatch(/<p>first<\/p>\n<p>last<\/p><\/body><\/html>\n$/);
  });

  it('keeps a Shift_JIS or ISO-8859-1 page in its encoding, the tags as character references', async () => {
    const tags = refs(await tagsOf('blog', 'cafe-creme'));
    const sjis = await bytesOf(await get('/blog/cafe-creme?page=shift_jis'));
    const original = await bytesOf(await fromOrigin('/blog/cafe-creme?page=shift_jis'));
    const latin = (b: Uint8Array) => new TextDecoder('latin1').decode(b);
    expect(latin(sjis)).toBe(latin(original).replace('</head>', `${tags}</head>`));
    const jp = new TextDecoder('shift_jis').decode(sjis);
    expect(jp).toContain(`<title>${new TextDecoder('shift_jis').decode(SJIS_TEXT)}</title>`);
    expect(jp).toContain('日本語のページ、こんにちは');

    const iso = await bytesOf(await get('/blog/cafe-creme?page=latin1'));
    const page = new TextDecoder('windows-1252').decode(iso);
    expect(page).toBe(`<html><head><title>Café crème</title>${tags}</head><body><p>Déjà vu</p></body></html>`);
  });

  it('puts the tags where the parser ends an implicit <head>, in pages that leave tags out', async () => {
    const tags = await tagsOf('blog', 'hello-edge');
    expect(await textOf(await get('/blog/hello-edge?page=no-head'))).toBe(
      `<!doctype html><html lang="en"><meta charset="utf-8"><title>No head</title><link rel="stylesheet" href="/s.css">${tags}<p>Body text</p>`,
    );
    // A <noscript> in the implicit head holds an <img>: not where the body starts.
    expect(await textOf(await get('/blog/hello-edge?page=no-html'))).toBe(
      `<!DOCTYPE html><title>Bare</title><noscript><img src="/pixel.gif"></noscript>${tags}<p>Only a paragraph</p>`,
    );
    expect(await textOf(await get('/blog/hello-edge?page=text-only'))).toBe(`just some text, no markup${tags}`);
  });
});

describe('inject mode: configuration', () => {
  it('with replace, drops the page’s own image and icon tags only where ours bring that kind', async () => {
    const inject = { origin: SITE, replace: true, pages: { '/blog/:slug': 'blog', '/both/:slug': ['blog', 'icon/acme'] } };
    const blog = await textOf(await withInject(inject, '/blog/hello-edge?page=plain'));
    expect(blog).not.toContain('https://site.test/old.png');
    expect(blog).not.toContain('<meta name="twitter:card" content="summary" />');
    // The blog has no icons: the site's favicon stays.
    expect(blog).toContain('<link rel="icon" href="/favicon.ico" />');
    expect(blog).toContain(await tagsOf('blog', 'hello-edge'));
    const both = await textOf(await withInject(inject, '/both/hello-edge?page=plain'));
    expect(both).not.toContain('/favicon.ico');
    expect(both).toContain('<link rel="icon" href="http://og.test/icon/acme/image/small?v=');
  });

  it('without an origin fetches the URL itself (the Worker in front of the site), and refuses to loop', async () => {
    const inject = { pages: { '/blog/:slug': 'blog' } };
    const html = await textOf(await withInject(inject, '/blog/hello-edge?page=plain'));
    expect(html).toContain(`${await tagsOf('blog', 'hello-edge')}</head>`);
    const loop = await withInject(inject, '/blog/hello-edge?page=plain', { headers: { Via: '1.1 og-edge' } });
    expect(loop.status).toBe(508);
    expect(((await loop.json()) as { error: { code: string } }).error.code).toBe('loop_detected');
  });

  it('keeps computed tags in the Cache API beside the metadata URL, for as long, and uses them', async () => {
    await textOf(await get('/blog/caching-by-id?page=plain'));
    const key = `${ORIGIN}/blog/caching-by-id/metadata?format=html&inject`;
    const cached = await caches.default.match(key);
    expect(await cached?.text()).toBe(await tagsOf('blog', 'caching-by-id'));
    expect(cached?.headers.get('Cache-Control')).toBe('public, max-age=60, stale-while-revalidate=600');
    const marker = '<meta name="x-cached" content="1" />\n';
    await caches.default.put(
      key,
      new Response(marker, { headers: { 'Cache-Control': 'max-age=60', 'x-og-inject-kinds': '1,0' } }),
    );
    expect(await textOf(await get('/blog/caching-by-id?page=plain'))).toContain(`${marker}</head>`);
  });

  it('reads INJECT as a string or an object, leaves out bad entries with a reason, and says why it cannot be read', () => {
    const ok = readInject({ pages: { '/blog/:slug': 'blog', '/': 'icon/acme', bad: 'blog', '/x': 'blog', '/y/:slug': 'a/b/c' } });
    expect(ok && 'match' in ok).toBe(true);
    if (!ok || !('match' in ok)) return;
    expect(ok.pages.map((p) => p.pattern)).toEqual(['/blog/:slug', '/']);
    expect(ok.faults.join('\n')).toMatch(/"bad" must start with \/[\s\S]*"\/x" has no :slug[\s\S]*"a\/b\/c" is not/);
    expect(ok.match('/blog/hi/')?.params).toEqual({ slug: 'hi' });
    expect(ok.match('/blog/hi/more')).toBeUndefined();
    expect(readInject('{"pages":{"/p/:slug":"blog"},"origin":"https://o.example.com/"}')).toMatchObject({ origin: 'https://o.example.com' });
    expect(readInject(undefined)).toBeUndefined();
    expect(readInject('{nope')).toEqual({ error: expect.stringMatching(/^INJECT is not JSON/) });
    expect(readInject({ pages: {}, origin: 'https://o.example.com/base' })).toEqual({ error: expect.stringMatching(/origin must be/) });
  });

  it('answers every non-API path with a clear 500 when INJECT cannot be read, and keeps its API', async () => {
    const res = await withInject('{"pages": 1}', '/blog/hello-edge');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'internal_error', message: 'INJECT.pages must be an object of path pattern → segment' } });
    expect((await withInject('{"pages": 1}', '/blog/hello-edge/metadata')).status).toBe(200);
  });
});
