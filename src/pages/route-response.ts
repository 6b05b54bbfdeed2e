// What the service takes from a plain `Response` a route's Image returns:
// only image bytes (a declared image type that the bytes themselves confirm,
// under a size cap, read within the request's deadline) and only the headers
// on an allowlist. Anything else would be served, and cached for a year on a
// versioned URL, from the service's own origin: an HTML page, a redirect, a
// `Vary: *` that splits every cache, a `Content-Encoding` that garbles it.
import type { Deadline } from '../deadline';
import { readCapped } from '../body';
import { routeError } from '../errors';

/** Media types a route's Response may carry, each with its file signature. */
const SIGNATURES: Record<string, (b: Uint8Array) => boolean> = {
  'image/png': (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (b) => starts(b, [0xff, 0xd8, 0xff]),
  'image/gif': (b) => ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a',
  'image/webp': (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP',
  'image/avif': (b) => ascii(b, 4, 4) === 'ftyp' && /^avi[fs]$/.test(ascii(b, 8, 4)),
  'image/x-icon': (b) => starts(b, [0, 0, 1, 0]),
  'image/svg+xml': isSvg,
};
/** Other names browsers and servers use for the same types. */
const ALIASES: Record<string, string> = { 'image/vnd.microsoft.icon': 'image/x-icon', 'image/jpg': 'image/jpeg' };

const starts = (b: Uint8Array, sig: number[]) => sig.every((v, i) => b[i] === v);
const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** An SVG document: after an optional BOM, XML declaration, comments and doctype, an <svg> root. */
function isSvg(b: Uint8Array): boolean {
  const head = new TextDecoder().decode(b.subarray(0, 4096)).replace(/^\uFEFF/, '');
  const prolog = /^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*/i.exec(head)![0];
  return /^<svg[\s>]/i.test(head.slice(prolog.length));
}

/**
 * Headers a route may set on an image (its ImageResponse or Response), each
 * harmless to serve and to cache with the bytes: what the image is in
 * (`content-language`), whether crawlers may index it (`x-robots-tag`), and
 * Cloudflare's purge tags (`cache-tag`). Every other header is dropped: the
 * service owns the type, length, validators, caching and security headers,
 * and headers like `location`, `set-cookie`, `content-encoding`, `vary`,
 * `content-disposition` or `x-accel-redirect` would change what a client or
 * a proxy in front does with a response that is cached for everyone.
 */
const ROUTE_HEADERS = new Set(['content-language', 'x-robots-tag', 'cache-tag']);

export function allowedHeaders(init: HeadersInit | undefined): [string, string][] {
  const out: [string, string][] = [];
  new Headers(init).forEach((value, name) => {
    if (ROUTE_HEADERS.has(name)) out.push([name, value]);
  });
  return out;
}

/** The media type of a header value, lowercased, without parameters, aliases resolved. */
export function mediaTypeOf(value: string | null): string {
  const type = (value ?? '').split(';')[0]!.trim().toLowerCase();
  return ALIASES[type] ?? type;
}

/** The image in a route's own Response, checked, with its media type. */
export async function readRouteImage(
  res: Response,
  deadline: Deadline,
  maxBytes: number,
  segment: string,
): Promise<{ bytes: Uint8Array; contentType: string }> {
  const contentType = mediaTypeOf(res.headers.get('Content-Type'));
  const sniff = SIGNATURES[contentType];
  if (!sniff) {
    await res.body?.cancel().catch(() => undefined);
    const types = Object.keys(SIGNATURES).join(', ');
    throw routeError(segment, `Image returned a Response of type "${contentType || '(none)'}", not one of ${types}`);
  }
  // Within the deadline (a stalled or endless body is a 504) and under the cap.
  const bytes = await readCapped(
    res,
    maxBytes,
    () => routeError(segment, `Image returned a body over the ${maxBytes}-byte cap (ROUTE_RESPONSE_MAX_BYTES)`),
    (read) => deadline.race(read, `route "${segment}": reading the Response Image returned`),
  );
  if (bytes.byteLength === 0) throw routeError(segment, 'Image returned an empty Response');
  if (!sniff(bytes)) throw routeError(segment, `Image returned a Response labelled "${contentType}" whose bytes are not ${contentType}`);
  return { bytes, contentType };
}
