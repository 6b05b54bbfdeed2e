// Remote images in cards. satori would fetch an <img src="https://…"> itself,
// from any host, with no time or size bound. Instead, before rendering, every
// http(s) image in the element tree is fetched here under a policy (host
// allowlist, timeout, byte cap, content type, redirects re-checked) and
// inlined as a data: URL, so satori never touches the network.
import { routeError, ServiceError } from '../http/errors';

export interface ImagePolicy {
  /** Allowed hosts; `*.example.com` allows subdomains. Empty: no remote images. */
  hosts: string[];
  timeoutMs: number;
  maxBytes: number;
}

/** What satori and resvg 2.6 can decode. */
const TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/svg+xml']);
const MAX_REDIRECTS = 3;
const URL_IN_CSS = /url\(\s*(['"]?)(https?:\/\/[^'")\s]+)\1\s*\)/g;

type Node = { type: unknown; props?: Record<string, unknown> & { style?: Record<string, unknown> }; key?: unknown };

export function hostAllowed(host: string, hosts: string[]): boolean {
  const h = host.toLowerCase();
  return hosts.some((rule) => (rule.startsWith('*.') ? h.endsWith(rule.slice(1)) : h === rule));
}

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

function toDataUrl(type: string, bytes: Uint8Array): string {
  let binary = '';
  // Chunked: String.fromCharCode(...bytes) overflows the stack on large images.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${type};base64,${btoa(binary)}`;
}

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
    const type = (res.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
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

/**
 * Returns the element with every remote image inlined. Function components
 * are expanded here (satori would call them anyway) so their images are seen.
 */
export async function inlineRemoteImages(element: unknown, policy: ImagePolicy, segment: string): Promise<unknown> {
  const fetched = new Map<string, Promise<string>>();
  const load = (src: string) => {
    let p = fetched.get(src);
    if (!p) fetched.set(src, (p = fetchImage(src, policy, segment)));
    return p;
  };
  const isRemote = (s: unknown): s is string => typeof s === 'string' && /^https?:\/\//i.test(s);

  async function walk(node: unknown): Promise<unknown> {
    if (Array.isArray(node)) return Promise.all(node.map(walk));
    if (node === null || typeof node !== 'object' || !('type' in node)) return node;
    const { type, props } = node as Node;
    if (typeof type === 'function') return walk(await (type as (p: unknown) => unknown)(props ?? {}));
    if (!props) return node;
    const next: Record<string, unknown> = { ...props };
    if (type === 'img' && isRemote(props.src)) next.src = await load(props.src);
    const bg = props.style?.backgroundImage;
    if (typeof bg === 'string' && /url\(\s*['"]?https?:/i.test(bg)) {
      let out = bg;
      for (const [whole, , url] of bg.matchAll(URL_IN_CSS)) out = out.replace(whole, `url(${await load(url!)})`);
      next.style = { ...props.style, backgroundImage: out };
    }
    if ('children' in props) next.children = await walk(props.children);
    return { ...(node as Node), props: next };
  }
  return walk(element);
}
