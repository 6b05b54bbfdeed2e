// One pass over a card's element tree before satori sees it:
//
// - Images. Every image a card can name reaches satori as a data: URL made
//   here: `<img src>` (a URL or the bytes themselves) and every `url(…)` in
//   any style value (background, mask, list-style-image, custom
//   properties…) or `<style>` sheet (`tw` classes make no images in satori
//   0.63; inline `<svg><image>` is refused, resvg never draws it). Remote
//   images are fetched under a policy (host and port allowlist, timeout,
//   byte cap, redirects re-checked), local ones (`/images/logo.png`,
//   `images/logo.png`) read from the static assets (public/, through the
//   ASSETS binding), and every one, data: URLs included, is checked from its
//   own bytes (image-header.ts): type by magic number, whether it is whole,
//   and the pixels it decodes to, per image and per render. satori itself is
//   patched (scripts/satori.mjs) to refuse any image that is not a data:
//   URL, so a spelling missed here fails the render instead of fetching.
// - box-sizing. satori 0.33+ lays out with CSS's default, content-box, where
//   0.32 (and so every card written for next/og until then) used border-box:
//   `width: 1200, padding: 72` would grow to 1344 px. Every element that does
//   not set `boxSizing` gets `border-box`, so those cards keep their layout.
import { Buffer } from 'node:buffer';
import type { ImagePolicy } from '../config';
import { limitExceeded, routeError, ServiceError } from '../errors';
import { dataUrlBytes, ImageFault, inspectImage, type ImageType } from './image-header';
import { readCapped } from '../body';

const ACCEPT = 'image/png, image/jpeg, image/gif, image/svg+xml';
const MAX_REDIRECTS = 3;

type Node = { type: unknown; props?: Record<string, unknown> & { style?: Record<string, unknown> }; key?: unknown };

/** An allowlist entry, parsed: `*.` prefix, host as the URL parser writes it, optional port. */
function parseRule(rule: string): { suffix?: string; host?: string; port: string } | undefined {
  const m = /^(\*\.)?(\[[0-9a-f:.]+\]|[^:/[\]]+)(?::(\d{1,5}))?$/i.exec(rule.trim());
  if (!m) return undefined;
  let host: string;
  try {
    host = new URL(`http://${m[2]}`).hostname;
  } catch {
    return undefined;
  }
  return m[1] ? { suffix: `.${host}`, port: m[3] ?? '' } : { host, port: m[3] ?? '' };
}

/** Whether `url`'s host and port are on the list. A rule without a port allows only the scheme's default one. */
export function hostAllowed(url: URL, hosts: string[]): boolean {
  return hosts.some((text) => {
    const rule = parseRule(text);
    if (!rule) return false;
    // The URL parser writes a scheme's default port as '' (https://h:443 → https://h).
    const defaultPort = url.protocol === 'https:' ? '443' : '80';
    if (url.port !== rule.port && !(url.port === '' && rule.port === defaultPort)) return false;
    return rule.suffix ? url.hostname.endsWith(rule.suffix) : url.hostname === rule.host;
  });
}

/** Why a body is refused for its size, as the messages before the shared reader said it. */
const overCap = (maxBytes: number, declared?: number) =>
  `${declared !== undefined ? `${declared} bytes, ` : ''}over the ${maxBytes}-byte cap (IMAGE_MAX_BYTES)`;

const failed = (url: string, why: string) =>
  new ServiceError(502, 'image_fetch_failed', `image ${url} could not be loaded: ${why}`);

/** Rejects with `signal`'s reason when it aborts first: a mocked or stalled body ignores the signal. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * A data: URL of `bytes`. Base64 by node:buffer (nodejs_compat), native:
 * Hono's encodeBase64 builds a string a character at a time, ~700 ms for
 * the 3 MB of a canvas-sized raw PNG, 9 ms this way.
 */
export const toDataUrl = (type: string, bytes: Uint8Array) =>
  `data:${type};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;

/** Bytes as loaded, and the content type they were served with (for messages: the bytes decide). */
export interface Fetched {
  bytes: Uint8Array;
  /** The URL (remote) or path (local) they came from. */
  name: string;
  served: string;
  remote: boolean;
}

/** Fetches an allowed remote image's bytes. */
export async function fetchImage(start: URL, policy: ImagePolicy, segment: string): Promise<Fetched> {
  let url = start;
  const signal = AbortSignal.timeout(policy.timeoutMs);
  const late = () => failed(url.href, `no answer within ${policy.timeoutMs} ms (IMAGE_TIMEOUT_MS)`);
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw routeError(segment, `image ${url} is not http(s)`);
    if (!hostAllowed(url, policy.hosts)) {
      throw routeError(segment, `image host "${url.host}" is not allowed (add it to IMAGE_HOSTS)`);
    }
    let res: Response;
    try {
      res = await abortable(fetch(url, { redirect: 'manual', signal, headers: { Accept: ACCEPT } }), signal);
    } catch (e) {
      throw signal.aborted ? late() : failed(url.href, String(e));
    }
    const location = res.headers.get('Location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw failed(start.href, `more than ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url); // checked again at the top of the loop
      continue;
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw failed(url.href, `status ${res.status}`);
    }
    try {
      const served = res.headers.get('Content-Type') ?? '';
      const tooBig = (declared?: number) => failed(url.href, overCap(policy.maxBytes, declared));
      return { bytes: await readCapped(res, policy.maxBytes, tooBig, (read) => abortable(read(), signal)), name: url.href, served, remote: true };
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      throw signal.aborted ? late() : failed(url.href, String(e));
    }
  }
}

const LOCAL_ORIGIN = 'https://assets.invalid';

/** Reads a local image from the static assets (public/ in the repository). */
export async function loadLocalImage(path: string, assets: Fetcher | undefined, policy: ImagePolicy, segment: string): Promise<Fetched> {
  if (!assets) throw routeError(segment, `local image ${path} needs the ASSETS binding (wrangler.toml [assets])`);
  const res = await assets.fetch(LOCAL_ORIGIN + path);
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw routeError(segment, `local image ${path} is not in the static assets (status ${res.status}; put it under public/)`);
  }
  const bytes = await readCapped(res, policy.maxBytes, (declared) => routeError(segment, `local image ${path} is ${overCap(policy.maxBytes, declared)}`));
  return { bytes, name: path, served: res.headers.get('Content-Type') ?? '', remote: false };
}

/** Where an image source points, as the WHATWG URL parser (fetch's) reads it. */
type Source = { data: string } | { remote: URL } | { local: string };

function classify(src: string, segment: string): Source {
  const text = src.trim();
  if (/^data:/i.test(text)) return { data: text };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Relative. Resolved against the root, so `../` cannot climb out and
    // `?query` is dropped; `//host/x` (and `\\host\x`) name another host.
    url = new URL(text, `${LOCAL_ORIGIN}/`);
    if (url.origin === LOCAL_ORIGIN) return { local: url.pathname };
    return { remote: url };
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return { remote: url };
  throw routeError(segment, `image ${JSON.stringify(src.slice(0, 100))} is not http(s), a data: URL or a path in public/`);
}

/** A `url(…)` token: quoted (with escapes) or bare, as CSS reads it. */
const URL_TOKEN = /url\(\s*(?:"((?:[^"\\\n]|\\[^])*)"|'((?:[^'\\\n]|\\[^])*)'|((?:[^\s"'()\\]|\\[0-9a-f]{1,6}\s?|\\[^])*))\s*\)/iy;
/** Stretches of a style sheet whose url()s are not images satori reads (it reads no fonts or imports). */
const NOT_IMAGES = /\/\*[^]*?\*\/|@import[^;]*;?|@font-face\s*\{[^}]*\}?/gi;

const unescapeCss = (s: string) =>
  s.replace(/\\(?:([0-9a-f]{1,6})\s?|(\n)|([^]))/gi, (_, hex: string | undefined, nl: string | undefined, ch: string | undefined) => {
    if (nl) return '';
    if (!hex) return ch!;
    const cp = parseInt(hex, 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
  });

export interface PrepareOptions {
  policy: ImagePolicy;
  /** The ASSETS binding, for local images. */
  assets?: Fetcher;
  segment: string;
}

/**
 * Returns the element ready for satori: images inlined, `boxSizing` set.
 * Function components are expanded here (satori would call them anyway) so
 * their images are seen.
 */
export async function prepareElement(element: unknown, { policy, assets, segment }: PrepareOptions): Promise<unknown> {
  const loaded = new Map<unknown, Promise<string>>();
  let pixels = 0;
  // Declared limits on the work a card asks for, as src/render/limits.ts has them.
  const overLimit = (message: string, variable: string) => limitExceeded(segment, message, variable);

  /** Checks the bytes and returns them as a data: URL labelled with their real type. */
  function inline(bytes: Uint8Array, name: string, from?: Fetched): string {
    // A remote host served something unusable: 502. The card's own bytes
    // (public/, data: URLs, bytes as src) are the route's fault: 500.
    const refuse = (why: string) =>
      from?.remote ? failed(name, why) : routeError(segment, `${from ? 'local ' : ''}image ${name}: ${why}`);
    if (bytes.byteLength > policy.maxBytes) throw refuse(`over the ${policy.maxBytes}-byte cap (IMAGE_MAX_BYTES)`);
    let type: ImageType;
    try {
      const info = inspectImage(bytes);
      type = info.type;
      if (info.pixels > policy.maxPixels) {
        throw overLimit(`image ${name} decodes to ${info.pixels} pixels, over the ${policy.maxPixels}-pixel limit per image`, 'IMAGE_MAX_PIXELS');
      }
      pixels += info.pixels;
    } catch (e) {
      if (!(e instanceof ImageFault)) throw e;
      throw refuse(from?.served ? `${e.message} (served as content type "${from.served}")` : e.message);
    }
    if (pixels > policy.renderMaxPixels) {
      throw overLimit(`the card's images decode to over ${policy.renderMaxPixels} pixels together`, 'RENDER_MAX_IMAGE_PIXELS');
    }
    return toDataUrl(type, bytes);
  }

  async function loadSource(src: unknown): Promise<string> {
    if (src instanceof ArrayBuffer || ArrayBuffer.isView(src)) {
      const view = src instanceof ArrayBuffer ? new Uint8Array(src) : new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
      return inline(view, '(bytes given as src)');
    }
    if (src instanceof URL) src = src.href;
    if (typeof src !== 'string' || src.trim() === '') throw routeError(segment, `an image has no source (${src === '' ? 'empty' : typeof src} src)`);
    const where = classify(src, segment);
    if ('data' in where) {
      const bytes = dataUrlBytes(where.data);
      if (!bytes) throw routeError(segment, `image data: URL ${JSON.stringify(where.data.slice(0, 40))}… cannot be read`);
      return inline(bytes, `${where.data.slice(0, 30)}…`);
    }
    const from = 'remote' in where ? await fetchImage(where.remote, policy, segment) : await loadLocalImage(where.local, assets, policy, segment);
    return inline(from.bytes, from.name, from);
  }

  const load = (src: unknown) => {
    let p = loaded.get(src);
    if (!p) loaded.set(src, (p = loadSource(src)));
    return p;
  };

  /** Every `url(…)` in a CSS value or sheet, images inlined; `url(#id)` (a reference into the document) kept. */
  async function rewriteCss(css: string, where: string, sheet = false): Promise<string> {
    if (!/url\(/i.test(css)) return css;
    const skipped: [number, number][] = sheet ? [...css.matchAll(NOT_IMAGES)].map((m) => [m.index, m.index + m[0].length]) : [];
    const parts: (string | Promise<string>)[] = [];
    let last = 0;
    for (const found of css.matchAll(/url\(/gi)) {
      if (found.index < last || skipped.some(([a, b]) => found.index >= a && found.index < b)) continue;
      URL_TOKEN.lastIndex = found.index;
      const token = URL_TOKEN.exec(css);
      if (!token) throw routeError(segment, `${where}: cannot read the url() in ${JSON.stringify(css.slice(found.index, found.index + 80))}`);
      const url = unescapeCss(token[1] ?? token[2] ?? token[3] ?? '');
      if (url.trim().startsWith('#')) continue;
      parts.push(css.slice(last, found.index), load(url).then((data) => `url(${data})`));
      last = URL_TOKEN.lastIndex;
    }
    parts.push(css.slice(last));
    return (await Promise.all(parts)).join('');
  }

  async function rewriteStyle(style: Record<string, unknown>): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = { ...style };
    await Promise.all(
      Object.entries(style).map(async ([k, v]) => {
        if (typeof v === 'string') out[k] = await rewriteCss(v, `style ${k}`);
      }),
    );
    return out;
  }

  // Inside an <svg>, children are SVG markup, not boxes: no box-sizing.
  async function walk(node: unknown, inSvg = false): Promise<unknown> {
    if (Array.isArray(node)) return Promise.all(node.map((n) => walk(n, inSvg)));
    if (node === null || typeof node !== 'object' || !('type' in node)) return node;
    const { type, props } = node as Node;
    if (typeof type === 'function') return walk(await (type as (p: unknown) => unknown)(props ?? {}), inSvg);
    // React.forwardRef: satori calls its render function too.
    const render = (type as { $$typeof?: unknown; render?: unknown } | null)?.render;
    if ((type as { $$typeof?: unknown } | null)?.$$typeof === Symbol.for('react.forward_ref') && typeof render === 'function') {
      return walk(await render(props ?? {}), inSvg);
    }
    const next: Record<string, unknown> = { ...props };
    const style = props?.style;
    if (style && typeof style === 'object') next.style = await rewriteStyle(style);
    if (typeof type === 'string' && !inSvg && (!style || style.boxSizing === undefined)) next.style = { ...(next.style as object), boxSizing: 'border-box' };
    if (type === 'img' && props && 'src' in props) next.src = await load(props.src);
    // satori hands an inline <svg> to resvg as an SVG image, inside which
    // resvg draws no images: refused rather than left as a hole (and never
    // loaded: satori would fetch its href).
    if ((type === 'image' || type === 'feImage') && inSvg) {
      throw routeError(segment, `an <${type}> inside an <svg> is not drawn (the renderer draws no images inside SVG); use <img> or a background image`);
    }
    if (type === 'style') {
      const html = (props?.dangerouslySetInnerHTML as { __html?: unknown } | undefined)?.__html;
      if (html != null) next.dangerouslySetInnerHTML = { __html: await rewriteCss(String(html), '<style>', true) };
      const text = [props?.children].flat(Infinity);
      if (text.some((t) => typeof t === 'string' && /url\(/i.test(t))) {
        next.children = await rewriteCss(text.filter((t) => typeof t === 'string' || typeof t === 'number').join(''), '<style>', true);
        return { ...(node as Node), props: next };
      }
    }
    if (props && 'children' in props) next.children = await walk(props.children, inSvg || type === 'svg');
    return { ...(node as Node), props: next };
  }
  return walk(element);
}
