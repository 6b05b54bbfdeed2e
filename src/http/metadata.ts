// GET /:segment/:slug/metadata — the images a page has, with absolute,
// versioned URLs.
import type { Context } from 'hono';
import { cacheKey } from '../cache/tiers';
import { getConfig } from '../config';
import { resolveImages } from '../metadata';
import type { Env, ImageId, Registry, Size } from '../types';
import { notFound } from './errors';
import { readPath } from './params';
import { sign } from './signing';

export interface MetadataItem {
  id: ImageId;
  alt: string;
  size: Size;
  contentType: string;
  url: string;
}

export const metadataHandler = (registry: Registry) => async (c: Context<{ Bindings: Env }>) => {
  const config = getConfig(c.env);
  const { segment, slug } = readPath(c);
  const entry = Object.hasOwn(registry, segment) ? registry[segment] : undefined;
  if (!entry) throw notFound(`unknown segment "${segment}"`);
  const origin = config.publicUrl ?? new URL(c.req.url).origin;
  const items = await resolveImages(segment, entry, { slug }, c.env, config);
  const [signingKey] = config.signingKeys;
  const body: MetadataItem[] = await Promise.all(
    items.map(async (i) => {
      let url = cacheKey(origin, segment, slug, String(i.id), i.version).url;
      if (signingKey) url += `&sig=${await sign(signingKey, segment, slug, String(i.id), i.version)}`;
      return { id: i.id, alt: i.alt, size: i.size, contentType: i.contentType, url };
    }),
  );
  return c.json(body, 200, { 'Cache-Control': config.cacheControl.metadata });
};
