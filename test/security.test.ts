// Hardening: signed URLs and key rotation, the time budget on route calls,
// garbage from modules, and the policy on remote images in cards.
import { env } from 'cloudflare:test';
import { encode } from 'fast-png';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { call, expectError } from './helpers/call';
import { unique, type Item } from './helpers/http';
import { near, pixels } from './helpers/png';

const r2 = (env as unknown as { IMAGES?: R2Bucket }).IMAGES;

describe('signed URLs', () => {
  const K1 = { SIGNING_SECRET: 'first-secret-0123456789' };
  const ROTATED = { SIGNING_SECRET: 'second-secret-9876543210', SIGNING_SECRET_PREVIOUS: K1.SIGNING_SECRET };
  const K2_ONLY = { SIGNING_SECRET: ROTATED.SIGNING_SECRET };
  const items = async (slug: string, vars: Record<string, string>) => (await call(`/icon/${slug}/metadata`, vars)).json<Item[]>();

  it('puts a signature in metadata URLs and serves them', async () => {
    const [item] = await items(unique(), K1);
    expect(item!.url).toMatch(/\?v=[\w-]+&sig=[\w-]{43}$/);
    const res = await call(item!.url, K1);
    expect(res.status).toBe(200);
  });

  it('refuses a missing, wrong, or borrowed signature with 403, before any lookup or render', async () => {
    const slug = unique();
    const [small, medium] = await items(slug, K1);
    const v = new URL(small!.url).searchParams.get('v');
    const sig = new URL(small!.url).searchParams.get('sig')!;
    const cases = [
      `/icon/${slug}/image/small`, // unversioned: nothing to sign
      `/icon/${slug}/image/small?v=${v}`, // missing
      `/icon/${slug}/image/small?v=${v}&sig=${'A'.repeat(43)}`, // wrong
      `/icon/${slug}/image/small?v=${v}&sig=short`, // malformed
      `/icon/${slug}/image/medium?v=${new URL(medium!.url).searchParams.get('v')}&sig=${sig}`, // another id's
      `/icon/other/image/small?v=${v}&sig=${sig}`, // another slug's
      `/nope/${slug}/image/small?v=${v}&sig=${sig}`, // even for an unknown segment
    ];
    for (const path of cases) {
      const res = await call(path, K1);
      expect(res.headers.get('Server-Timing') ?? '', path).not.toMatch(/metadata|satori|cache/);
      await expectError(res, 403, 'forbidden');
    }
  });

  it('accepts both keys during a rotation, and only the new one after', async () => {
    const [old] = await items(unique(), K1);
    expect((await call(old!.url, ROTATED)).status).toBe(200);
    const [fresh] = await items(unique(), ROTATED);
    expect((await call(fresh!.url, ROTATED)).status).toBe(200);
    expect((await call(fresh!.url, K2_ONLY)).status).toBe(200);
    await expectError(await call(old!.url, K2_ONLY), 403, 'forbidden');
  });

  it('is off without a secret: unsigned URLs work', async () => {
    const [item] = await items(unique(), {});
    expect(item!.url).not.toContain('sig=');
    expect((await call(item!.url)).status).toBe(200);
  });
});

describe('time budget on route calls', () => {
  const FAST = { ROUTE_TIMEOUT_MS: '200' };

  it('answers 504 when generateImageMetadata does not settle', async () => {
    await expectError(await call('/hang/metadata/metadata', FAST), 504, 'timeout', /route "hang": generateImageMetadata did not finish within 200 ms/);
  });

  it('answers 504 when Image does not settle, releases the key, caches nothing', async () => {
    const slug = unique();
    for (let i = 0; i < 2; i++) {
      await expectError(await call(`/hang/${slug}/image/forever`, FAST), 504, 'timeout', /route "hang": Image did not finish/);
    }
    if (r2) expect((await r2.list({ prefix: `images/hang/${slug}/` })).objects).toEqual([]);
    expect((await call(`/hang/${slug}/image/ok`, FAST)).status).toBe(200);
  });

  it('keeps serving other requests while one hangs', async () => {
    const hanging = call(`/hang/${unique()}/image/forever`, FAST);
    const other = await call(`/icon/${unique()}/image/small`, FAST);
    expect(other.status).toBe(200);
    expect((await hanging).status).toBe(504);
  });
});

describe('garbage from a module is a clear 500', () => {
  const cases: [string, RegExp][] = [
    ['/faulty/garbage-size/metadata', /item "a": size must be \{ width, height \} in whole pixels/],
    ['/faulty/object-id/metadata', /item 0: id must be a string or a number/],
    ['/faulty/not-an-object/metadata', /item 0 is string, not an object/],
    ['/faulty/null/metadata', /generateImageMetadata returned null, not an array/],
    ['/faulty/x/image/huge-response', /ImageResponse for "huge-response" asks for 100000×100000/],
  ];
  for (const [path, message] of cases) {
    it(path, async () => expectError(await call(path), 500, 'route_error', message));
  }
});

describe('remote images in cards', () => {
  const POLICY = { IMAGE_HOSTS: 'images.example, *.pics.example', IMAGE_MAX_BYTES: '1000', IMAGE_TIMEOUT_MS: '200' };
  const RED = encode({ width: 4, height: 4, data: new Uint8Array(4 * 4 * 4).map((_, i) => (i % 4 === 0 || i % 4 === 3 ? 255 : 0)) });
  let fetched: string[] = [];

  beforeEach(() => {
    fetched = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      fetched.push(url.href);
      const png = { 'Content-Type': 'image/png' };
      switch (url.pathname) {
        case '/red.png':
          return new Response(RED, { headers: png });
        case '/redirect-to-evil':
          return new Response(null, { status: 302, headers: { Location: 'https://evil.example/red.png' } });
        case '/huge.png':
          return new Response(new Uint8Array(5000), { headers: png });
        case '/page.html':
          return new Response('<html></html>', { headers: { 'Content-Type': 'text/html' } });
        case '/slow.png':
          return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
        default:
          return new Response('not found', { status: 404 });
      }
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const render = (slug: string) => call(`/remote/${slug}/image/card?nonce=${unique()}`, { ...POLICY, BUILD_ID: unique() });

  it('inlines an image from an allowed host: satori never fetches', async () => {
    const res = await render('allowed');
    expect(res.status).toBe(200);
    expect(near(pixels(new Uint8Array(await res.arrayBuffer())).at(32, 32), [255, 0, 0, 255])).toBe(true);
    expect(fetched).toEqual(['https://images.example/red.png']);
  });

  it('allows subdomains with a *. rule, and CSS background images', async () => {
    expect((await render('subdomain')).status).toBe(200);
    const bg = await render('background');
    expect(bg.status).toBe(200);
    expect(near(pixels(new Uint8Array(await bg.arrayBuffer())).at(10, 10), [255, 0, 0, 255])).toBe(true);
  });

  it('refuses a host not on the allowlist without fetching it', async () => {
    await expectError(await render('refused'), 500, 'route_error', /image host "evil.example" is not allowed/);
    expect(fetched).toEqual([]);
  });

  it('re-checks every redirect', async () => {
    await expectError(await render('redirect'), 500, 'route_error', /image host "evil.example" is not allowed/);
    expect(fetched).toEqual(['https://images.example/redirect-to-evil']);
  });

  it('caps the bytes, checks the type, bounds the time, and reports failures', async () => {
    await expectError(await render('huge'), 502, 'image_fetch_failed', /over the 1000-byte cap/);
    await expectError(await render('html'), 502, 'image_fetch_failed', /content type "text\/html"/);
    await expectError(await render('slow'), 502, 'image_fetch_failed', /no answer within 200 ms/);
    await expectError(await render('missing'), 502, 'image_fetch_failed', /status 404/);
  });

  it('allows no remote image at all by default', async () => {
    const res = await call(`/remote/allowed/image/card?nonce=${unique()}`, { BUILD_ID: unique() });
    await expectError(res, 500, 'route_error', /not allowed \(add it to IMAGE_HOSTS\)/);
  });
});
