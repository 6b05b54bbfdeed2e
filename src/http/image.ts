// GET/HEAD /:segment/:slug/image/:id — the image an item describes, from the
// cache when it can be, rendered once when it cannot.
import type { Context } from 'hono';
import { endTime, setMetric, startTime } from 'hono/timing';
import { coalesce, isInflight } from '../cache/coalesce';
import { cacheKey, lookup, store, type CacheKey, type Source, type StoredImage } from '../cache/tiers';
import { getConfig, type Config } from '../config';
import { loadFile, matchImage } from '../pages/match';
import { resolveImages } from '../pages/metadata';
import { Deadline } from '../deadline';
import { log } from '../log';
import { produce, type Produced } from '../pages/produce';
import type { Env, Params, Registry, RegistryEntry, ResolvedImage } from '../types';
import { notFound, ServiceError } from '../errors';
import { publicOrigin, readVersion } from './params';
import { cappedCacheControl, verify } from './signing';

/** How a response was served, in the `X-Cache` header. */
export type Served = Source | 'miss' | 'coalesced';

interface Serving {
  served: Served;
  /** The service's Cache-Control for a 200. */
  cacheControl: string;
  status?: number;
  /** The route's own Cache-Control, used on a non-200. */
  routeCacheControl?: string;
}

function serve(c: Context, image: StoredImage, { served, cacheControl, status = 200, routeCacheControl }: Serving) {
  for (const [name, value] of image.headers) c.header(name, value);
  c.header('Content-Type', image.contentType);
  c.header('Content-Length', String(image.bytes.byteLength));
  c.header('Cache-Control', status === 200 ? cacheControl : (routeCacheControl ?? 'no-store'));
  c.header('ETag', image.etag);
  c.header('X-Cache', served);
  c.header('X-Content-Type-Options', 'nosniff');
  // An SVG opened directly is a document: let it run nothing.
  if (image.contentType.startsWith('image/svg')) c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
  return c.body(image.bytes as Uint8Array<ArrayBuffer>, status as 200);
}

/**
 * Renders `item` and stores it in the cache tiers, once per isolate at a time:
 * a request for the same image while it renders (or is being stored) shares
 * the render (`shared`). The image handler and the prerender (prerender.ts)
 * both come through here.
 */
export function renderOnce(
  key: CacheKey,
  segment: string,
  entry: RegistryEntry,
  item: ResolvedImage,
  params: Params,
  env: Env,
  config: Config,
  waitUntil: (p: Promise<unknown>) => void,
  deadline: Deadline,
): { promise: Promise<Produced>; shared: boolean } {
  const run = coalesce(
    key.url,
    () => produce(segment, entry, item, params, env, config, deadline),
    (produced) => {
      // Only a whole, in-time 200 is stored: produce() rejects past the deadline.
      if (produced.status !== 200) return Promise.resolve();
      const written = store(key, produced.image, env, config.memoryCacheBytes);
      waitUntil(written);
      return written;
    },
    deadline,
  );
  // The leader's context must outlive a client that hangs up, since others wait on it.
  if (!run.shared) waitUntil(run.promise.catch(() => undefined));
  return run;
}

export const imageHandler = (registry: Registry) => async (c: Context<{ Bindings: Env }>) => {
  const config = getConfig(c.env);
  const origin = publicOrigin(c.req.url, config);
  // One deadline for everything this request does (src/deadline.ts).
  const deadline = new Deadline(config.requestTimeoutMs, c.req.raw.signal);
  const requested = readVersion(c);
  const query = { sig: c.req.query('sig'), exp: c.req.query('exp') };
  // Which file and params the path names: src/pages/match.ts. Signed URLs
  // are refused before anything is looked up, let alone rendered; a path
  // that names no image is refused the same way, not told apart. One that
  // expires is not cached anywhere past its expiry.
  const found = await Promise.resolve()
    .then(() => matchImage(registry, c.req.url))
    .catch(async (e) => {
      if (config.signingKeys.length && e instanceof ServiceError && e.status === 404) {
        await verify(config.signingKeys, query, { segment: new URL(c.req.url).pathname, slug: '', id: '', version: requested });
      }
      throw e;
    });
  const { file, params, id, path, signed } = found;
  const segment = file.legacy ?? file.file;
  let { immutable, unversioned } = config.cacheControl;
  if (config.signingKeys.length) {
    const exp = await verify(config.signingKeys, query, { ...signed, id, version: requested });
    if (exp !== undefined) {
      const left = Math.max(0, exp - Math.floor(Date.now() / 1000));
      [immutable, unversioned] = [cappedCacheControl(immutable, left), cappedCacheControl(unversioned, left)];
    }
  }
  const waitUntil = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  const done = (image: StoredImage, serving: Serving, timings?: Produced['timings']) => {
    log('info', {
      event: 'image',
      segment,
      id,
      cache: serving.served,
      status: serving.status ?? 200,
      bytes: image.bytes.byteLength,
      ms: config.requestTimeoutMs - deadline.remaining(),
      ...(timings && { satori: Math.round(timings.satori), raster: Math.round(timings.raster) }),
    });
    return serve(c, image, serving);
  };
  const cached = async (version: string) => {
    startTime(c, 'cache');
    const hit = await deadline.race(
      () => lookup(cacheKey(origin, path, version), c.env, config.memoryCacheBytes, waitUntil),
      'the cache lookup',
    );
    endTime(c, 'cache');
    return hit;
  };

  // A versioned URL names immutable bytes: serve them without asking the
  // route module anything (no metadata call, no database query).
  if (requested) {
    const hit = await cached(requested);
    if (hit) return done(hit.image, { served: hit.source, cacheControl: immutable });
  }

  startTime(c, 'metadata');
  const entry = await loadFile(file);
  const items = await deadline.race(
    () => resolveImages(segment, entry, params, c.env, config),
    `route "${segment}": generateImageMetadata`,
  );
  endTime(c, 'metadata');
  const item = items.find((i) => String(i.id) === id);
  if (!item) throw notFound(`no image "${id}" in ${decodeURIComponent(path.slice(0, path.lastIndexOf('/image/')))}`);

  // Only the current version's URL is immutable; an unversioned or outdated
  // one gets the current image with a short lifetime.
  const cacheControl = requested === item.version ? immutable : unversioned;
  if (requested !== item.version) {
    const hit = await cached(item.version);
    if (hit) return done(hit.image, { served: hit.source, cacheControl });
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
  const { promise, shared } = renderOnce(key, segment, entry, item, params, c.env, config, waitUntil, deadline);
  const produced = await promise;
  if (!shared) {
    setMetric(c, 'satori', produced.timings.satori);
    setMetric(c, 'raster', produced.timings.raster);
  }
  const serving = { served: shared ? 'coalesced' : 'miss', cacheControl, status: produced.status, routeCacheControl: produced.cacheControl } as const;
  return done(produced.image, serving, shared ? undefined : produced.timings);
};
