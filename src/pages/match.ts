// Which page or image file a request path names, and the params its folders'
// brackets give, with Next.js's precedence (a static folder before `[id]`,
// before `[...slug]`, before `[[...slug]]`).
//
//   /<page path>/metadata                   a page: its images and tags
//   /<folder path>/<file name>/image/<id>   one image of an image file
//   /<segment>/<slug>/image/<id>            one image of a one-file segment
//
// The folder path is the image file's own folder with its params filled in,
// so an icon that every page inherits from routes/(site)/icon.tsx has one URL
// (/icon/image/default), not one per page.
import { badRequest, notFound, routeError } from '../errors';
import { decode, ID_PATTERN, MAX_SLUG_LENGTH, readPath, SLUG_FORBIDDEN } from '../http/params';
import type { Params, Registry, RouteFile } from '../types';

type Part = { static: string } | { param: string; type: 'dynamic' | 'catchall' | 'optional' };

/** What a folder name adds to the URL: nothing for `(group)`. (scripts/routes.mjs has the same rule.) */
function urlPart(name: string): Part | undefined {
  if (/^\(.*\)$/.test(name)) return undefined;
  const m = /^\[(\[)?(\.\.\.)?([\w-]+)\]?\]$/.exec(name);
  if (!m) return { static: name };
  return { param: m[3]!, type: m[1] ? 'optional' : m[2] ? 'catchall' : 'dynamic' };
}
const urlParts = (folder: readonly string[]) => folder.map(urlPart).filter((p): p is Part => p !== undefined);
const rankOf = (p: Part) => ('static' in p ? 0 : p.type === 'dynamic' ? 1 : p.type === 'catchall' ? 2 : 3);

function matchParts(pattern: Part[], parts: string[]): Params | undefined {
  const [head, ...rest] = pattern;
  if (!head) return parts.length === 0 ? {} : undefined;
  if ('static' in head) return parts[0] === head.static ? matchParts(rest, parts.slice(1)) : undefined;
  if (head.type === 'dynamic') {
    if (parts.length === 0) return undefined;
    const tail = matchParts(rest, parts.slice(1));
    return tail && { [head.param]: parts[0]!, ...tail };
  }
  // A catch-all takes what the rest of the pattern leaves.
  for (let n = parts.length; n >= (head.type === 'catchall' ? 1 : 0); n--) {
    const tail = matchParts(rest, parts.slice(n));
    if (tail) return { [head.param]: parts.slice(0, n), ...tail };
  }
  return undefined;
}

/** The most specific of the patterns that match `parts`, by Next.js's precedence. */
function best<T>(candidates: [T, Part[]][], parts: string[]): { value: T; params: Params } | undefined {
  let found: { value: T; params: Params; ranks: number[] } | undefined;
  for (const [value, pattern] of candidates) {
    const params = matchParts(pattern, parts);
    if (!params) continue;
    const ranks = pattern.map(rankOf);
    if (!found || compare(ranks, found.ranks) < 0) found = { value, params, ranks };
  }
  return found && { value: found.value, params: found.params };
}
function compare(a: number[], b: number[]) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** The decoded parts of a request path, each checked like a slug. */
function pathParts(url: string): string[] {
  const raw = new URL(url).pathname.split('/').slice(1);
  if (raw.at(-1) === '') raw.pop();
  return raw.map((p) => {
    // Every part is held to the rules a slug always had.
    const part = decode(p, 'slug');
    if ([...part].length > MAX_SLUG_LENGTH) throw badRequest(`slug is longer than ${MAX_SLUG_LENGTH} characters`);
    if (part === '' || part === '.' || part === '..' || SLUG_FORBIDDEN.test(part)) {
      throw badRequest('slug must be one path part without control characters or slashes');
    }
    return part;
  });
}

/** A one-file segment's URL shape, and an image file's own. */
const imagePattern = (f: RouteFile): Part[] => (f.legacy ? urlParts(f.folder) : [...urlParts(f.folder), { static: f.name }]);

export interface PageMatch {
  /** The page's folder below routes/, groups kept (they decide what it inherits). */
  folder: string[];
  params: Params;
  /** Set for a one-file segment's page. */
  legacy?: RouteFile;
}

/** The page `/…/metadata` names, or a 404. */
export function matchPage(registry: Registry, url: string): PageMatch {
  const parts = pathParts(url);
  parts.pop(); // "metadata"
  const candidates: [PageMatch, Part[]][] = [
    ...registry.pages.map((folder): [PageMatch, Part[]] => [{ folder, params: {} }, urlParts(folder)]),
    ...registry.files.filter((f) => f.legacy).map((f): [PageMatch, Part[]] => [{ folder: f.folder, params: {}, legacy: f }, imagePattern(f)]),
  ];
  const found = best(candidates, parts);
  if (!found) throw noMatch(url, 'page');
  return { ...found.value, params: found.params };
}

export interface ImageMatch {
  file: RouteFile;
  params: Params;
  id: string;
  /** The image URL's path (encoded, no leading slash), which keys its cache entries. */
  path: string;
  /** What signs the URL: segment and slug for a one-file segment, as before; the path before /image/ and '' else. */
  signed: { segment: string; slug: string };
}

/** The image `/…/image/<id>` names, or a 404. */
export function matchImage(registry: Registry, url: string): ImageMatch {
  const parts = pathParts(url);
  const id = parts.pop()!;
  parts.pop(); // "image"
  if (!ID_PATTERN.test(id)) throw badRequest(`id must match ${ID_PATTERN}`);
  const found = best(registry.files.map((f): [RouteFile, Part[]] => [f, imagePattern(f)]), parts);
  if (!found) throw noMatch(url, 'image');
  return target(found.value, found.params, id);
}

/** Where an image of `file` with `params` lives. */
export function target(file: RouteFile, params: Params, id: string): ImageMatch {
  const enc = (v: string | string[]) => (Array.isArray(v) ? v.map(encodeURIComponent).join('/') : encodeURIComponent(v));
  const prefix = imagePattern(file)
    .map((p) => ('static' in p ? encodeURIComponent(p.static) : enc(params[p.param] ?? [])))
    .filter(Boolean)
    .join('/');
  const path = `${prefix}/image/${encodeURIComponent(id)}`;
  const signed = file.legacy ? { segment: file.legacy, slug: String(params.slug) } : { segment: prefix, slug: '' };
  return { file, params, id, path, signed };
}

/**
 * No page or image: a path in the one-file shape gets that shape's 400s as
 * before (a bad segment name, a bad slug), any other a 404.
 */
function noMatch(url: string, what: 'page' | 'image') {
  const parts = new URL(url).pathname.split('/');
  if ((what === 'page' && parts.length === 4) || (what === 'image' && parts.length === 5)) {
    const { segment } = readPath(url);
    return notFound(`unknown segment "${segment}"`);
  }
  return notFound(`no route for GET ${new URL(url).pathname}: no ${what} matches`);
}

/** The params a folder's own brackets give: an inherited image sees only its folder's. */
export function paramsFor(folder: readonly string[], params: Params): Params {
  const own: Params = {};
  for (const p of urlParts(folder)) if ('param' in p && params[p.param] !== undefined) own[p.param] = params[p.param]!;
  return own;
}

/**
 * A file's module, loaded on first use: a file that could not be bundled, or
 * that throws while loading, fails its own pages with a 500 naming it.
 */
export async function loadFile(file: RouteFile) {
  const name = file.legacy ?? file.file;
  if (file.broken) throw routeError(name, `cannot be loaded: ${file.broken}`);
  if (file.static) {
    const { bytes, contentType, size, alt } = file.static;
    return {
      module: { default: () => new Response(bytes, { headers: { 'content-type': contentType } }), size, alt, contentType },
      codeVersion: file.codeVersion,
    };
  }
  try {
    return { module: await file.load!(), codeVersion: file.codeVersion };
  } catch (e) {
    throw routeError(name, `failed to load: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}
