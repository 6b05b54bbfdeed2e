// Edge caching keyed by segment, slug, id and version: Cache API first, R2
// (where bound) as the shared persistent tier. This file also runs in a
// project without R2 bound, where everything but the R2 checks must hold.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from './worker';
import { body, get, metadata, ORIGIN, unique } from './helpers/http';
import { withExample } from './helpers/examples';
import { isPng } from './helpers/png';
import { memoryClear } from '../src/cache/memory';

/** Served from a cache tier: isolate memory or the Cache API. */
const CACHED = ['memory', 'hit'];

const e = env as unknown as { DB: D1Database; IMAGES?: R2Bucket };
const r2 = e.IMAGES;

/** Polls until `check` holds: cache writes happen in waitUntil, after the response. */
async function eventually<T>(what: string, check: () => Promise<T | undefined | null | false>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const cached = (url: string) => eventually(`cache entry for ${url}`, () => caches.default.match(url));

/** A post of our own, so no other test sees our edits. */
async function addPost(title = 'A cached post') {
  const slug = unique('post');
  await e.DB.prepare('INSERT INTO posts (slug, title, author, published_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    .bind(slug, title, 'Test Author', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
    .run();
  return slug;
}

const r2Key = (url: string) => {
  const u = new URL(url);
  return `images${u.pathname.replace('/image/', '/image/')}/${u.searchParams.get('v')}`;
};

describe('miss, then hit', () => {
  it('renders once, then serves from memory, then from the Cache API, without rendering', async () => {
    const [item] = await metadata('icon', unique());
    const first = await get(item!.url);
    expect(first.headers.get('X-Cache')).toBe('miss');
    expect(first.headers.get('Server-Timing')).toMatch(/satori;dur=.*raster;dur=/);
    const bytes = await body(first);
    await cached(item!.url);
    const fromMemory = await get(item!.url);
    expect(fromMemory.headers.get('X-Cache')).toBe('memory');
    expect(await body(fromMemory)).toEqual(bytes);
    memoryClear();
    const second = await get(item!.url);
    expect(second.headers.get('X-Cache')).toBe('hit');
    // A versioned hit does not even call generateImageMetadata.
    expect(second.headers.get('Server-Timing')).not.toMatch(/metadata|satori/);
    expect(await body(second)).toEqual(bytes);
    expect(second.headers.get('ETag')).toBe(first.headers.get('ETag'));
    expect(second.headers.get('Content-Length')).toBe(String(bytes.byteLength));
    expect(second.headers.get('Age')).toBeNull(); // the Cache API's own headers stay inside
  });

  it('renders 50 concurrent requests for one uncached image once', async () => {
    // The `slow` fixture's Image waits 100 ms, so all 50 overlap its render.
    const [item] = await metadata('slow', unique('burst'));
    const responses = await Promise.all(Array.from({ length: 50 }, () => get(item!.url)));
    // One render. A request the scheduler starts after the render has been
    // stored finds it in memory: what is guaranteed is one miss, one image.
    const served = responses.map((r) => r.headers.get('X-Cache'));
    expect(served.filter((s) => s === 'miss'), served.join()).toHaveLength(1);
    for (const s of served) expect(['miss', 'coalesced', ...CACHED]).toContain(s);
    const bodies = await Promise.all(responses.map(body));
    for (const b of bodies) expect(b).toEqual(bodies[0]);
    expect(isPng(bodies[0]!)).toBe(true);
  });

  it('coalesces unversioned and versioned requests for the same image', async () => {
    const slug = unique('mix');
    const [item] = await metadata('slow', slug);
    const responses = await Promise.all([get(item!.url), get(`/slow/${slug}/image/a`), get(item!.url)]);
    // Which request leads is up to the scheduler, and a late one may find the
    // image already in memory; what is guaranteed is one render, one image.
    const served = responses.map((r) => r.headers.get('X-Cache'));
    expect(served.filter((s) => s === 'miss'), served.join()).toHaveLength(1);
    for (const s of served) expect(['miss', 'coalesced', ...CACHED]).toContain(s);
    const bodies = await Promise.all(responses.map(body));
    expect(isPng(bodies[0]!)).toBe(true);
    for (const b of bodies) expect(b).toEqual(bodies[0]);
  });
});

describe('keys and versions', () => {
  it('ignores other query parameters: utm_* and cache-busters share the key', async () => {
    const [item] = await metadata('icon', unique());
    await body(await get(item!.url));
    await cached(item!.url);
    for (const extra of ['&utm_source=twitter&utm_medium=social', '&_=12345', '&fbclid=abc']) {
      const res = await get(item!.url + extra);
      expect(CACHED, extra).toContain(res.headers.get('X-Cache'));
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    }
  });

  withExample('blog')('gives a changed post new URLs; the old URL keeps what it showed', async () => {
    const slug = await addPost('Before the edit');
    const [before] = await metadata('blog', slug);
    const oldBytes = await body(await get(before!.url));
    await cached(before!.url);

    await e.DB.prepare('UPDATE posts SET title = ?, updated_at = ? WHERE slug = ?')
      .bind('After the edit', '2026-02-02T00:00:00Z', slug)
      .run();
    const [after] = await metadata('blog', slug);
    expect(after!.url).not.toBe(before!.url);
    expect(after!.url.split('?')[0]).toBe(before!.url.split('?')[0]);

    const fresh = await get(after!.url);
    expect(fresh.headers.get('X-Cache')).toBe('miss');
    expect(await body(fresh)).not.toEqual(oldBytes);

    const old = await get(before!.url);
    expect(CACHED).toContain(old.headers.get('X-Cache'));
    expect(await body(old)).toEqual(oldBytes);
  });

  withExample('blog')('keeps serving a versioned URL after its post is gone; the unversioned one is 404', async () => {
    const slug = await addPost();
    const [item] = await metadata('blog', slug);
    await body(await get(item!.url));
    await cached(item!.url);
    await e.DB.prepare('DELETE FROM posts WHERE slug = ?').bind(slug).run();
    expect((await get(item!.url)).status).toBe(200);
    expect((await get(`/blog/${slug}/image/og`)).status).toBe(404);
  });

  it('serves an unversioned or outdated URL with a short lifetime, from the same entry', async () => {
    const slug = unique();
    const [item] = await metadata('icon', slug);
    await body(await get(item!.url));
    await cached(item!.url);
    for (const path of [`/icon/${slug}/image/small`, `/icon/${slug}/image/small?v=outdated1`]) {
      const res = await get(path);
      expect(CACHED, path).toContain(res.headers.get('X-Cache'));
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=300, stale-while-revalidate=86400');
    }
  });

  it('marks a current versioned URL immutable', async () => {
    const [item] = await metadata('icon', unique());
    const res = await get(item!.url);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
  });
});

describe('memory, the first tier', () => {
  async function call(path: string, vars: Record<string, string>) {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(ORIGIN + path), { ...env, ...vars }, ctx);
    await res.arrayBuffer();
    await waitOnExecutionContext(ctx);
    return res.headers.get('X-Cache');
  }

  it('is bounded in bytes and drops the least recently used first', async () => {
    memoryClear();
    // Room for about ten icons (an icon's size depends on the PNG encoder).
    const icon = await body(await get(`/icon/${unique('lru')}/image/small`));
    const small = { MEMORY_CACHE_BYTES: String(icon.byteLength * 10) };
    const slugs = Array.from({ length: 40 }, () => unique('lru'));
    for (const slug of slugs) expect(await call(`/icon/${slug}/image/small`, small)).toBe('miss');
    // The newest are still in memory; the oldest were dropped to the Cache API.
    expect(await call(`/icon/${slugs.at(-1)}/image/small`, small)).toBe('memory');
    expect(await call(`/icon/${slugs[0]}/image/small`, small)).toBe('hit');
    memoryClear();
  });

  it('can be turned off', async () => {
    const off = { MEMORY_CACHE_BYTES: '0' };
    const slug = unique();
    expect(await call(`/icon/${slug}/image/small`, off)).toBe('miss');
    expect(await call(`/icon/${slug}/image/small`, off)).toBe('hit');
  });
});

describe('R2, the persistent tier', () => {
  it.skipIf(!r2)('is written on a miss and used once the Cache API entry is gone', async () => {
    const [item] = await metadata('icon', unique('r2'));
    const bytes = await body(await get(item!.url));
    const object = await eventually('R2 object', () => r2!.get(r2Key(item!.url)));
    expect(new Uint8Array(await object.arrayBuffer())).toEqual(bytes);
    await cached(item!.url);

    expect(await caches.default.delete(item!.url)).toBe(true);
    memoryClear();
    const fromR2 = await get(item!.url);
    expect(fromR2.headers.get('X-Cache')).toBe('r2');
    expect(await body(fromR2)).toEqual(bytes);
    // …and this isolate and the Cache API are warmed again from it.
    expect((await get(item!.url)).headers.get('X-Cache')).toBe('memory');
    await cached(item!.url);
    memoryClear();
    expect((await get(item!.url)).headers.get('X-Cache')).toBe('hit');
  });

  it.runIf(!r2)('is simply absent without the binding', async () => {
    expect(e.IMAGES).toBeUndefined();
    const [item] = await metadata('icon', unique());
    expect((await get(item!.url)).headers.get('X-Cache')).toBe('miss');
  });
});

describe('conditional requests and HEAD', () => {
  it('answers If-None-Match with 304 from the cache, without rendering', async () => {
    const [item] = await metadata('icon', unique());
    const first = await get(item!.url);
    await body(first);
    await cached(item!.url);
    const tag = first.headers.get('ETag')!;
    expect(tag).toMatch(/^"[\w-]+"$/); // strong
    const res = await get(item!.url, { headers: { 'If-None-Match': tag } });
    expect(res.status).toBe(304);
    expect(CACHED).toContain(res.headers.get('X-Cache'));
    expect(res.headers.get('ETag')).toBe(tag);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    const other = await get(item!.url, { headers: { 'If-None-Match': '"something-else"' } });
    expect(other.status).toBe(200);
  });

  it('answers HEAD on a hit without a body and without rendering', async () => {
    const [item] = await metadata('icon', unique());
    const bytes = await body(await get(item!.url));
    await cached(item!.url);
    const head = await get(item!.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(CACHED).toContain(head.headers.get('X-Cache'));
    expect(head.headers.get('Content-Length')).toBe(String(bytes.byteLength));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });
});

describe('errors never enter a tier', () => {
  it('leaves no entry behind a failing render', async () => {
    const slug = unique();
    const url = `${ORIGIN}/faulty/${slug}/image/throws`;
    expect((await get(url)).status).toBe(500);
    const [item] = await metadata('faulty', slug);
    expect(item).toBeDefined();
    await new Promise((r) => setTimeout(r, 50));
    // Nothing under any version of this image's path, in either tier.
    const keys = await Promise.all([caches.default.match(url), caches.default.match(`${url}?v=x`)]);
    expect(keys).toEqual([undefined, undefined]);
    if (r2) expect((await r2.list({ prefix: `images/faulty/${slug}/` })).objects).toEqual([]);
    expect((await get(url)).status).toBe(500); // and fails afresh
  });

  it('does not cache a 404 for an unknown id', async () => {
    const slug = unique();
    expect((await get(`/icon/${slug}/image/huge`)).status).toBe(404);
    if (r2) expect((await r2.list({ prefix: `images/icon/${slug}/` })).objects).toEqual([]);
  });
});

describe('CORS', () => {
  it('allows any origin to GET by default', async () => {
    const res = await get('/icon/acme/metadata', { headers: { Origin: 'https://site.example' } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('ETag');
    expect(res.headers.get('Vary')).toBeNull(); // "*" does not vary by Origin
  });

  it('handles preflight', async () => {
    const res = await get('/icon/acme/image/small', {
      method: 'OPTIONS',
      headers: { Origin: 'https://site.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Methods')).toBe('GET,HEAD,OPTIONS');
  });

  it('limits origins to CORS_ORIGINS when set', async () => {
    const call = async (origin: string) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(
        new Request(`${ORIGIN}/icon/acme/metadata`, { headers: { Origin: origin } }),
        { ...env, CORS_ORIGINS: 'https://a.example, https://b.example' },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res.headers.get('Access-Control-Allow-Origin');
    };
    expect(await call('https://b.example')).toBe('https://b.example');
    expect(await call('https://evil.example')).toBeNull();
  });
});

describe('crawlers', () => {
  it('are let in by robots.txt', async () => {
    const res = await get('/robots.txt');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('User-agent: *\nAllow: /\n');
  });
});
