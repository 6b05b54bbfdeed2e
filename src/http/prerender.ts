// A crawler reads a page's metadata (or its <head>, which points here), then
// asks for the images it lists, one by one. Each image's first request would
// wait for a render. So when metadata is served, the images it lists are
// rendered in the background (waitUntil, after the response has gone), one
// after another, and stored in the cache tiers: by the time the crawler asks,
// they are cache hits.
//
// Bounded: at most PRERENDER_MAX images per metadata request, and an image is
// rendered only if no tier has it yet and no render of it is under way in
// this isolate (the same coalescing and produce → store path as a request for
// it, renderOnce in image.ts), so it is never rendered twice. Where a render
// limiter is bound, the requesting client's budget is asked first, as for an
// uncached image request. A failure here is logged and goes no further: the
// metadata response is already on its way. PRERENDER=off turns it off.
import type { Context } from 'hono';
import { cacheKey, lookup } from '../cache/tiers';
import { isInflight } from '../cache/coalesce';
import { getConfig } from '../config';
import { Deadline } from '../deadline';
import type { PageImage } from '../pages/page';
import type { Env } from '../types';
import { renderOnce } from './image';
import { log } from '../log';

/** Images rendered ahead per metadata request: a page's usual set (og, twitter, icon, apple-icon). */
export const PRERENDER_MAX = 4;

export function prerender(c: Context<{ Bindings: Env }>, items: readonly PageImage[], origin: string): void {
  const config = getConfig(c.env);
  if (!config.prerender || !items.length) return;
  const waitUntil = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  const client = c.req.header('CF-Connecting-IP') ?? 'unknown';
  const run = async () => {
    for (const { source } of items.slice(0, PRERENDER_MAX)) {
      const { name, entry, resolved, params, path } = source;
      const key = cacheKey(origin, path, resolved.version);
      try {
        if (isInflight(key.url) || (await lookup(key, c.env, config.memoryCacheBytes, waitUntil))) continue;
        if (c.env.RENDER_LIMITER && !(await c.env.RENDER_LIMITER.limit({ key: client })).success) return;
        await renderOnce(key, name, entry, resolved, params, c.env, config, waitUntil, new Deadline(config.requestTimeoutMs)).promise;
      } catch (e) {
        // The image's own request will render it again and answer with the error.
        log('warn', { event: 'prerender_error', url: key.url, message: e instanceof Error ? e.message : String(e) });
      }
    }
  };
  waitUntil(run());
}
