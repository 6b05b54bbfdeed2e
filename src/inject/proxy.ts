// Fetching a page from the site's origin: the request as the visitor sent
// it (method, headers, body), redirects handed back rather than followed,
// and a `Via` mark so a Worker that would fetch itself stops at once.
import { ServiceError } from '../errors';

const VIA = '1.1 og-edge';

/** Whether this request already passed through an og-edge Worker (it would loop). */
export const isLoop = (req: Request) => /(^|,)\s*1\.1 og-edge\s*(,|$)/.test(req.headers.get('Via') ?? '');

function absolute(location: string | null): URL | undefined {
  try {
    return location ? new URL(location) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The origin's answer to `req`, from `origin` when set, else from the URL
 * itself (the Worker sits in front of the site on its routes); `rewriting`
 * when the body may go through the rewriter. A fetch that
 * fails is a 502; nothing else about the answer is changed here, apart from
 * a `Location` on the origin's host, which is moved to the public host.
 */
export async function fetchOrigin(req: Request, origin: string | undefined, rewriting: boolean): Promise<Response> {
  const url = new URL(req.url);
  const target = origin ? new URL(url.pathname + url.search, origin) : url;
  const headers = new Headers(req.headers);
  // The rewriter reads plain HTML; the visitor's own Accept-Encoding could
  // bring back br it cannot. (Cloudflare compresses the answer for the visitor.)
  if (rewriting) headers.set('Accept-Encoding', 'identity');
  headers.set('Via', headers.has('Via') ? `${headers.get('Via')}, ${VIA}` : VIA);
  let res: Response;
  try {
    res = await fetch(target, { method: req.method, headers, body: req.body, redirect: 'manual' });
  } catch (e) {
    throw new ServiceError(502, 'bad_gateway', `the origin did not answer: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  const moved = origin ? absolute(res.headers.get('Location')) : undefined;
  if (moved && moved.origin === origin) {
    const headers = new Headers(res.headers);
    headers.set('Location', url.origin + moved.pathname + moved.search + moved.hash);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  }
  return res;
}
