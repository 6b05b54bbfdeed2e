// Generated requests — paths, percent-encodings, slugs, ids, query strings,
// headers and methods — through the Worker's real fetch. Every answer must be
// a documented status, every error a JSON body that is never cached, and no
// request may reach an uncaught exception (`internal_error`).
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { isPng } from './helpers/png';
import worker from './worker';

const r2 = (env as unknown as { IMAGES?: R2Bucket }).IMAGES;
// Requests go to the Worker's exported fetch handler, as workerd calls it.
// (Not through SELF: in vitest-pool-workers 0.15 every SELF.fetch gets slower
// than the last, and thousands of them take minutes.)
async function handle(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const STATUSES = new Set([200, 204, 304, 400, 403, 404, 405, 500, 502]);

const rawPart = fc.oneof(
  fc.constantFrom('%', '%ZZ', '%E0%A4%A', '%2F', '%5C', '%00', '%0A', '..', '.', '%2E%2E', '~', '%C0%AF', '%FF', '%F0%9F%98%80', '+', ';x', ''),
  fc.string({ maxLength: 12 }),
);
/** A path part: sometimes clean, sometimes encoded, sometimes raw garbage. */
const part = (known: string[]) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map(encodeURIComponent) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...known), rawPart).map(([a, b]) => a + b) },
    { weight: 1, arbitrary: rawPart },
  );

const segment = part(['icon', 'blog', 'next14', 'next16', 'single', 'faulty', 'remote', 'nope', 'ICON']);
const slug = part(['acme', 'hello-edge', 'caching-by-id', 'no-such-post', 'throws', 'not-an-array', 'no-id', 'duplicate-ids', 'empty', '生成图像元数据', 'allowed']);
const id = part(['small', 'medium', 'og', 'square', '1', '2', 'default', 'throws', 'not-a-response', 'bad-element', 'plain', 'ok', 'card', 'x']);
const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?v=', '?v=abc', '?v=../x', '?v=' + 'a'.repeat(40), '?utm_source=x&v=1', '?sig=abc', '?format=html', '?v=%00'),
  fc.string({ maxLength: 30 }).map((q) => '?' + encodeURIComponent(q)),
);
const shape = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(segment, slug, id).map(([s, l, i]) => `/${s}/${l}/image/${i}`) },
  { weight: 3, arbitrary: fc.tuple(segment, slug).map(([s, l]) => `/${s}/${l}/metadata`) },
  { weight: 1, arbitrary: fc.array(part(['icon', 'image', 'metadata', 'acme', '']), { maxLength: 6 }).map((p) => '/' + p.join('/')) },
);
const method = fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH');
const headers = fc.record(
  {
    'If-None-Match': fc.constantFrom('*', '"x"', 'W/"y"', 'garbage', '""'),
    Accept: fc.constantFrom('image/webp,*/*', 'text/html', '*/*', 'application/json', ''),
    Origin: fc.constantFrom('https://site.example', 'null', 'x'),
    'Access-Control-Request-Method': fc.constantFrom('GET', 'POST'),
    'User-Agent': fc.constantFrom('Twitterbot/1.0', 'facebookexternalhit/1.1', 'curl/8', ''),
    Range: fc.constantFrom('bytes=0-10', 'bytes=-5'),
  },
  { requiredKeys: [] },
);

it('answers thousands of generated requests with documented statuses and JSON errors', async () => {
  const errors: string[] = [];
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(shape, query, method, headers, async (path, q, m, h) => {
      let request: Request;
      try {
        request = new Request(`http://og.test${path}${q}`, { method: m, headers: h });
      } catch {
        return; // not a URL a client could send
      }
      const res = await handle(request);
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      expect(STATUSES.has(res.status), `${m} ${request.url} → ${res.status}`).toBe(true);
      if (res.status >= 400) {
        expect(res.headers.get('Cache-Control'), request.url).toBe('no-store');
        if (m !== 'HEAD') {
          const body = await res.json<{ error: { code: string; message: string } }>();
          expect(typeof body.error.message).toBe('string');
          expect(body.error.code, `${m} ${request.url}: ${body.error.message}`).not.toBe('internal_error');
          if (res.status === 500) expect(body.error.message).toMatch(/^route "(faulty|remote)"/);
        } else {
          await res.arrayBuffer();
        }
        errors.push(request.url);
      } else {
        await res.arrayBuffer();
      }
    }),
    { numRuns: 2000, seed: 20261124, endOnFailure: true },
  );
  // Every status class was exercised, not just 404s.
  for (const s of [200, 400, 404, 405, 500]) expect(seen.get(s) ?? 0, `status ${s}: ${JSON.stringify([...seen])}`).toBeGreaterThan(10);

  // No error landed in a cache tier.
  await new Promise((r) => setTimeout(r, 100));
  for (const url of errors) expect(await caches.default.match(url), url).toBeUndefined();
  if (r2) {
    let cursor: string | undefined;
    do {
      const page = await r2.list({ cursor, prefix: 'images/' });
      for (const object of page.objects) {
        const bytes = new Uint8Array(await (await r2.get(object.key))!.arrayBuffer());
        const svg = new TextDecoder().decode(bytes.subarray(0, 4)) === '<svg';
        expect(isPng(bytes) || svg, object.key).toBe(true);
        expect(object.key).not.toMatch(/^images\/faulty\/[^/]+\/image\/(throws|not-a-response|bad-element|huge-response)\//);
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
  }
}, 180_000);
