// Calls a route's Image function for one item and turns what it returns
// (an ImageResponse, or any Response) into bytes ready to serve and store.
import { sizeFault, type Config } from '../config';
import { withDeadline } from '../deadline';
import { shortHash } from '../hash';
import { fromRouteThrow, notFound, routeError, ServiceError } from '../errors';
import { awaitable } from './metadata';
import { imageRequestOf, setDefaultAssets } from './image-response';
import { prepareElement } from '../render/images';
import { renderImage } from '../render/index';
import type { StoredImage } from '../cache/tiers';
import type { Env, Params, RegistryEntry, ResolvedImage } from '../types';

export interface Produced {
  image: StoredImage;
  status: number;
  timings: { satori: number; raster: number };
}

/** Headers the service owns; a route's ImageResponse cannot override them. */
const OWNED = new Set(['content-type', 'content-length', 'cache-control', 'etag', 'set-cookie']);

/** Strong ETag: a hash of the bytes, stored with them. */
const strongEtag = async (bytes: Uint8Array) => `"${await shortHash(bytes, 18)}"`;

function routeHeaders(init: HeadersInit | undefined): [string, string][] {
  const out: [string, string][] = [];
  new Headers(init).forEach((value, name) => {
    if (!OWNED.has(name)) out.push([name, value]);
  });
  return out;
}

/**
 * Code points no shipped font has are drawn as boxes: named in a header (kept
 * with the image in every cache tier) and, in development, on the console.
 */
function missingGlyphs(missing: string[], segment: string, id: unknown, dev: boolean): [string, string][] {
  if (!missing.length) return [];
  if (dev) console.warn(`[og-edge] route "${segment}", image "${String(id)}": no font has ${missing.join(' ')}; drawn as boxes`);
  return [['X-Missing-Glyphs', missing.length > 64 ? `${missing.slice(0, 64).join(',')},...` : missing.join(',')]];
}

export async function produce(
  segment: string,
  entry: RegistryEntry,
  item: ResolvedImage,
  params: Params,
  env: Env,
  config: Config,
): Promise<Produced> {
  setDefaultAssets(env.ASSETS);
  let res: unknown;
  try {
    res = await withDeadline(
      () => entry.module.default!({ id: item.id, params: awaitable(params), env }),
      config.routeTimeoutMs,
      `route "${segment}": Image`,
    );
  } catch (e) {
    throw fromRouteThrow(segment, 'Image', e);
  }

  const request = imageRequestOf(res);
  if (request) {
    const { options } = request;
    const width = options.width ?? item.size.width;
    const height = options.height ?? item.size.height;
    const fault = sizeFault(width, height, config);
    if (fault) throw routeError(segment, `ImageResponse for "${item.id}" asks for ${width}×${height}, which ${fault}`);
    let element: unknown;
    try {
      element = await prepareElement(request.element, { policy: config.images, assets: env.ASSETS, segment });
    } catch (e) {
      throw fromRouteThrow(segment, 'a component of Image', e);
    }
    let rendered;
    try {
      rendered = await renderImage(element, {
        width,
        height,
        format: item.contentType,
        fonts: options.fonts,
        emoji: options.emoji,
        assets: env.ASSETS,
        debug: options.debug,
        limits: config.render,
      });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new ServiceError(500, 'render_error', `route "${segment}": rendering "${item.id}" failed: ${reason}`, { cause: e });
    }
    return {
      image: {
        bytes: rendered.bytes,
        contentType: rendered.contentType,
        etag: await strongEtag(rendered.bytes),
        headers: [...routeHeaders(options.headers), ...missingGlyphs(rendered.missingGlyphs, segment, item.id, config.dev)],
      },
      status: options.status ?? 200,
      timings: rendered.timings,
    };
  }

  if (res instanceof Response) {
    if (res.status === 404) throw notFound(`route "${segment}": no image "${item.id}"`);
    if (!res.ok) throw routeError(segment, `Image returned status ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return {
      image: {
        bytes,
        contentType: res.headers.get('Content-Type') ?? item.contentType,
        etag: await strongEtag(bytes),
        headers: routeHeaders(res.headers),
      },
      status: res.status,
      timings: { satori: 0, raster: 0 },
    };
  }
  throw routeError(segment, `Image returned ${res === null ? 'null' : typeof res}, not a Response`);
}
