// Hardening: signed URLs and key rotation, the time budget on route calls,
// garbage from modules, the policy on remote images in cards, signature
// spelling and expiry, the metadata key, the origin in URLs, and alt text.
import { env } from 'cloudflare:test';
import { encode } from 'fast-png';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { call, expectError } from './helpers/call';
import { unique, type Item } from './helpers/http';
import { near, pixels } from './helpers/png';
import { sign } from '../src/http/signing';

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

describe('signatures: one spelling, an optional expiry', () => {
  const KEY = { SIGNING_SECRET: 'first-secret-0123456789' };
  const TTL = { ...KEY, SIGNATURE_TTL: '3600' };
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const itemUrl = async (slug: string, vars: Record<string, string>) =>
    new URL((await (await call(`/icon/${slug}/metadata`, vars)).json<Item[]>())[0]!.url);

  it('verifies the one canonical signature, not the three that differ in its spare bits', async () => {
    const url = await itemUrl(unique(), KEY);
    const sig = url.searchParams.get('sig')!;
    const last = B64.indexOf(sig.at(-1)!);
    expect(last % 4).toBe(0);
    expect((await call(url.href, KEY)).status).toBe(200);
    for (const spare of [1, 2, 3]) {
      url.searchParams.set('sig', sig.slice(0, -1) + B64[last + spare]);
      await expectError(await call(url.href, KEY), 403, 'forbidden', /signature is not valid/);
    }
  });

  it('refuses base64 spellings of the signature: padding, + and /', async () => {
    const url = await itemUrl(unique(), KEY);
    const sig = url.searchParams.get('sig')!;
    const base64 = sig.replaceAll('-', '+').replaceAll('_', '/');
    for (const variant of [`${sig}=`, base64 === sig ? `${sig.slice(0, -1)}/` : base64]) {
      url.searchParams.set('sig', variant);
      await expectError(await call(url.href, KEY), 403, 'forbidden');
    }
  });

  it('with SIGNATURE_TTL, signs an expiry and caps the cache lifetime to it', async () => {
    const url = await itemUrl(unique(), TTL);
    const exp = Number(url.searchParams.get('exp'));
    const now = Date.now() / 1000;
    expect(exp).toBeGreaterThanOrEqual(now + 3600);
    expect(exp).toBeLessThanOrEqual(now + 7200);
    const res = await call(url.href, TTL);
    expect(res.status).toBe(200);
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('Cache-Control')!)![1]);
    expect(maxAge).toBeLessThanOrEqual(exp - now + 1);
    // The expiry is signed: moving it is a forgery.
    url.searchParams.set('exp', String(exp + 3600));
    await expectError(await call(url.href, TTL), 403, 'forbidden', /signature is not valid/);
    url.searchParams.set('exp', `0${exp}`);
    await expectError(await call(url.href, TTL), 403, 'forbidden', /expiry is not valid/);
  });

  it('refuses a signature whose expiry has passed, even from the cache', async () => {
    const slug = unique();
    const url = await itemUrl(slug, KEY);
    expect((await call(url.href, KEY)).status).toBe(200); // now cached
    const exp = Math.floor(Date.now() / 1000) - 1;
    const signed = { segment: 'icon', slug, id: 'small', version: url.searchParams.get('v')!, exp };
    url.searchParams.set('exp', String(exp));
    url.searchParams.set('sig', await sign(KEY.SIGNING_SECRET, signed));
    await expectError(await call(url.href, KEY), 403, 'forbidden', /has expired/);
  });
});

describe('METADATA_KEY restricts who gets (signed) URLs', () => {
  const VARS = { SIGNING_SECRET: 'first-secret-0123456789', METADATA_KEY: 'metadata-key-abcdef' };

  it('answers 401 without the key or with a wrong one, 200 with it, and never for shared caches', async () => {
    const path = `/icon/${unique()}/metadata`;
    for (const auth of [undefined, 'Bearer wrong-key', `Basic ${btoa(`x:${VARS.METADATA_KEY}`)}`, VARS.METADATA_KEY]) {
      const res = await call(path, VARS, { headers: auth ? { Authorization: auth } : {} });
      expect(res.headers.get('WWW-Authenticate'), auth).toMatch(/^Bearer/);
      await expectError(res, 401, 'unauthorized', /METADATA_KEY/);
    }
    const res = await call(path, VARS, { headers: { Authorization: `Bearer ${VARS.METADATA_KEY}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toMatch(/^private\b/);
    expect((await res.json<Item[]>())[0]!.url).toContain('&sig=');
  });
});

describe('the origin in URLs is not the Host header’s to choose', () => {
  const HOSTS = { PUBLIC_HOSTS: 'og.test, *.og.test, localhost:8787' };

  it('with PUBLIC_HOSTS, a foreign Host (or port) is a 400 before anything is rendered', async () => {
    const slug = unique();
    for (const origin of ['http://evil.test', 'http://og.test:9999', 'http://localhost:8788', 'http://og.test.evil.test']) {
      for (const path of [`/icon/${slug}/metadata`, `/icon/${slug}/image/small`]) {
        const res = await call(origin + path, HOSTS);
        expect(res.headers.get('Server-Timing') ?? '').not.toMatch(/satori|metadata/);
        await expectError(res, 400, 'bad_request', /is not one of PUBLIC_HOSTS/);
      }
    }
    for (const origin of ['http://og.test', 'http://cdn.og.test', 'http://localhost:8787']) {
      const res = await call(`${origin}/icon/${slug}/metadata`, HOSTS);
      expect(res.status).toBe(200);
      expect((await res.json<Item[]>())[0]!.url.startsWith(`${origin}/icon/`)).toBe(true);
    }
  });

  it('with PUBLIC_URL, every Host gets its URLs and its cache entries', async () => {
    const VARS = { PUBLIC_URL: 'https://og.example', BUILD_ID: unique() };
    const slug = unique();
    const [item] = await (await call(`http://evil.test/icon/${slug}/metadata`, VARS)).json<Item[]>();
    expect(item!.url.startsWith('https://og.example/icon/')).toBe(true);
    const path = new URL(item!.url).pathname + new URL(item!.url).search;
    expect((await call(`http://og.test${path}`, VARS)).headers.get('X-Cache')).toBe('miss');
    expect((await call(`http://evil.test${path}`, VARS)).headers.get('X-Cache')).not.toBe('miss');
  });
});

describe('alt text in tags and metadata is one plain line', () => {
  it('drops control characters, line breaks and bidi overrides, and collapses whitespace', async () => {
    const [item] = await (await call('/alt/messy/metadata')).json<Item[]>();
    expect(item!.alt).toBe('Line one Line two Tabbed nul gnp.exe and a separator');
    const html = await (await call('/alt/messy/metadata?format=html')).text();
    expect(html).toContain('<meta property="og:image:alt" content="Line one Line two Tabbed nul gnp.exe and a separator"/>');
    expect(html.split('\n').filter(Boolean).every((line) => /^<(meta|link) [^\n]*\/>$/.test(line))).toBe(true);
    expect(html).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u0085\u2028\u202e]/);
  });

  it('caps it at 420 characters with an ellipsis', async () => {
    const [item] = await (await call('/alt/long/metadata')).json<Item[]>();
    expect([...item!.alt].length).toBe(420);
    expect(item!.alt.endsWith('…')).toBe(true);
  });

  it('keeps what emoji and right-to-left text need', async () => {
    const [item] = await (await call('/alt/emoji/metadata')).json<Item[]>();
    expect(item!.alt).toBe('Family 👨‍👩‍👧 in עברית\u200F text');
  });
});
