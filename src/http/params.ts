// Path parts arrive percent-encoded and untrusted. Each has a bounded length
// and charset after strict decoding; anything else is a 400 before a route
// module is called.
import type { Context } from 'hono';
import type { Config } from '../config';
import { badRequest } from '../errors';
import { hostAllowed } from '../render/images';

export const SEGMENT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Ids go into URL paths and cache keys: plain ASCII, no `.`/`..`. */
export const ID_PATTERN = /^(?!\.{1,2}$)[\w.~-]{1,64}$/;
export const VERSION_PATTERN = /^[\w-]{1,32}$/;
export const MAX_SLUG_LENGTH = 200;
// Controls, surrogates, private use, unassigned, and invisible format
// characters (bar ZWJ/ZWNJ, which emoji and Indic text need) are refused, as
// are path separators: a slug is one readable path part.
export const SLUG_FORBIDDEN = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}/\\]|(?![\u200c\u200d])\p{Cf}/u;

export interface ImagePath {
  segment: string;
  slug: string;
  id?: string;
}

export function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw badRequest(`${what} is not valid percent-encoded UTF-8`);
  }
}

/**
 * Reads segment, slug and (for images) id from the raw request URL: Hono's
 * own param decoding forgives malformed escapes, and we want them refused.
 */
export function readPath(url: string): ImagePath {
  const parts = new URL(url).pathname.split('/');
  const segment = decode(parts[1] ?? '', 'segment');
  const slug = decode(parts[2] ?? '', 'slug');
  if (!SEGMENT_PATTERN.test(segment)) throw badRequest(`segment must match ${SEGMENT_PATTERN}`);
  if ([...slug].length > MAX_SLUG_LENGTH) throw badRequest(`slug is longer than ${MAX_SLUG_LENGTH} characters`);
  if (slug === '' || slug === '.' || slug === '..' || SLUG_FORBIDDEN.test(slug)) {
    throw badRequest('slug must be one path part without control characters or slashes');
  }
  if (parts[3] !== 'image') return { segment, slug };
  const id = decode(parts[4] ?? '', 'id');
  if (!ID_PATTERN.test(id)) throw badRequest(`id must match ${ID_PATTERN}`);
  return { segment, slug, id };
}

/** The `v` query parameter, if any: the version a metadata URL carries. */
export function readVersion(c: Context): string | undefined {
  const v = c.req.query('v');
  if (v === undefined) return undefined;
  if (!VERSION_PATTERN.test(v)) throw badRequest(`v must match ${VERSION_PATTERN}`);
  return v;
}

/**
 * The origin the image URLs a request is answered with (and the cache keys
 * behind them) live under: PUBLIC_URL when set, whatever Host the request
 * names; else the request's own origin, if its host (with port) is in
 * PUBLIC_HOSTS when that is set. So a made-up Host header can neither make
 * the Worker render again under a new cache key nor put its name in the URLs
 * metadata hands out. With neither set, any Host is taken as it comes (in
 * development, and on Cloudflare where only the routes you configure reach
 * the Worker).
 */
export function publicOrigin(url: string, config: Config): string {
  if (config.publicUrl) return config.publicUrl;
  const parsed = new URL(url);
  const { origin, host } = parsed;
  if (config.publicHosts.length && !hostAllowed(parsed, config.publicHosts)) {
    throw badRequest(`host "${host}" is not one of PUBLIC_HOSTS`);
  }
  return origin;
}
