// GET /:segment/:slug/metadata — the images a page has, with absolute,
// versioned URLs.
import type { Context } from 'hono';
import { cacheKey } from '../cache/tiers';
import { getConfig } from '../config';
import { resolveImages } from '../metadata';
import type { Env, ImageId, Registry, Size } from '../types';
import { notFound } from './errors';
import { readPath } from './params';

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
  const body: MetadataItem[] = items.map((i) => ({
    id: i.id,
    alt: i.alt,
    size: i.size,
    contentType: i.contentType,
    url: cacheKey(origin, segment, slug, String(i.id), i.version).url,
  }));
  return c.json(body, 200, { 'Cache-Control': config.cacheControl.metadata });
};
