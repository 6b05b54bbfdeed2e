// GET /:segment/:slug/metadata — the images a page has, with absolute,
// versioned URLs: JSON by default, or with `?format=html` the <meta>/<link>
// tags a site puts in its <head>.
import type { Context } from 'hono';
import { cacheKey } from '../cache/tiers';
import { getConfig } from '../config';
import { headTags, kindOf, type TaggedImage } from '../pages/head-tags';
import { resolveImages } from '../pages/metadata';
import { IMAGE_KINDS, type Env, type ImageId, type ImageKind, type Registry, type RegistryEntry, type ResolvedImage, type Size } from '../types';
import { badRequest, notFound, routeError } from '../errors';
import { readPath } from './params';
import { prerender } from './prerender';
import { sign } from './signing';

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
  // With signing on, the first key signs every URL handed out.
  const [signingKey] = config.signingKeys;
  return Promise.all(
    items.map(async (i) => {
      let url = cacheKey(origin, segment, slug, String(i.id), i.version).url;
      if (signingKey) url += `&sig=${await sign(signingKey, segment, slug, String(i.id), i.version)}`;
      return { ...i, url, kind: kindOf(entry.module, i.size) };
    }),
  );
}

export const metadataHandler = (registry: Registry) => async (c: Context<{ Bindings: Env }>) => {
  const config = getConfig(c.env);
  const { segment, slug } = readPath(c.req.url);
  const format = c.req.query('format') ?? 'json';
  if (format !== 'json' && format !== 'html') throw badRequest('format must be json or html');
  const entry = Object.hasOwn(registry, segment) ? registry[segment] : undefined;
  if (!entry) throw notFound(`unknown segment "${segment}"`);
  const origin = config.publicUrl ?? new URL(c.req.url).origin;
  const items = await pageImages(segment, entry, slug, c.env, origin);
  prerender(c, segment, entry, slug, items, origin);
  const headers = { 'Cache-Control': config.cacheControl.metadata, 'X-Content-Type-Options': 'nosniff' };
  if (format === 'html') return c.html(headTags(items), 200, headers);
  const body: MetadataItem[] = items.map(({ id, alt, size, contentType, url }) => ({ id, alt, size, contentType, url }));
  return c.json(body, 200, headers);
};
