// Path parts arrive percent-encoded and untrusted. Each has a bounded length
// and charset after strict decoding; anything else is a 400 before a route
// module is called.
import type { Context } from 'hono';
import { badRequest } from '../errors';

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
