// The lifecycle of an image request: one deadline over everything it does,
// coalescing that survives any run of failures, only image bytes served and
// stored, every cache tier optional, and a JSON log line per image and error.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from './worker';
import { body, ORIGIN, unique, type ErrorBody } from './helpers/http';
import { isPng } from './helpers/png';
import { memoryGet } from '../src/cache/memory';
import { coalesce, isInflight } from '../src/cache/coalesce';
import { Deadline } from '../src/deadline';

const e = env as unknown as Record<string, unknown> & { IMAGES?: R2Bucket };
const r2 = e.IMAGES;

/** Log lines the Worker wrote during a test, parsed (src/log.ts). */
let lines: Record<string, unknown>[] = [];
beforeEach(() => {
  lines = [];
  for (const level of ['log', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      try {
        lines.push(JSON.parse(String(args[0])));
      } catch {
        lines.push({ raw: args.map(String).join(' ') });
      }
    });
  }
});
afterEach(() => vi.restoreAllMocks());

/** Through the exported handler (see test/fuzz.test.ts), with vars overridden. */
async function handle(path: string, vars: Record<string, unknown> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(ORIGIN + path), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function expectError(res: Response, status: number, code: string, message?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
  const { error } = await res.json<ErrorBody>();
  expect(error.code, error.message).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return { error, cacheControl: res.headers.get('Cache-Control') };
}

/** Nothing for this image in any tier: isolate memory, the Cache API or R2. */
async function expectNothingStored(segment: string, slug: string, id: string) {
  await new Promise((r) => setTimeout(r, 50)); // writes happen in waitUntil
  const items = await (await handle(`/${segment}/${slug}/metadata`)).json<{ id: string; url: string }[]>();
  const url = items.find((i) => String(i.id) === id)!.url;
  expect(memoryGet(url)).toBeUndefined();
  expect(await caches.default.match(url)).toBeUndefined();
  if (r2) expect((await r2.list({ prefix: `images/${segment}/${slug}/` })).objects).toEqual([]);
}

const FAST = { REQUEST_TIMEOUT_MS: '300' };

describe('coalescing', () => {
  it('still coalesces after 1,000 failing renders', async () => {
    for (let i = 0; i < 1000; i++) {
      const res = await handle(`/faulty/${unique()}/image/throws`);
      expect(res.status).toBe(500);
      await res.arrayBuffer();
    }
    // Ten separate requests (each its own request context, as in production).
    const slug = unique('burst');
    const responses = await Promise.all(Array.from({ length: 10 }, () => SELF.fetch(`${ORIGIN}/slow/${slug}/image/a`)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const served = responses.map((r) => r.headers.get('X-Cache'));
    expect(served.filter((s) => s === 'miss')).toHaveLength(1); // one render
    expect(served.filter((s) => s === 'coalesced')).toHaveLength(9);
    const bodies = await Promise.all(responses.map(body));
    expect(isPng(bodies[0]!)).toBe(true);
    for (const b of bodies) expect(b).toEqual(bodies[0]);
  }, 120_000);

  it('gives every follower the leader\'s error, and releases the entry', async () => {
    const slug = unique();
    const items = await (await handle(`/lifecycle/${slug}/metadata`)).json<{ id: string; url: string }[]>();
    const item = items.find((i) => i.id === 'endless');
    const path = `/lifecycle/${slug}/image/endless`;
    expect(item!.url).toContain(path);
    // The leader has the short deadline; followers join once its render is
    // under way and could wait far longer, so the error they get is the leader's.
    const leader = handle(path, FAST);
    while (!isInflight(item!.url)) await new Promise((r) => setTimeout(r, 5));
    const followers = Array.from({ length: 4 }, () => handle(path, { REQUEST_TIMEOUT_MS: '20000' }));
    for (const res of await Promise.all([leader, ...followers])) await expectError(res, 504, 'timeout', /reading the Response Image returned/);
    // The entry is gone: the next request renders (and times out) afresh rather than hanging.
    await expectError(await handle(path, FAST), 504, 'timeout');
  });

});

describe('a client that hangs up', () => {
  const QUIET = { ...env, PRERENDER: 'off' };
  /** The slow route's image URL for a new slug (its Image awaits 100 ms, so requests overlap). */
  async function slowImage() {
    const slug = unique();
    const ctx = createExecutionContext();
    const items = await (await worker.fetch(new Request(`${ORIGIN}/slow/${slug}/metadata`), QUIET, ctx)).json<{ url: string }[]>();
    return { slug, url: items[0]!.url, path: `/slow/${slug}/image/a` };
  }
  /** A request with a signal of its own, as workerd gives one with enable_request_signal. */
  function request(path: string, client?: AbortController) {
    const ctx = createExecutionContext();
    const res = worker.fetch(new Request(ORIGIN + path, { signal: client?.signal }), QUIET, ctx);
    return { res, done: () => waitOnExecutionContext(ctx) };
  }
  const until = async (ok: () => boolean) => {
    while (!ok()) await new Promise((r) => setTimeout(r, 2));
  };

  it('stops its render at the next stage when no one else waits on it: 499, nothing stored', async () => {
    const { slug, url, path } = await slowImage();
    const client = new AbortController();
    const leader = request(path, client);
    await until(() => isInflight(url));
    client.abort();
    await expectError(await leader.res, 499, 'client_closed', /the client hung up and no other request waits on it/);
    await leader.done();
    expect(lines.some((l) => l.event === 'error' && l.code === 'client_closed')).toBe(true);
    await expectNothingStored('slow', slug, 'a');
  });

  it('does not stop a render another request waits on: both get the same image', async () => {
    const { url, path } = await slowImage();
    const client = new AbortController();
    const leader = request(path, client);
    await until(() => isInflight(url));
    const follower = request(path);
    await new Promise((r) => setTimeout(r, 30)); // the follower joins
    client.abort();
    const [a, b] = await Promise.all([leader.res, follower.res]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.headers.get('X-Cache'), b.headers.get('X-Cache')]).toEqual(['miss', 'coalesced']);
    expect(await body(b)).toEqual(await body(a));
    await Promise.all([leader.done(), follower.done()]);
  });
});

describe('an abandoned render', () => {
  it('is given up at its leader\'s deadline, and the next request renders afresh', async () => {
    // A leader whose request was cancelled mid-render never settles.
    const key = unique('abandoned');
    const leader = coalesce(key, () => new Promise<string>(() => {}), async () => undefined, new Deadline(100));
    expect(leader.shared).toBe(false);
    const follower = coalesce(key, async () => 'unused', async () => undefined, new Deadline(5_000));
    expect(follower.shared).toBe(true);
    await expect(follower.promise).rejects.toMatchObject({ status: 504, code: 'timeout' });
    const next = coalesce(key, async () => 'fresh', async () => undefined, new Deadline(5_000));
    expect(next.shared).toBe(false);
    expect(await next.promise).toBe('fresh');
  });
});

describe('one deadline per request', () => {
  it('answers a Response body that never ends with a 504, caching nothing', async () => {
    const slug = unique();
    const { cacheControl } = await expectError(await handle(`/lifecycle/${slug}/image/endless`, FAST), 504, 'timeout', /within 300 ms/);
    expect(cacheControl).toBe('no-store');
    await expectNothingStored('lifecycle', slug, 'endless');
  });

  it('answers a body that stalls past the deadline with a 504, not a 0-byte 200', async () => {
    const slug = unique();
    await expectError(await handle(`/lifecycle/${slug}/image/stalls`, FAST), 504, 'timeout');
    await expectNothingStored('lifecycle', slug, 'stalls');
  });

  it('covers async components', async () => {
    const slug = unique();
    await expectError(await handle(`/lifecycle/${slug}/image/sleepy-component`, FAST), 504, 'timeout', /components of "sleepy-component"/);
    await expectNothingStored('lifecycle', slug, 'sleepy-component');
  });

  it('stops at the next stage once synchronous work has run past it', async () => {
    const slug = unique();
    // The component busies the CPU for 400 ms: nothing can interrupt that,
    // but layout and raster never start.
    await expectError(await handle(`/lifecycle/${slug}/image/busy-component`, { REQUEST_TIMEOUT_MS: '200' }), 504, 'timeout', /rendering "busy-component" did not finish/);
    await expectNothingStored('lifecycle', slug, 'busy-component');
  });
});

describe('only image bytes are served and stored', () => {
  const refused: [string, RegExp][] = [
    ['html', /Response of type "text\/html"/],
    ['json', /Response of type "application\/json"/],
    ['empty', /empty Response/],
    ['huge', /over the 8388608-byte cap/],
    ['mislabelled', /labelled "image\/png" whose bytes are not image\/png/],
  ];
  for (const [id, message] of refused) {
    it(`refuses a Response that is ${id} with a 500 naming the route`, async () => {
      const slug = unique();
      await expectError(await handle(`/lifecycle/${slug}/image/${id}`), 500, 'route_error', new RegExp(`^route "lifecycle": .*${message.source}`));
      await expectNothingStored('lifecycle', slug, id);
    });
  }

  it('serves an image Response of another type with its own type and allowed headers', async () => {
    const res = await handle(`/lifecycle/${unique()}/image/gif`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/gif');
    expect(res.headers.get('X-Robots-Tag')).toBe('noindex');
    expect(new TextDecoder().decode((await body(res)).subarray(0, 6))).toBe('GIF89a');
    const svg = await handle(`/lifecycle/${unique()}/image/svg`);
    expect(svg.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(svg.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
  });

  it('passes only allowlisted headers from a route, on a miss and on a hit', async () => {
    const slug = unique();
    for (const expected of ['miss', 'memory']) {
      const res = await handle(`/lifecycle/${slug}/image/headers`);
      expect(res.headers.get('X-Cache')).toBe(expected);
      expect(res.headers.get('Content-Type')).toBe('image/png');
      expect(isPng(await body(res))).toBe(true);
      for (const name of ['content-encoding', 'location', 'vary', 'set-cookie', 'content-disposition', 'x-accel-redirect']) {
        expect(res.headers.get(name), name).toBeNull();
      }
      // On a 200 the service owns Cache-Control.
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=300, stale-while-revalidate=86400');
      expect(res.headers.get('X-Robots-Tag')).toBe('noindex');
      expect(res.headers.get('Content-Language')).toBe('en');
      expect(res.headers.get('Cache-Tag')).toBe('cards');
    }
  });

  it("honours a route's Cache-Control on a non-200 image and on an error it returns", async () => {
    const fallback = await handle(`/lifecycle/${unique()}/image/fallback`);
    expect(fallback.status).toBe(404);
    expect(isPng(await body(fallback))).toBe(true);
    expect(fallback.headers.get('Cache-Control')).toBe('public, max-age=120');
    const gone = await expectError(await handle(`/lifecycle/${unique()}/image/gone`), 404, 'not_found');
    expect(gone.cacheControl).toBe('public, max-age=60');
    const teapot = await expectError(await handle(`/lifecycle/${unique()}/image/teapot`), 500, 'route_error', /status 418/);
    expect(teapot.cacheControl).toBe('public, max-age=30');
    // A 200 image: the service's, whatever the route said.
    const ok = await handle(`/lifecycle/${unique()}/image/cache-control`);
    expect(ok.headers.get('Cache-Control')).toBe('public, max-age=300, stale-while-revalidate=86400');
  });
});

describe('every cache tier is optional at run time', () => {
  const failing = (bucket: R2Bucket): R2Bucket =>
    new Proxy(bucket, {
      get(target, name) {
        if (name === 'get' || name === 'put') return () => Promise.reject(new Error(`R2 ${String(name)} is down`));
        return Reflect.get(target, name);
      },
    });

  it.skipIf(!r2)('renders when R2 get and put reject', async () => {
    const slug = unique();
    const vars = { IMAGES: failing(r2!), MEMORY_CACHE_BYTES: '0' };
    const res = await handle(`/icon/${slug}/image/small`, vars);
    expect(res.status).toBe(200);
    expect(isPng(await body(res))).toBe(true);
    const logged = lines.filter((l) => l.event === 'cache_error' && l.tier === 'r2');
    expect(logged.map((l) => l.op).sort()).toEqual(['read', 'write']);
    expect(logged[0]!.error).toMatch(/R2 (get|put) is down/);
    // …and a versioned URL still answers, from the Cache API.
    const [item] = await (await handle(`/icon/${slug}/metadata`, vars)).json<{ url: string }[]>();
    const again = await handle(new URL(item!.url).pathname + new URL(item!.url).search, vars);
    expect(again.status).toBe(200);
  });

  it('renders when Cache API reads and writes reject', async () => {
    vi.spyOn(caches.default, 'match').mockRejectedValue(new Error('cache read broke'));
    vi.spyOn(caches.default, 'put').mockRejectedValue(new Error('cache write broke'));
    const res = await handle(`/icon/${unique()}/image/small`);
    expect(res.status).toBe(200);
    expect(isPng(await body(res))).toBe(true);
    const tiers = lines.filter((l) => l.event === 'cache_error').map((l) => `${l.tier} ${l.op}`);
    expect(tiers).toContain('cache read');
    expect(tiers).toContain('cache write');
  });
});

describe('logs and production errors', () => {
  it('writes one JSON line per image served', async () => {
    const slug = unique();
    await body(await handle(`/icon/${slug}/image/small`));
    await body(await handle(`/icon/${slug}/image/small`));
    const images = lines.filter((l) => l.event === 'image');
    expect(images).toHaveLength(2);
    expect(images[0]).toMatchObject({ level: 'info', segment: 'icon', id: 'small', cache: 'miss', status: 200 });
    expect(images[0]!.bytes).toBeGreaterThan(100);
    expect(typeof images[0]!.satori).toBe('number');
    expect(images[1]).toMatchObject({ cache: 'memory', status: 200 });
  });

  it("answers a route's exception generically in production, with the detail in the log under its reference", async () => {
    const { error } = await expectError(await handle(`/lifecycle/${unique()}/image/throws`), 500, 'route_error');
    expect(error.message).toMatch(/^route "lifecycle": Image threw; reference [0-9a-f]{12}$/);
    expect(error.message).not.toContain('posts_v2');
    const reference = error.message.split('reference ')[1];
    const [line] = lines.filter((l) => l.event === 'error');
    expect(line).toMatchObject({ level: 'error', reference, status: 500, code: 'route_error' });
    expect(line!.message).toContain('D1_ERROR: no such table: posts_v2');
    expect(line!.stack).toBeUndefined();
    // Development keeps the detail in the body.
    const dev = await expectError(await handle(`/lifecycle/${unique()}/image/throws`, { ENVIRONMENT: 'development' }), 500, 'route_error');
    expect(dev.error.message).toBe('route "lifecycle": Image threw: D1_ERROR: no such table: posts_v2');
  });
});
