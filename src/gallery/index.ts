// GET / when the gallery is on: every segment's example pages, their images
// and the tags for each page's <head>. `?segment=…&slug=…` shows one page.
import type { Context } from 'hono';
import { getConfig } from '../config';
import type { Env, Registry } from '../types';
import { collect } from './data';
import { renderGallery } from './page';

export { galleryEnabled } from './enabled';

export const galleryHandler = (registry: Registry) => async (c: Context<{ Bindings: Env }>) => {
  const origin = getConfig(c.env).publicUrl ?? new URL(c.req.url).origin;
  const segment = c.req.query('segment');
  const slug = c.req.query('slug');
  const only = segment && slug && registry.files.some((f) => f.legacy === segment) ? { segment, slug } : undefined;
  const segments = await collect(registry, c.env, origin, only);
  // Example data changes while someone edits a card: never cache the page.
  return c.html(renderGallery(segments, only !== undefined), 200, {
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
};
