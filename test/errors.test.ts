// Every fault answers JSON { error: { code, message } } with the right
// status, is never cached, and leaves the isolate serving.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import worker from './worker';
import { errorOf, get, ORIGIN, unique, type ErrorBody } from './helpers/http';
import { withExample } from './helpers/examples';
import { isPng } from './helpers/png';

async function expectError(path: string, status: number, code: string, message?: RegExp, init?: RequestInit) {
  const res = await get(path, init);
  expect(res.status, path).toBe(status);
  expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
  expect(res.headers.get('Cache-Control')).toBe('no-store');
  expect(res.headers.get('X-Cache')).toBeNull(); // nothing was served from or put in a cache
  const { error } = await errorOf(res);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  expect(error.stack).toBeUndefined(); // tests run with ENVIRONMENT=test, not development
  return error;
}

describe('404', () => {
  it('for an unknown segment', () => expectError('/nope/x/metadata', 404, 'not_found', /unknown segment "nope"/));
  it('for an unknown segment, image', () => expectError('/nope/x/image/a', 404, 'not_found'));
  withExample('blog')('for an unknown blog post (the module calls notFound())', async () => {
    await expectError('/blog/no-such-post/metadata', 404, 'not_found');
    await expectError('/blog/no-such-post/image/og', 404, 'not_found');
  });
  it('for an id the metadata does not list, without rendering', () =>
    expectError('/icon/acme/image/large', 404, 'not_found', /no image "large" in icon\/acme/));
  it('for a module that returns no images', () => expectError('/faulty/empty/metadata', 404, 'not_found'));
  it('for paths the service does not have', async () => {
    await expectError('/icon/acme', 404, 'not_found');
    await expectError('/icon/acme/metadata/extra', 404, 'not_found');
    await expectError('/icon/acme/image', 404, 'not_found');
  });
});

describe('400', () => {
  const cases: [string, string, RegExp][] = [
    ['malformed percent-encoding in the slug', '/icon/%E0%A4%A/metadata', /slug is not valid percent-encoded/],
    ['an encoded slash', '/icon/a%2Fb/metadata', /slug must be one path part/],
    ['an encoded backslash', '/icon/a%5Cb/image/small', /slug must be one path part/],
    ['a control character', '/icon/a%00b/metadata', /slug must be one path part/],
    ['a newline', '/icon/a%0Ab/metadata', /slug must be one path part/],
    ['an over-long slug', `/icon/${'a'.repeat(201)}/metadata`, /longer than 200/],
    ['an uppercase segment', '/Icon/acme/metadata', /segment must match/],
    ['an id outside the charset', '/icon/acme/image/sm%20all', /id must match/],
    ['an over-long id', `/icon/acme/image/${'a'.repeat(65)}`, /id must match/],
    ['a malformed version', '/icon/acme/image/small?v=../../x', /v must match/],
  ];
  for (const [name, path, message] of cases) it(`for ${name}`, () => expectError(path, 400, 'bad_request', message));

  it('never lets a dot-dot slug reach a route (URL parsing removes it first)', async () => {
    await expectError('/icon/%2E%2E/metadata', 404, 'not_found', /no route for GET \/metadata/);
  });

  it('accepts Unicode slugs such as Chinese titles', async () => {
    const res = await get(`/next16/${encodeURIComponent('生成图像元数据')}/metadata`);
    expect(res.status).toBe(200);
  });
});

describe('500 naming the segment and the fault', () => {
  const cases: [string, string, RegExp][] = [
    ['returns a non-array', '/faulty/not-an-array/metadata', /route "faulty": generateImageMetadata returned object, not an array/],
    ['returns an item without id', '/faulty/no-id/metadata', /route "faulty": item 0 has no id/],
    ['returns duplicate ids', '/faulty/duplicate-ids/metadata', /route "faulty": duplicate id "a"/],
    ['asks for an over-limit size', '/faulty/huge/metadata', /route "faulty": item "a": size 100000×100 is over the limit/],
    ['gives a contentType that is not a string', '/faulty/bad-type/metadata', /route "faulty": item "a": contentType must be a string/],
    ['has an Image that returns no Response', '/faulty/x/image/not-a-response', /route "faulty": Image returned string, not a Response/],
  ];
  for (const [name, path, message] of cases) it(`when the module ${name}`, () => expectError(path, 500, 'route_error', message));
});

// A route's own text (an exception's message: a D1 error names tables and
// columns; satori quotes the CSS it got) is not for the public: production
// names the route and the stage, and a reference to the log line that has
// the detail. Development shows it.
describe("500 for a route's own exception: generic in production, detailed in development", () => {
  const cases: [string, string, string, string, string][] = [
    ['generateImageMetadata throws', '/faulty/throws/metadata', 'route_error', 'route "faulty": generateImageMetadata threw', 'database is down'],
    ['Image throws', '/faulty/x/image/throws', 'route_error', 'route "faulty": Image threw', 'template exploded'],
    ['satori cannot lay the element out', '/faulty/x/image/bad-element', 'render_error', 'route "faulty": rendering "bad-element" failed', 'Invalid value "banana"'],
    ['the image path meets a metadata fault', '/faulty/throws/image/a', 'route_error', 'route "faulty": generateImageMetadata threw', 'database is down'],
  ];
  async function inDevelopment(path: string): Promise<ErrorBody['error']> {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(ORIGIN + path), { ...env, ENVIRONMENT: 'development' }, ctx);
    await waitOnExecutionContext(ctx);
    return (await errorOf(res)).error;
  }
  for (const [name, path, code, generic, detail] of cases) {
    it(`when ${name}`, async () => {
      const error = await expectError(path, 500, code);
      expect(error.message.startsWith(`${generic}; reference `), error.message).toBe(true);
      expect(error.message).toMatch(/; reference [0-9a-f]{12}$/);
      expect(error.message).not.toContain(detail);
      const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const dev = await inDevelopment(path);
      quiet.mockRestore();
      expect(dev.message.startsWith(`${generic}: `), dev.message).toBe(true);
      expect(dev.message).toContain(detail);
      expect(dev.stack).toBeDefined();
    });
  }
});

describe('methods', () => {
  it('answers 405 with Allow for writes', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await get('/icon/acme/image/small', { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
      expect((await errorOf(res)).error.code).toBe('method_not_allowed');
    }
  });
});

describe('the isolate keeps serving', () => {
  it('renders right after every kind of fault', async () => {
    await Promise.all([
      get('/faulty/throws/metadata'),
      get('/faulty/x/image/throws'),
      get('/faulty/x/image/bad-element'),
      get('/icon/%E0%A4%A/metadata'),
    ]);
    const res = await get(`/icon/${unique()}/image/small`);
    expect(res.status).toBe(200);
    expect(isPng(new Uint8Array(await res.arrayBuffer()))).toBe(true);
  });

  it('never caches an error: the same URL fails again, freshly', async () => {
    for (let i = 0; i < 2; i++) await expectError('/faulty/x/image/throws', 500, 'route_error');
  });
});
