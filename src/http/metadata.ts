// GET /:segment/:slug/metadata — the images a page has, with absolute,
// versioned URLs: JSON by default, or with `?format=html` the <meta>/<link>
// tags a site puts in its <head>.
import type { Context } from 'hono';
import { cacheKey } from '../cache/tiers';
import { getConfig } from '../config';
import { headTags, kindOf, plainAlt, type TaggedImage } from '../pages/head-tags';
import { resolveImages } from '../pages/metadata';
import { IMAGE_KINDS, type Env, type ImageId, type ImageKind, type Registry, type RegistryEntry, type ResolvedImage, type Size } from '../types';
import { badRequest, notFound, routeError, ServiceError } from '../errors';
import { publicOrigin, readPath } from './params';
import { expiry, sign } from './signing';
import { prerender } from './prerender';

export interface MetadataItem {
  id: ImageId;
  alt: string;
  size: Size;
  contentType: string;
  url: string;
}

/** An item as the gallery and the tag block use it: the JSON item plus its kind (and what it was resolved from). */
export interface PageImage extends MetadataItem, TaggedImage, ResolvedImage {
  contentType: ResolvedImage['contentType'];
}

/**
 * The images of one page, with absolute versioned URLs under `origin`. The
 * one path from a route module to metadata: the JSON answer, the tag block
 * and the gallery all come from here.
 */
export async function pageImages(
  segment: string,
  entry: RegistryEntry,
  slug: string,
  env: Env,
  origin: string,
): Promise<PageImage[]> {
  const kind = entry.module.kind;
  if (kind !== undefined && !IMAGE_KINDS.includes(kind as ImageKind)) {
    throw routeError(segment, `kind ${JSON.stringify(kind)} is not one of ${IMAGE_KINDS.join(', ')}`);
  }
  const config = getConfig(env);
  const items = await resolveImages(segment, entry, { slug }, env, config);
  // With signing on, the first key signs every URL handed out, with an
  // expiry when SIGNATURE_TTL sets one.
  const [signingKey] = config.signingKeys;
  const exp = config.signatureTtl ? expiry(config.signatureTtl) : undefined;
  return Promise.all(
    items.map(async (i) => {
      const id = String(i.id);
      let url = cacheKey(origin, segment, slug, id, i.version).url;
      if (signingKey) {
        if (exp !== undefined) url += `&exp=${exp}`;
        url += `&sig=${await sign(signingKey, { segment, slug, id, version: i.version, exp })}`;
      }
      return { ...i, alt: plainAlt(i.alt), url, kind: kindOf(entry.module, i.size) };
    }),
  );
}

const digest = async (s: string) => crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));

/**
 * With METADATA_KEY set, `/metadata` (which hands out signed URLs) answers
 * only `Authorization: Bearer <key>`. Both sides are hashed first so the
 * constant-time comparison sees equal lengths.
 */
async function authorise(c: Context, key: string): Promise<void> {
  const given = /^Bearer\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
  if (given !== undefined && crypto.subtle.timingSafeEqual(await digest(given), await digest(key))) return;
  c.header('WWW-Authenticate', 'Bearer realm="og-edge metadata"');
  throw new ServiceError(401, 'unauthorized', 'metadata needs the key: send Authorization: Bearer <METADATA_KEY>');
}

export const metadataHandler = (registry: Registry) => async (c: Context<{ Bindings: Env }>) => {
  const config = getConfig(c.env);
  if (config.metadataKey) await authorise(c, config.metadataKey);
  const origin = publicOrigin(c.req.url, config);
  const { segment, slug } = readPath(c.req.url);
  const format = c.req.query('format') ?? 'json';
  if (format !== 'json' && format !== 'html') throw badRequest('format must be json or html');
  const entry = Object.hasOwn(registry, segment) ? registry[segment] : undefined;
  if (!entry) throw notFound(`unknown segment "${segment}"`);
  const items = await pageImages(segment, entry, slug, c.env, origin);
  prerender(c, segment, entry, slug, items, origin);
  // Behind a key, the answer is for its holder: no shared cache may keep it.
  const cacheControl = config.metadataKey ? config.cacheControl.metadata.replace(/\bpublic\b/, 'private') : config.cacheControl.metadata;
  const headers = { 'Cache-Control': cacheControl, 'X-Content-Type-Options': 'nosniff' };
  if (format === 'html') return c.html(headTags(items), 200, headers);
  const body: MetadataItem[] = items.map(({ id, alt, size, contentType, url }) => ({ id, alt, size, contentType, url }));
  return c.json(body, 200, headers);
};
