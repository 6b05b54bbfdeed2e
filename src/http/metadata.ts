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
import { badRequest, ServiceError } from '../errors';
import { publicOrigin } from './params';
import { prerender } from './prerender';

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
  const page = matchPage(registry, c.req.url);
  const format = c.req.query('format') ?? 'json';
  if (format !== 'json' && format !== 'html') throw badRequest('format must be json or html');
  const images = await pageImages(registry, page, c.env, origin);
  prerender(c, images, origin);
  const cacheControl = config.metadataKey ? config.cacheControl.metadata.replace(/\bpublic\b/, 'private') : config.cacheControl.metadata;
  const headers = { 'Cache-Control': cacheControl, 'X-Content-Type-Options': 'nosniff' };
  if (format === 'html') return c.html(headTags(images), 200, headers);
  return c.json(images.map((i) => i.item), 200, headers);
};
