// The tiers for rendered images, all keyed by the canonical versioned image
// URL (segment, slug, id, version): this isolate's memory (memory.ts), then
// Cloudflare's Cache API in this location, then, where an R2 bucket is bound,
// a persistent tier every location shares.
// Only successful renders are stored; an entry is immutable because its key
// carries the version.
// Every tier is optional at run time: a read or write that throws or rejects
// is logged and skipped, so a failing tier costs a render, never a request.
import { reasonOf } from '../errors';
import { log } from '../log';
import type { Env } from '../types';
import { memoryGet, memorySet } from './memory';

export interface StoredImage {
  bytes: Uint8Array;
  contentType: string;
  /** Strong ETag, quoted: a hash of the bytes. */
  etag: string;
  /** Extra headers a route set on its ImageResponse; kept so hits match misses. */
  headers: [string, string][];
}

/** Where a cached image came from: isolate memory, the Cache API, or R2. */
export type Source = 'memory' | 'hit' | 'r2';
type Tier = 'memory' | 'cache' | 'r2';

/** `op()`, or undefined (logged) when it throws or rejects. */
async function attempt<T>(tier: Tier, op: 'read' | 'write', key: CacheKey, run: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (e) {
    log('warn', { event: 'cache_error', tier, op, key: key.url, error: reasonOf(e) });
    return undefined;
  }
}

export interface CacheKey {
  /** The canonical image URL with its version: the Cache API key. */
  url: string;
  /** The same, as an R2 object key. */
  r2: string;
}

/** `path` is the image URL's, encoded, without its leading slash (src/pages/match.ts). */
export function cacheKey(origin: string, path: string, version: string): CacheKey {
  return { url: `${origin}/${path}?v=${version}`, r2: `images/${path}/${version}` };
}

const STORED = 'public, max-age=31536000, immutable';
const HEADERS_META = 'headers';
/**
 * The route's own headers travel in one private header: the Cache API adds
 * its own (Age, CF-Cache-Status…) to what it returns, and those must not
 * reach the client as if the route had set them.
 */
const ROUTE_HEADERS = 'x-og-route-headers';

function toResponse(image: StoredImage): Response {
  const headers = new Headers({ [ROUTE_HEADERS]: JSON.stringify(image.headers) });
  headers.set('Content-Type', image.contentType);
  headers.set('ETag', image.etag);
  headers.set('Cache-Control', STORED);
  return new Response(image.bytes, { headers });
}

async function fromResponse(res: Response): Promise<StoredImage> {
  return {
    bytes: new Uint8Array(await res.arrayBuffer()),
    contentType: res.headers.get('Content-Type') ?? 'application/octet-stream',
    etag: res.headers.get('ETag') ?? '',
    headers: JSON.parse(res.headers.get(ROUTE_HEADERS) ?? '[]'),
  };
}

export async function lookup(
  key: CacheKey,
  env: Env,
  memoryBudget: number,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<{ image: StoredImage; source: Source } | undefined> {
  const inMemory = await attempt('memory', 'read', key, () => memoryGet(key.url));
  if (inMemory) return { image: inMemory, source: 'memory' };
  const edge = await attempt('cache', 'read', key, async () => {
    const res = await caches.default.match(key.url);
    return res && fromResponse(res);
  });
  if (edge) {
    await attempt('memory', 'write', key, () => memorySet(key.url, edge, memoryBudget));
    return { image: edge, source: 'hit' };
  }
  const bucket = env.IMAGES;
  if (!bucket) return undefined;
  const image = await attempt('r2', 'read', key, async (): Promise<StoredImage | undefined> => {
    const object = await bucket.get(key.r2);
    if (!object) return undefined;
    return {
      bytes: new Uint8Array(await object.arrayBuffer()),
      contentType: object.httpMetadata?.contentType ?? 'application/octet-stream',
      etag: object.customMetadata?.etag ?? '',
      headers: JSON.parse(object.customMetadata?.[HEADERS_META] ?? '[]'),
    };
  });
  if (!image) return undefined;
  // Warm this isolate and location so the next request stays off R2.
  await attempt('memory', 'write', key, () => memorySet(key.url, image, memoryBudget));
  waitUntil(attempt('cache', 'write', key, () => caches.default.put(key.url, toResponse(image))));
  return { image, source: 'r2' };
}

/** Writes every tier; resolves when all have settled, never rejects. */
export async function store(key: CacheKey, image: StoredImage, env: Env, memoryBudget: number): Promise<void> {
  const bucket = env.IMAGES;
  await Promise.all([
    attempt('memory', 'write', key, () => memorySet(key.url, image, memoryBudget)),
    attempt('cache', 'write', key, () => caches.default.put(key.url, toResponse(image))),
    bucket &&
      attempt('r2', 'write', key, () =>
        bucket.put(key.r2, image.bytes, {
          httpMetadata: { contentType: image.contentType },
          customMetadata: { etag: image.etag, [HEADERS_META]: JSON.stringify(image.headers) },
        }),
      ),
  ]);
}
