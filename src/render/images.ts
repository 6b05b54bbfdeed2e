// One pass over a card's element tree before satori sees it:
//
// - Images. satori would fetch an <img src="https://…"> itself, from any
//   host, with no time or size bound. Instead every http(s) image is fetched
//   here under a policy (host allowlist, timeout, byte cap, content type,
//   redirects re-checked), and every local one (`/images/logo.png`, or
//   `images/logo.png`) is read from the static assets (public/, through the
//   ASSETS binding), and each is inlined as a data: URL, so satori never
//   touches the network.
// - box-sizing. satori 0.33+ lays out with CSS's default, content-box, where
//   0.32 (and so every card written for next/og until then) used border-box:
//   `width: 1200, padding: 72` would grow to 1344 px. Every element that does
//   not set `boxSizing` gets `border-box`, so those cards keep their layout.
import { encodeBase64 } from 'hono/utils/encode';
import { routeError, ServiceError } from '../errors';

export interface ImagePolicy {
  /** Allowed hosts; `*.example.com` allows subdomains. Empty: no remote images. */
  hosts: string[];
  timeoutMs: number;
  maxBytes: number;
}

/** What satori and resvg 2.6 can decode. */
const TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/svg+xml']);
const MAX_REDIRECTS = 3;
/** `url(…)` in a CSS value: remote, local or data. */
const URL_IN_CSS = /url\(\s*(['"]?)([^'")\s]+)\1\s*\)/g;

type Node = { type: unknown; props?: Record<string, unknown> & { style?: Record<string, unknown> }; key?: unknown };

export function hostAllowed(host: string, hosts: string[]): boolean {
  const h = host.toLowerCase();
  return hosts.some((rule) => (rule.startsWith('*.') ? h.endsWith(rule.slice(1)) : h === rule));
}

/** The response's media type, lowercased, without parameters. */
const mediaType = (res: Response) => (res.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();

const failed = (url: string, why: string) =>
  new ServiceError(502, 'image_fetch_failed', `image ${url} could not be loaded: ${why}`);

async function readCapped(res: Response, url: string, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('Content-Length'));
  if (declared > maxBytes) throw failed(url, `${declared} bytes is over the ${maxBytes}-byte cap`);
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw failed(url, `over the ${maxBytes}-byte cap`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) out.set(c, (offset += c.byteLength) - c.byteLength);
  return out;
}

export const toDataUrl = (type: string, bytes: Uint8Array) => `data:${type};base64,${encodeBase64(bytes.slice().buffer)}`;

export async function fetchImage(src: string, policy: ImagePolicy, segment: string): Promise<string> {
  let url = new URL(src);
  const signal = AbortSignal.timeout(policy.timeoutMs);
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw routeError(segment, `image ${url} is not http(s)`);
    if (!hostAllowed(url.hostname, policy.hosts)) {
      throw routeError(segment, `image host "${url.hostname}" is not allowed (add it to IMAGE_HOSTS)`);
    }
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'manual', signal, headers: { Accept: [...TYPES].join(', ') } });
    } catch (e) {
      throw failed(url.href, signal.aborted ? `no answer within ${policy.timeoutMs} ms` : String(e));
    }
    const location = res.headers.get('Location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw failed(src, `more than ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url); // checked again at the top of the loop
      continue;
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw failed(url.href, `status ${res.status}`);
    }
    const type = mediaType(res);
    if (!TYPES.has(type)) {
      await res.body.cancel();
      throw failed(url.href, `content type "${type}" is not one of ${[...TYPES].join(', ')}`);
    }
    try {
      return toDataUrl(type, await readCapped(res, url.href, policy.maxBytes));
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      throw failed(url.href, signal.aborted ? `no answer within ${policy.timeoutMs} ms` : String(e));
    }
  }
}

const LOCAL_ORIGIN = 'https://assets.invalid';

/** A `src` that names a file in the static assets rather than a URL. */
const isLocal = (s: string) => !/^[a-z][a-z0-9+.-]*:/i.test(s) && !s.startsWith('//');

/** Reads a local image from the static assets (public/ in the repository). */
export async function loadLocalImage(src: string, assets: Fetcher | undefined, policy: ImagePolicy, segment: string): Promise<string> {
  // Resolved against the root, so `../` cannot climb out and `?query` is dropped.
  const path = new URL(src, `${LOCAL_ORIGIN}/`).pathname;
  if (!assets) throw routeError(segment, `local image ${path} needs the ASSETS binding (wrangler.toml [assets])`);
  const res = await assets.fetch(LOCAL_ORIGIN + path);
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw routeError(segment, `local image ${path} is not in the static assets (status ${res.status}; put it under public/)`);
  }
  const type = mediaType(res);
  if (!TYPES.has(type)) {
    await res.body.cancel();
    throw routeError(segment, `local image ${path} is "${type}", not one of ${[...TYPES].join(', ')}`);
  }
  return toDataUrl(type, await readCapped(res, path, policy.maxBytes));
}

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
  const loaded = new Map<string, Promise<string>>();
  const load = (src: string) => {
    let p = loaded.get(src);
    if (!p) {
      p = /^https?:\/\//i.test(src) ? fetchImage(src, policy, segment) : loadLocalImage(src, assets, policy, segment);
      loaded.set(src, p);
    }
    return p;
  };
  const needsLoad = (s: unknown): s is string => typeof s === 'string' && s !== '' && (/^https?:\/\//i.test(s) || isLocal(s));

  // Inside an <svg>, children are SVG markup, not boxes: left as they are.
  async function walk(node: unknown, inSvg = false): Promise<unknown> {
    if (Array.isArray(node)) return Promise.all(node.map((n) => walk(n, inSvg)));
    if (node === null || typeof node !== 'object' || !('type' in node)) return node;
    const { type, props } = node as Node;
    if (typeof type === 'function') return walk(await (type as (p: unknown) => unknown)(props ?? {}), inSvg);
    const next: Record<string, unknown> = { ...props };
    const style = props?.style;
    if (typeof type === 'string' && !inSvg && (!style || style.boxSizing === undefined)) next.style = { ...style, boxSizing: 'border-box' };
    if (type === 'img' && needsLoad(props?.src)) next.src = await load(props.src);
    const bg = style?.backgroundImage;
    if (typeof bg === 'string' && /url\(/i.test(bg)) {
      let out = bg;
      for (const [whole, , url] of bg.matchAll(URL_IN_CSS)) if (needsLoad(url)) out = out.replace(whole, `url(${await load(url)})`);
      next.style = { ...(next.style as object), backgroundImage: out };
    }
    if (props && 'children' in props) next.children = await walk(props.children, inSvg || type === 'svg');
    return { ...(node as Node), props: next };
  }
  return walk(element);
}
