// Puts a page's tags into its <head> as the page streams through
// HTMLRewriter: nothing is buffered, and bytes before the insertion point go
// out while the tags are still being computed.
import type { PageTags, TargetFault } from './tags';

/** Elements that belong in <head>; the first element that is none of these starts the body. */
const HEAD_CONTENT = new Set(['html', 'head', 'meta', 'title', 'link', 'base', 'style', 'script']);
/** Elements whose content is not the document's own tree (a <noscript> in <head> may hold an <img>). */
const OPAQUE = new Set(['noscript', 'template']);

const IMAGE_TAGS = 'meta[property^="og:image"], meta[name^="twitter:image"], meta[name="twitter:card"]';
const ICON_TAGS = 'link[rel~="icon"], link[rel~="apple-touch-icon"], link[rel="apple-touch-icon-precomposed"]';

/** `el.onEndTag(handler)`, false where the element has no end tag (lol-html throws then). */
function onEnd(el: Element, handler: (end: EndTag) => void | Promise<void>): boolean {
  try {
    el.onEndTag(handler);
    return true;
  } catch {
    return false;
  }
}

/** Whether a response is an HTML page the rewriter can read: 200, text/html, an ASCII-compatible charset. */
export function isInjectable(res: Response): boolean {
  if (res.status !== 200) return false;
  const type = res.headers.get('Content-Type') ?? '';
  if (!/^\s*(text\/html|application\/xhtml\+xml)\s*(;|$)/i.test(type)) return false;
  // lol-html reads ASCII-compatible encodings only; a UTF-16 page passes through.
  return !/charset\s*=\s*"?utf-16/i.test(type);
}

/**
 * The headers of an injected page: its length changes, and the origin's
 * validators describe the origin's bytes, not ours (a 304 against them could
 * keep stale tags), so they go.
 */
export function injectedHeaders(headers: Headers): Headers {
  const out = new Headers(headers);
  for (const name of ['Content-Length', 'ETag', 'Last-Modified', 'Content-MD5', 'Digest']) out.delete(name);
  return out;
}

/**
 * `res` with `tags` added to its <head>: before `</head>`, or, in a page
 * that leaves <head> implicit, before the first element that is not head
 * content (where the HTML parser ends the head), or else at the end. With
 * `replace`, the page's own image (or icon) tags go where ours bring that kind.
 */
export function injectTags(
  res: Response,
  tags: Promise<PageTags>,
  replace: boolean,
  onFaults: (faults: TargetFault[]) => void,
): Response {
  let done = false;
  let opaque = 0;
  let resolved: PageTags | undefined;
  const ready = async () => {
    if (!resolved) {
      resolved = await tags;
      if (resolved.faults.length > 0) onFaults(resolved.faults);
    }
    return resolved;
  };
  const insert = async (put: (html: string) => void) => {
    if (done) return;
    done = true;
    const { html } = await ready();
    if (html) put(html);
  };

  let rewriter = new HTMLRewriter()
    .on('*', {
      element(el) {
        if (done) return;
        const name = el.tagName;
        if (name === 'head') {
          // A self-closed `<head/>` has no end tag to wait for: the next
          // element that is not head content takes the tags.
          onEnd(el, (end) => insert((html) => end.before(html, { html: true })));
          return;
        }
        if (OPAQUE.has(name)) {
          if (onEnd(el, () => void opaque--)) opaque++;
          return;
        }
        if (name !== 'body' && (opaque > 0 || HEAD_CONTENT.has(name))) return;
        return insert((html) => el.before(html, { html: true }));
      },
    })
    .onDocument({ end: (end) => insert((html) => end.append(html, { html: true })) });

  if (replace) {
    const drop = (kind: 'images' | 'icons') => async (el: Element) => {
      if (!done && (await ready())[kind]) el.remove();
    };
    rewriter = rewriter.on(IMAGE_TAGS, { element: drop('images') }).on(ICON_TAGS, { element: drop('icons') });
  }

  const out = rewriter.transform(res);
  return new Response(out.body, { status: res.status, statusText: res.statusText, headers: injectedHeaders(res.headers) });
}
