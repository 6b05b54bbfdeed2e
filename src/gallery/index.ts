// GET / when the gallery is on: every segment's example pages, their images
// and the tags for each page's <head>. `?segment=…&slug=…` shows one page.
// In development the page polls BUILD_PATH and reloads itself when a route
// file is saved (wrangler dev rebuilds, and the build id changes).
import type { Context } from 'hono';
import { getConfig } from '../config';
import type { Env, Registry } from '../types';
import { buildIdOf, collect } from './data';
import { renderGallery } from './page';

export { galleryEnabled } from './enabled';

export const galleryHandler = (registry: Registry) => async (c: Context<{ Bindings: Env }>) => {
  const origin = getConfig(c.env).publicUrl ?? new URL(c.req.url).origin;
  const segment = c.req.query('segment');
  const slug = c.req.query('slug');
  const only = segment && slug && registry.files.some((f) => f.legacy === segment) ? { segment, slug } : undefined;
  const [segments, build] = await Promise.all([collect(registry, c.env, origin, only), buildIdOf(registry)]);
  const live = getConfig(c.env).dev ? { path: BUILD_PATH, build } : undefined;
  // Example data changes while someone edits a card: never cache the page.
  return c.html(renderGallery(segments, only !== undefined, live), 200, {
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
};

/** Where the gallery page asks for the build id (not a segment path: `_` starts no segment). */
export const BUILD_PATH = '/_gallery/build';

export const buildHandler = (registry: Registry) => async (c: Context<{ Bindings: Env }>) =>
  c.json({ build: await buildIdOf(registry) }, 200, { 'Cache-Control': 'no-store' });
