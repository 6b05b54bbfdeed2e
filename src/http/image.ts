// GET/HEAD /…/image/:id — the image an item describes, from the cache when
// it can be, rendered once when it cannot. Which file and params the path
// names is src/pages/match.ts's business.
import type { Context } from 'hono';
import { endTime, setMetric, startTime } from 'hono/timing';
import { coalesce, isInflight } from '../cache/coalesce';
import { cacheKey, lookup, store, type Source, type StoredImage } from '../cache/tiers';
import { getConfig } from '../config';
import { loadFile, matchImage } from '../pages/match';
import { resolveImages } from '../pages/metadata';
import { produce } from '../pages/produce';
import type { Env, Registry } from '../types';
import { notFound, ServiceError } from '../errors';
import { publicOrigin, readVersion } from './params';
import { cappedCacheControl, verify } from './signing';

/** How a response was served, in the `X-Cache` header. */
export type Served = Source | 'miss' | 'coalesced';

function serve(c: Context, image: StoredImage, served: Served, cacheControl: string, status = 200) {
  for (const [name, value] of image.headers) c.header(name, value);
  c.header('Content-Type', image.contentType);
  c.header('Content-Length', String(image.bytes.byteLength));
  c.header('Cache-Control', status === 200 ? cacheControl : 'no-store');
  c.header('ETag', image.etag);
  c.header('X-Cache', served);
  c.header('X-Content-Type-Options', 'nosniff');
  // An SVG opened directly is a document: let it run nothing.
  if (image.contentType.startsWith('image/svg')) c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
  return c.body(image.bytes as Uint8Array<ArrayBuffer>, status as 200);
}

export const imageHandler = (registry: Registry) => async (c: Context<{ Bindings: Env }>) => {
  const config = getConfig(c.env);
  const origin = publicOrigin(c.req.url, config);
  const requested = readVersion(c);
  const query = { sig: c.req.query('sig'), exp: c.req.query('exp') };
  // Signed URLs: refused before anything is looked up, let alone rendered; a
  // path that names no image is refused the same way, not told apart. One
  // that expires is not cached anywhere past its expiry.
  const found = await Promise.resolve()
    .then(() => matchImage(registry, c.req.url))
    .catch(async (e) => {
      if (config.signingKeys.length && e instanceof ServiceError && e.status === 404) {
        await verify(config.signingKeys, query, { segment: new URL(c.req.url).pathname, slug: '', id: '', version: requested });
      }
      throw e;
    });
  const { file, params, id, path, signed } = found;
  const name = file.legacy ?? file.file;
  let { immutable, unversioned } = config.cacheControl;
  if (config.signingKeys.length) {
    const exp = await verify(config.signingKeys, query, { ...signed, id, version: requested });
    if (exp !== undefined) {
      const left = Math.max(0, exp - Math.floor(Date.now() / 1000));
      [immutable, unversioned] = [cappedCacheControl(immutable, left), cappedCacheControl(unversioned, left)];
    }
  }
  const waitUntil = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  const cached = async (version: string) => {
    startTime(c, 'cache');
    const hit = await lookup(cacheKey(origin, path, version), c.env, config.memoryCacheBytes, waitUntil);
    endTime(c, 'cache');
    return hit;
  };

  // A versioned URL names immutable bytes: serve them without asking the
  // route module anything (no metadata call, no database query).
  if (requested) {
    const hit = await cached(requested);
    if (hit) return serve(c, hit.image, hit.source, immutable);
  }

  startTime(c, 'metadata');
  const entry = await loadFile(file);
  const items = await resolveImages(name, entry, params, c.env, config);
  endTime(c, 'metadata');
  const item = items.find((i) => String(i.id) === id);
  if (!item) throw notFound(`no image "${id}" in ${decodeURIComponent(path.slice(0, path.lastIndexOf('/image/')))}`);

  // Only the current version's URL is immutable; an unversioned or outdated
  // one gets the current image with a short lifetime.
  const cacheControl = requested === item.version ? immutable : unversioned;
  if (requested !== item.version) {
    const hit = await cached(item.version);
    if (hit) return serve(c, hit.image, hit.source, cacheControl);
  }

  const key = cacheKey(origin, path, item.version);
  // Only a request that would start a render spends from its client's budget.
  if (c.env.RENDER_LIMITER && !isInflight(key.url)) {
    const client = c.req.header('CF-Connecting-IP') ?? 'unknown';
    const { success } = await c.env.RENDER_LIMITER.limit({ key: client });
    if (!success) {
      c.header('Retry-After', '60');
      throw new ServiceError(429, 'rate_limited', 'too many uncached renders from this client; try again shortly');
    }
  }
  const { promise, shared } = coalesce(
    key.url,
    () => produce(name, entry, item, params, c.env, config),
    (produced) => {
      if (produced.status !== 200) return Promise.resolve();
      const written = store(key, produced.image, c.env, config.memoryCacheBytes);
      waitUntil(written);
      return written;
    },
  );
  // The leader's context must outlive a client that hangs up, since others wait on it.
  if (!shared) waitUntil(promise.catch(() => undefined));
  const produced = await promise;
  if (!shared) {
    setMetric(c, 'satori', produced.timings.satori);
    setMetric(c, 'raster', produced.timings.raster);
  }
  return serve(c, produced.image, shared ? 'coalesced' : 'miss', cacheControl, produced.status);
};
