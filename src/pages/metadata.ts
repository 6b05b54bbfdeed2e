// Runs a route's generateImageMetadata and turns its answer into validated
// items with sizes, content types and URL versions. A module's faults are
// 500s that name the segment; a slug it does not know is a 404.
import { NOT_WHOLE_PIXELS, sizeFault, type Config } from '../config';
import { withDeadline } from '../deadline';
import { shortHash } from '../hash';
import { fromRouteThrow, notFound, routeError } from '../errors';
import { DEFAULT_SIZE } from './image-response';
import { ID_PATTERN } from '../http/params';
import {
  CONTENT_TYPES,
  type ContentType,
  type Env,
  type Params,
  type RegistryEntry,
  type ResolvedImage,
  type Size,
} from '../types';

/** The id of the one image a module without generateImageMetadata describes. */
export const SINGLE_IMAGE_ID = 'default';

/**
 * `params` as both a plain object (Next.js 14/15) and a thenable (Next.js 16
 * awaits it). The resolved value is a plain copy, so awaiting terminates.
 */
export function awaitable<T extends object>(value: T): T & PromiseLike<T> {
  const plain = { ...value };
  return Object.defineProperty({ ...value }, 'then', {
    enumerable: false,
    value: (resolve?: (v: T) => unknown, reject?: (e: unknown) => unknown) => Promise.resolve(plain).then(resolve, reject),
  }) as T & PromiseLike<T>;
}

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

function checkSize(segment: string, id: string, size: unknown, config: Config): Size {
  if (size === undefined) return { ...DEFAULT_SIZE };
  const { width, height } = (size ?? {}) as Partial<Size>;
  const fault = sizeFault(width, height, config);
  if (fault === NOT_WHOLE_PIXELS) {
    throw routeError(segment, `item "${id}": size must be { width, height } in whole pixels, got ${JSON.stringify(size)}`);
  }
  if (fault) throw routeError(segment, `item "${id}": size ${width}×${height} ${fault}`);
  return { width: width!, height: height! };
}


/**
 * What the renderer draws for a contentType: SVG and WebP when asked for by
 * their exact type, PNG for anything else (next/og always draws PNG).
 */
export const renderFormat = (contentType: string): ContentType =>
  (CONTENT_TYPES as readonly string[]).includes(contentType) ? (contentType as ContentType) : 'image/png';

export async function resolveImages(
  segment: string,
  entry: RegistryEntry,
  params: Params,
  env: Env,
  config: Config,
): Promise<ResolvedImage[]> {
  const mod = entry.module;
  if (typeof mod.default !== 'function') throw routeError(segment, 'has no default export (the Image function)');

  let raw: unknown;
  if (typeof mod.generateImageMetadata === 'function') {
    try {
      raw = await withDeadline(
        () => mod.generateImageMetadata!({ params: awaitable(params), env }),
        config.routeTimeoutMs,
        `route "${segment}": generateImageMetadata`,
      );
    } catch (e) {
      throw fromRouteThrow(segment, 'generateImageMetadata', e);
    }
    if (!Array.isArray(raw)) {
      throw routeError(segment, `generateImageMetadata returned ${describe(raw)}, not an array`);
    }
    if (raw.length === 0) throw notFound(`route "${segment}": no images for ${JSON.stringify(params)}`);
  } else {
    raw = [{ id: SINGLE_IMAGE_ID, alt: mod.alt, size: mod.size, contentType: mod.contentType }];
  }

  const seen = new Set<string>();
  return Promise.all(
    (raw as unknown[]).map(async (item, index) => {
      if (typeof item !== 'object' || item === null) throw routeError(segment, `item ${index} is ${describe(item)}, not an object`);
      const { id, alt, size, contentType, version } = item as Record<string, unknown>;
      if (id === undefined || id === null || id === '') throw routeError(segment, `item ${index} has no id`);
      if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
        throw routeError(segment, `item ${index}: id must be a string or a number, got ${describe(id)}`);
      }
      const key = String(id);
      if (!ID_PATTERN.test(key)) throw routeError(segment, `item ${index}: id "${key}" must match ${ID_PATTERN}`);
      if (seen.has(key)) throw routeError(segment, `duplicate id "${key}"`);
      seen.add(key);
      if (alt !== undefined && typeof alt !== 'string') throw routeError(segment, `item "${key}": alt must be a string`);
      // Any string, as Next.js takes it (`image/svg`, `image/icon`…): it goes
      // into the tags as written; renderFormat picks what is drawn.
      const type = contentType || 'image/png';
      if (typeof type !== 'string') throw routeError(segment, `item "${key}": contentType must be a string, got ${describe(type)}`);
      const checked = checkSize(segment, key, size, config);
      return {
        id,
        alt,
        size: checked,
        sized: size !== undefined,
        contentType: type,
        version: await shortHash(JSON.stringify([config.buildId, entry.codeVersion, key, checked, type, alt ?? '', version ?? null]), 9),
      } satisfies ResolvedImage;
    }),
  );
}
