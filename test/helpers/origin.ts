// A site's origin for inject mode's tests (test/inject.test.ts), run in Node
// as the Worker's outbound fetch (Miniflare's `outboundService`): every
// `fetch` the Worker makes lands here. `?page=` picks what the origin sends.
// Web APIs only: the test inside workerd imports its constants.

/** The site's own tags, which `replace` must drop and which otherwise stay. */
export const SITE_HEAD =
  '<meta property="og:image" content="https://site.test/old.png" />' +
  '<meta name="twitter:card" content="summary" />' +
  '<link rel="icon" href="/favicon.ico" />';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${SITE_HEAD}</head><body>${body}</body></html>`;

/** A 5 MiB page: a paragraph repeated, in 64 KiB chunks. */
export const BIG_CHUNK = '<p>' + 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(1117) + '</p>\n';
export const BIG_CHUNKS = Math.ceil((5 * 1024 * 1024) / BIG_CHUNK.length);
export const BIG_HEAD = '<!doctype html><html><head><meta charset="utf-8"><title>Big</title></head><body>\n';
export const BIG_TAIL = '</body></html>\n';

/** "日本語のページ、こんにちは" in Shift_JIS. */
export const SJIS_TEXT = Uint8Array.from('93fa967b8cea82cc8379815b8357814182b182f182c982bf82cd'.match(/../g)!, (h) => parseInt(h, 16));

/** Text in one byte a character (ISO-8859-1). */
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};
const gzip = (text: string) => new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();

/** Streams held open by `?page=hold&id=…` until `/release?id=…` arrives. */
const held = new Map<string, () => void>();

const html = (body: BodyInit | null, init: ResponseInit = {}) =>
  new Response(body, { ...init, headers: { 'Content-Type': 'text/html; charset=utf-8', ...(init.headers as object) } });

export async function origin(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === '/release') {
    held.get(url.searchParams.get('id') ?? '')?.();
    return new Response('released');
  }
  const kind = url.searchParams.get('page') ?? 'plain';
  const enc = new TextEncoder();
  switch (kind) {
    case 'plain': {
      const text = page('Hello', '<h1>Hello</h1>');
      if (request.method === 'HEAD') return html(null, { headers: { 'Content-Length': String(enc.encode(text).length), ETag: '"v1"' } });
      return html(text, { headers: { ETag: '"v1"', 'Last-Modified': 'Wed, 21 Oct 2026 07:28:00 GMT' } });
    }
    case 'big': {
      let i = 0;
      return html(
        new ReadableStream({
          pull(controller) {
            if (i === 0) controller.enqueue(enc.encode(BIG_HEAD));
            if (i < BIG_CHUNKS) controller.enqueue(enc.encode(BIG_CHUNK));
            else {
              controller.enqueue(enc.encode(BIG_TAIL));
              controller.close();
            }
            i++;
          },
        }),
      );
    }
    case 'shift_jis':
      return new Response(
        concat(latin1('<html><head><title>'), SJIS_TEXT, latin1('</title></head><body><p>'), SJIS_TEXT, latin1('</p></body></html>')),
        { headers: { 'Content-Type': 'text/html; charset=Shift_JIS' } },
      );
    case 'latin1':
      return new Response(latin1('<html><head><title>Café crème</title></head><body><p>Déjà vu</p></body></html>'), {
        headers: { 'Content-Type': 'text/html; charset=ISO-8859-1' },
      });
    // Optional tags left out, as minifiers and hand-written pages do.
    case 'no-head':
      return html('<!doctype html><html lang="en"><meta charset="utf-8"><title>No head</title><link rel="stylesheet" href="/s.css"><p>Body text</p>');
    case 'no-html':
      return html('<!DOCTYPE html><title>Bare</title><noscript><img src="/pixel.gif"></noscript><p>Only a paragraph</p>');
    case 'text-only':
      return html('just some text, no markup');
    case 'redirect':
      return new Response(null, { status: 301, headers: { Location: `${url.origin}/blog/hello-edge?page=plain` } });
    case 'redirect-away':
      return new Response(null, { status: 302, headers: { Location: 'https://elsewhere.test/x' } });
    case 'missing':
      return html(page('Not found', '<h1>404</h1>'), { status: 404 });
    case 'broken':
      return html(page('Error', '<h1>500</h1>'), { status: 500 });
    // Compressed whatever the request asked for.
    case 'gzip':
      return new Response(await gzip(page('Zipped', '<h1>Compressed</h1>')), {
        headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Encoding': 'gzip' },
      });
    // An encoding the Worker cannot read (the bytes are opaque to it either way).
    case 'br':
      return new Response(latin1('\x1b\x2f\x00\xf8 opaque brotli-labelled bytes'), {
        headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Encoding': 'br' },
      });
    case 'echo':
      return Response.json({ via: request.headers.get('Via'), acceptEncoding: request.headers.get('Accept-Encoding') });
    case 'png':
      return new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]), {
        headers: { 'Content-Type': 'image/png' },
      });
    case 'json':
      return Response.json({ page: url.pathname });
    case 'hold': {
      // Sends the head and the start of the body, then waits for the test to
      // release it (or 20 s, so a broken run cannot hang the suite).
      const id = url.searchParams.get('id') ?? '';
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      held.set(id, release);
      const timer = setTimeout(release, 20_000);
      return html(
        new ReadableStream({
          async start(controller) {
            controller.enqueue(enc.encode('<!doctype html><html><head><title>Slow</title></head><body><p>first</p>\n'));
            await released;
            clearTimeout(timer);
            held.delete(id);
            controller.enqueue(enc.encode('<p>last</p></body></html>\n'));
            controller.close();
          },
        }),
      );
    }
    default:
      return new Response(`no page ${kind}`, { status: 400 });
  }
}

/** The INJECT var of the test project, as a wrangler.toml string. */
export const INJECT = JSON.stringify({
  origin: 'http://site.test',
  pages: {
    '/blog/:slug': 'blog',
    '/posts/:slug.html': 'blog',
    '/:lang/guides/:slug': ['blog', 'icon/acme'],
    '/about': 'intl/en',
    '/gone/:slug': 'no-such-segment',
  },
});
