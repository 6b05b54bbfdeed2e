// Calls a route's Image function for one item and turns what it returns
// (an ImageResponse, or any Response) into bytes ready to serve and store.
import { sizeFault, type Config } from '../config';
import type { Deadline } from '../deadline';
import { shortHash } from '../hash';
import { log } from '../log';
import { fromRouteThrow, limitExceeded, OverLimit, privateRouteError, reasonOf, routeError, ServiceError } from '../errors';
import { allowedHeaders, readRouteImage } from './route-response';
import { awaitable, renderFormat } from './metadata';
import { imageRequestOf, setDefaultAssets } from './image-response';
import { prepareElement } from '../render/images';
import { renderImage } from '../render/index';
import { checkLimits } from '../render/limits';
import type { StoredImage } from '../cache/tiers';
import type { Env, Params, RegistryEntry, ResolvedImage } from '../types';

export interface Produced {
  image: StoredImage;
  status: number;
  /** The route's own Cache-Control: honoured on a non-200 image only (a 200 is the service's). */
  cacheControl?: string;
  timings: { satori: number; raster: number };
}

/** Strong ETag: a hash of the bytes, stored with them. */
const strongEtag = async (bytes: Uint8Array) => `"${await shortHash(bytes, 18)}"`;

/**
 * Code points no shipped font has are drawn as boxes: named in a header (kept
 * with the image in every cache tier) and, in development, on the console.
 */
function missingGlyphs(missing: string[], segment: string, id: unknown, dev: boolean): [string, string][] {
  if (!missing.length) return [];
  if (dev) log('warn', { event: 'missing_glyphs', segment, id: String(id), codePoints: missing });
  return [['X-Missing-Glyphs', missing.length > 64 ? `${missing.slice(0, 64).join(',')},...` : missing.join(',')]];
}

/**
 * Calls the route's Image for `item` and renders what it returns. Every step
 * runs under `deadline`: the call, async components, reading a returned
 * body, and a check between the layout and raster stages.
 */
export async function produce(
  segment: string,
  entry: RegistryEntry,
  item: ResolvedImage,
  params: Params,
  env: Env,
  config: Config,
  deadline: Deadline,
): Promise<Produced> {
  setDefaultAssets(env.ASSETS);
  let res: unknown;
  try {
    res = await deadline.race(
      () => entry.module.default!({ id: item.id, params: awaitable(params), env }),
      `route "${segment}": Image`,
      config.routeTimeoutMs,
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
      element = await deadline.race(
        () => prepareElement(request.element, { policy: config.images, assets: env.ASSETS, segment }),
        `route "${segment}": the components of "${item.id}"`,
      );
    } catch (e) {
      throw fromRouteThrow(segment, 'a component of Image', e);
    }
    checkLimits(element, { width, height }, config.limits, segment, item.id);
    let rendered;
    try {
      rendered = await deadline.race(
        () =>
          renderImage(element, {
            width,
            height,
            format: renderFormat(item.contentType),
            fonts: options.fonts,
            emoji: options.emoji,
            assets: env.ASSETS,
            debug: options.debug,
            limits: config.render,
            checkpoint: (stage) => deadline.check(`route "${segment}": ${stage} of "${item.id}"`),
          }),
        `route "${segment}": rendering "${item.id}"`,
      );
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      if (e instanceof OverLimit) throw limitExceeded(segment, `the card for "${item.id}": ${e.detail}`, e.variable);
      throw privateRouteError('render_error', segment, `rendering "${item.id}" failed`, reasonOf(e), e);
    }
    const headers = new Headers(options.headers);
    return {
      image: {
        bytes: rendered.bytes,
        contentType: rendered.contentType,
        etag: await strongEtag(rendered.bytes),
        headers: [...allowedHeaders(headers), ...missingGlyphs(rendered.missingGlyphs, segment, item.id, config.dev)],
      },
      status: options.status ?? 200,
      cacheControl: headers.get('Cache-Control') ?? undefined,
      timings: rendered.timings,
    };
  }

  if (res instanceof Response) {
    const cacheControl = res.headers.get('Cache-Control') ?? undefined;
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      const error =
        res.status === 404
          ? new ServiceError(404, 'not_found', `route "${segment}": no image "${item.id}"`, { cacheControl })
          : new ServiceError(500, 'route_error', `route "${segment}": Image returned status ${res.status}`, { cacheControl });
      throw error;
    }
    const { bytes, contentType } = await readRouteImage(res, deadline, config.routeResponseMaxBytes, segment);
    return {
      image: { bytes, contentType, etag: await strongEtag(bytes), headers: allowedHeaders(res.headers) },
      status: res.status,
      cacheControl,
      timings: { satori: 0, raster: 0 },
    };
  }
  throw routeError(segment, `Image returned ${res === null ? 'null' : typeof res}, not a Response`);
}
