// Inject mode: with INJECT set, the Worker stands in front of a site. Its own
// API paths (`/:segment/:slug/metadata`, `/:segment/:slug/image/:id` of a
// known segment) stay the service's; every other request goes to the origin,
// and a configured page's HTML comes back with its tags in <head>. Anything
// else (other paths, methods, non-HTML, non-200, HEAD bodies) is the origin's
// answer untouched; a page whose route module fails is served as it is.
import type { Context, MiddlewareHandler } from 'hono';
import { getConfig } from '../config';
import { ServiceError } from '../errors';
import { publicOrigin } from '../http/params';
import { log } from '../log';
import type { Env, Registry } from '../types';
import { plainBody } from './decode';
import { fetchOrigin, isLoop } from './proxy';
import { injectedHeaders, injectTags, isInjectable } from './rewrite';
import { pageTags } from './tags';

/** Whether `path` is one of the service's own routes for a segment it has. */
export function isServicePath(path: string, registry: Registry): boolean {
  const parts = path.split('/');
  const api = (parts.length === 4 && parts[3] === 'metadata') || (parts.length === 5 && parts[3] === 'image');
  return api && registry.files.some((f) => f.legacy === parts[1]);
}

const reported = new WeakSet<object>();

export function injectMiddleware(registry: Registry): MiddlewareHandler<{ Bindings: Env }> {
  return async (c, next) => {
    const config = getConfig(c.env);
    const inject = config.inject;
    const url = new URL(c.req.url);
    if (!inject || isServicePath(url.pathname, registry)) return next();
    if ('error' in inject) throw new ServiceError(500, 'internal_error', inject.error);
    if (!reported.has(inject)) {
      reported.add(inject);
      for (const fault of inject.faults) log('error', { event: 'inject_config', message: `${fault} (left out)` });
    }
    const req = c.req.raw;
    if (isLoop(req)) {
      throw new ServiceError(508, 'loop_detected', 'INJECT has no origin and the Worker is not in front of one: it would fetch itself');
    }

    const method = req.method;
    const matched = method === 'GET' || method === 'HEAD' ? inject.match(url.pathname) : undefined;
    // Metadata starts now, beside the origin fetch, so the tags are usually
    // ready when the parser reaches </head>. HEAD has no body to put them in.
    const tags =
      matched && method === 'GET'
        ? pageTags(registry, matched.page.targets, matched.params.slug, c.env, originOr(c.req.url, config), waitUntil(c))
        : undefined;
    const res = await fetchOrigin(req, inject.origin, tags !== undefined);
    if (!matched || !isInjectable(res)) return res;
    if (!tags) return new Response(null, { status: res.status, statusText: res.statusText, headers: injectedHeaders(res.headers) });
    if (!res.body) return res;
    const plain = await plainBody(res);
    if (!plain) return res;
    const page = url.pathname;
    return injectTags(plain, tags, inject.replace, (faults) => {
      // The page goes out unchanged where a target failed: the log says why.
      for (const fault of faults) log(fault.status >= 500 ? 'error' : 'warn', { event: 'inject_fault', path: page, ...fault });
    });
  };
}

/** The public origin for image URLs, or why the request's host may not name it. */
function originOr(url: string, config: Parameters<typeof publicOrigin>[1]): string | Error {
  try {
    return publicOrigin(url, config);
  } catch (e) {
    return e as Error;
  }
}

function waitUntil(c: Context): (p: Promise<unknown>) => void {
  try {
    const ctx = c.executionCtx;
    return (p) => ctx.waitUntil(p);
  } catch {
    // app.request() in a test has no execution context: the write just runs.
    return () => undefined;
  }
}
