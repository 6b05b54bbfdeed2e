// GET /<page path>/metadata — the images a page has, with absolute,
// versioned URLs: JSON by default, or with `?format=html` the <meta>/<link>
// tags a site puts in its <head>. Which page the path names, and which
// images it has, is src/pages/'s business.
import type { Context } from 'hono';
import { getConfig } from '../config';
import { headTags } from '../pages/head-tags';
import { matchPage } from '../pages/match';
import { pageImages } from '../pages/page';
import type { Env, Registry } from '../types';
import { badRequest } from '../errors';

export const metadataHandler = (registry: Registry) => async (c: Context<{ Bindings: Env }>) => {
  const config = getConfig(c.env);
  const page = matchPage(registry, c.req.url);
  const format = c.req.query('format') ?? 'json';
  if (format !== 'json' && format !== 'html') throw badRequest('format must be json or html');
  const origin = config.publicUrl ?? new URL(c.req.url).origin;
  const images = await pageImages(registry, page, c.env, origin);
  const headers = { 'Cache-Control': config.cacheControl.metadata, 'X-Content-Type-Options': 'nosniff' };
  if (format === 'html') return c.html(headTags(images), 200, headers);
  return c.json(images.map((i) => i.item), 200, headers);
};
