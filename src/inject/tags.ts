// The tags one page gets: each target segment's tag block, exactly what
// `GET /:segment/:slug/metadata?format=html` answers. Computed once and kept
// in the Cache API (under that URL with `&inject`, so it can never be taken
// for the endpoint's own answer, which METADATA_KEY may guard) for as long as
// the metadata endpoint says (CACHE_CONTROL_METADATA); concurrent requests
// share one computation. Only metadata is computed here: no image is
// rendered while a page streams.
import { coalesce } from '../cache/coalesce';
import { getConfig } from '../config';
import { Deadline } from '../deadline';
import { asServiceError, reasonOf } from '../errors';
import { log } from '../log';
import { headTags } from '../pages/head-tags';
import { matchPage } from '../pages/match';
import { pageImages } from '../pages/page';
import type { Env, Registry } from '../types';
import type { InjectTarget } from './config';

export interface PageTags {
  /** The tag block (non-ASCII as character references: safe in any page encoding). */
  html: string;
  /** Whether the block brings image (og:/twitter:) tags, and icon links. */
  images: boolean;
  icons: boolean;
  /** Why a target gave no tags (a 404 or throwing module): logged by the caller. */
  faults: TargetFault[];
}

export interface TargetFault {
  /** `segment/slug`. */
  target: string;
  status: number;
  message: string;
}

const KINDS_HEADER = 'x-og-inject-kinds';

/**
 * Pages keep whatever charset they declare, and an injected `é` would be
 * wrong bytes in a Shift_JIS or Latin-1 page: numeric character references
 * mean the same in every encoding.
 */
const asciiOnly = (html: string) => html.replace(/[^\x00-\x7f]/gu, (ch) => `&#x${ch.codePointAt(0)!.toString(16)};`);

async function targetTags(
  registry: Registry,
  segment: string,
  slug: string,
  env: Env,
  origin: string,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<{ html: string; images: boolean; icons: boolean }> {
  // The same strict checks as a request for the page's metadata URL.
  const path = `/${segment}/${encodeURIComponent(slug)}/metadata`;
  const page = matchPage(registry, origin + path);
  const key = `${origin}${path}?format=html&inject`;
  const hit = await caches.default.match(key);
  if (hit) {
    const [images, icons] = (hit.headers.get(KINDS_HEADER) ?? '0,0').split(',');
    return { html: await hit.text(), images: images === '1', icons: icons === '1' };
  }
  const { promise } = coalesce(
    key,
    async () => {
      const items = await pageImages(registry, page, env, origin);
      const social = (i: (typeof items)[number]) => i.kind === 'image' || i.kind === 'twitter-image';
      return {
        html: asciiOnly(headTags(items)),
        images: items.some(social),
        icons: items.some((i) => !social(i)),
      };
    },
    (tags) => {
      const stored = new Response(tags.html, {
        headers: {
          'Content-Type': 'text/html; charset=utf-8',
          'Cache-Control': getConfig(env).cacheControl.metadata,
          [KINDS_HEADER]: `${tags.images ? 1 : 0},${tags.icons ? 1 : 0}`,
        },
      });
      const write = caches.default
        .put(key, stored)
        .catch((e) => log('warn', { event: 'cache_error', tier: 'cache', op: 'put', url: key, message: reasonOf(e) }));
      waitUntil(write);
      return write;
    },
    new Deadline(getConfig(env).requestTimeoutMs),
  );
  return promise;
}

/**
 * The tags for a page; never rejects (a target that fails adds a fault
 * instead). `rawSlug` is the pattern's `:slug` as it appears in the path;
 * `origin` the public origin image URLs go under, or the error that refused
 * the request's host (PUBLIC_HOSTS).
 */
export async function pageTags(
  registry: Registry,
  targets: readonly InjectTarget[],
  rawSlug: string | undefined,
  env: Env,
  origin: string | Error,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<PageTags> {
  const out: PageTags = { html: '', images: false, icons: false, faults: [] };
  let slug: string | undefined;
  try {
    slug = rawSlug === undefined ? undefined : decodeURIComponent(rawSlug);
  } catch {
    slug = undefined;
  }
  const results = await Promise.allSettled(
    targets.map((t) => {
      const s = t.slug ?? slug;
      if (origin instanceof Error) return Promise.reject(origin);
      if (s === undefined) return Promise.reject(new Error(`slug ${JSON.stringify(rawSlug)} is not valid percent-encoded UTF-8`));
      return targetTags(registry, t.segment, s, env, origin, waitUntil);
    }),
  );
  results.forEach((r, i) => {
    const name = `${targets[i]!.segment}/${targets[i]!.slug ?? slug ?? rawSlug}`;
    if (r.status === 'fulfilled') {
      out.html += r.value.html;
      out.images ||= r.value.images;
      out.icons ||= r.value.icons;
    } else {
      // The log keeps the detail (a route's own message), as app.ts's onError does.
      const e = asServiceError(r.reason);
      out.faults.push({ target: name, status: e.status, message: e.message });
    }
  });
  return out;
}
