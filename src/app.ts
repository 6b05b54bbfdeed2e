// The Hono app: middleware, the two image routes, and JSON errors.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { etag, RETAINED_304_HEADERS } from 'hono/etag';
import { timing } from 'hono/timing';
import { getConfig } from './config';
import { examplesOf } from './gallery/data';
import { loadFile } from './pages/match';
import { exposeEnv } from './pages/next/process';
import { BUILD_PATH, buildHandler, galleryEnabled, galleryHandler } from './gallery/index';
import { asServiceError, errorBody, ServiceError } from './errors';
import { injectMiddleware } from './inject/index';
import { log, newReference } from './log';
import { imageHandler } from './http/image';
import { metadataHandler } from './http/metadata';
import type { Env, Registry } from './types';

// Pages and image files are matched in src/pages/match.ts: a path ending in
// /metadata names a page, one ending in /image/<id> an image.
const METADATA = '/<page path>/metadata';
const IMAGE = '/<folder path>/<file name>/image/:id';
const isImage = (path: string) => /^\/.+\/image\/[^/]*$/.test(path);
const isMetadata = (path: string) => /(^|\/)metadata$/.test(path);
const pathOf = (url: string) => new URL(url).pathname;

export function createApp(registry: Registry) {
  const app = new Hono<{ Bindings: Env }>();

  // Inject mode (INJECT set) answers every path but the API from the site's
  // origin, first: the middleware below (ETag hashing a body, CORS) must not
  // touch a site's pages.
  app.use('*', injectMiddleware(registry));
  app.use('*', timing({ crossOrigin: true }));
  // Route modules copied from Next.js read process.env.X: the Worker's vars and secrets.
  app.use('*', (c, next) => {
    exposeEnv(c.env);
    return next();
  });
  // CORS from config. Built once per config rather than with a function
  // `origin`, because Hono's cors adds `Vary: Origin` for any non-"*" option,
  // which would split downstream caches for nothing when the policy is "*".
  const corsFor = new WeakMap<object, MiddlewareHandler>();
  app.use('*', (c, next) => {
    const config = getConfig(c.env);
    let handler = corsFor.get(config);
    if (!handler) {
      const origins = config.corsOrigins;
      handler = cors({
        origin: origins.includes('*') ? '*' : origins,
        allowMethods: ['GET', 'HEAD', 'OPTIONS'],
        exposeHeaders: ['ETag', 'X-Cache', 'Server-Timing', 'Content-Length'],
        maxAge: 86400,
      });
      corsFor.set(config, handler);
    }
    return handler(c, next);
  });
  // Images carry their own strong ETag (a hash stored with the bytes); the
  // middleware answers If-None-Match from it and hashes metadata JSON.
  app.use('*', etag({ retainedHeaders: [...RETAINED_304_HEADERS, 'x-cache', 'server-timing'] }));

  // `/` is the gallery where it is on (development, or GALLERY=on), else a
  // JSON index; `/?format=json` is always the index.
  const gallery = galleryHandler(registry);
  app.get('/', async (c) => {
    if (galleryEnabled(c.env) && c.req.query('format') !== 'json') return gallery(c);
    const legacy = registry.files.filter((f) => f.legacy);
    return c.json({
      service: 'og-edge',
      segments: legacy.map((f) => f.legacy),
      // Each segment's example slugs (its `examples` export), as the gallery
      // and `npm run render` use them; a segment that fails to load has none.
      examples: Object.fromEntries(
        await Promise.all(legacy.map(async (f) => [f.legacy, examplesOf(await loadFile(f).then((e) => e.module, () => ({}))).slugs])),
      ),
      // App-directory pages, as their folders' URL patterns.
      pages: registry.pages.map((folder) => '/' + folder.filter((n) => !/^\(.*\)$/.test(n)).join('/')),
      endpoints: { metadata: METADATA, image: IMAGE },
    });
  });
  const build = buildHandler(registry);
  app.get(BUILD_PATH, (c, next) => (galleryEnabled(c.env) ? build(c) : next()));
  app.get('/robots.txt', (c) =>
    c.text('User-agent: *\nAllow: /\n', 200, { 'Cache-Control': 'public, max-age=86400' }),
  );
  const image = imageHandler(registry);
  const metadata = metadataHandler(registry);
  app.get('*', (c, next) => {
    const path = pathOf(c.req.url);
    return isImage(path) ? image(c) : isMetadata(path) ? metadata(c) : next();
  });
  app.all('*', (c, next) => {
    const path = pathOf(c.req.url);
    return isImage(path) || isMetadata(path) ? methodNotAllowed(c) : next();
  });

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404, {
      'Cache-Control': 'no-store',
    }),
  );
  // One log line per error, under the reference its body names: the detail
  // (a route's own message) stays here when production answers generically.
  app.onError((err, c) => {
    const e = asServiceError(err);
    const reference = newReference();
    const { status, body } = errorBody(e, getConfig(c.env ?? {}).dev, reference);
    log(status >= 500 ? 'error' : 'warn', {
      event: 'error',
      reference,
      status,
      code: e.code,
      path: new URL(c.req.url).pathname,
      message: e.message,
      // The declared limit a card went over, as its variable (MAX_TEXT_LENGTH…).
      ...(e.limit && { limit: e.limit }),
      // An unexpected exception's stack; a ServiceError's message says it all.
      ...(!(err instanceof ServiceError) && { stack: err instanceof Error ? err.stack : undefined }),
    });
    return c.json(body, status, { 'Cache-Control': e.cacheControl ?? 'no-store' });
  });
  return app;
}

function methodNotAllowed(c: Context): Response {
  c.header('Allow', 'GET, HEAD, OPTIONS');
  throw new ServiceError(405, 'method_not_allowed', `${c.req.method} is not allowed here: use GET or HEAD`);
}
