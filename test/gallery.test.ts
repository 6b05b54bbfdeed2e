// The gallery at `/` and the tag block at `?format=html`, inside workerd.
// (test/node/gallery.test.ts opens the same page in Chromium.)
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { registry } from '../generated/routes';
import { headTags, kindOf } from '../src/pages/head-tags';
import type { Env } from '../src/types';
import { registry as fixtures } from './generated/fixtures';
import { get, ORIGIN } from './helpers/http';
import { withExample } from './helpers/examples';

const app = createApp({ files: [...registry.files, ...fixtures.files], pages: [...registry.pages, ...fixtures.pages] });

/** `/` (or any path) with extra vars, e.g. GALLERY=on. */
async function request(path: string, vars: Partial<Env>) {
  const ctx = createExecutionContext();
  const res = await app.request(`${ORIGIN}${path}`, {}, { ...(env as Env), ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const unescape = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The tag blocks of a gallery page, by page name. */
function tagBlocks(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<article class="page" data-page="([^"]+)">([\s\S]*?)<\/article>/g)) {
    const pre = /<pre class="tags" id="[^"]+">([\s\S]*?)<\/pre>/.exec(m[2]!);
    if (pre) out.set(unescape(m[1]!), unescape(pre[1]!));
  }
  return out;
}

describe('GET /', () => {
  it('is the JSON index where the gallery is off (production default)', async () => {
    const res = await get('/');
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    const body = await res.json<{ segments: string[]; examples: Record<string, string[]> }>();
    expect(body.segments).toEqual(expect.arrayContaining(Object.keys(registry)));
    // What `npm run render -- <segment>` renders.
    expect(body.examples.icon).toEqual(['acme', 'og-edge', 'zebra']);
    expect(body.examples.next16).toEqual(['example']);
    const off = await request('/', { ENVIRONMENT: 'development', GALLERY: 'off' });
    expect(off.headers.get('Content-Type')).toMatch(/^application\/json/);
  });

  it('is the gallery in development, or with GALLERY=on, and never cached', async () => {
    for (const vars of [{ ENVIRONMENT: 'development' }, { GALLERY: 'on' }]) {
      const res = await request('/', vars);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      expect(await res.text()).toMatch(/^<!doctype html><html lang="en">/);
    }
    const json = await request('/?format=json', { GALLERY: 'on' });
    expect(json.headers.get('Content-Type')).toMatch(/^application\/json/);
  });

  it('shows each segment’s examples, every image at its metadata URL and size, and the API’s tags', async () => {
    const html = await (await request('/', { GALLERY: 'on' })).text();
    const pages = [...html.matchAll(/data-page="([^"]+)"/g)].map((m) => m[1]);
    // Every segment of routes/, each with its `examples` in order (or `example`).
    for (const [segment, { module }] of Object.entries(registry)) {
      const examples = (module as { examples?: string[] }).examples ?? ['example'];
      expect(pages.filter((p) => p!.startsWith(`${segment}/`))).toEqual(examples.map((slug) => `${segment}/${slug}`));
    }
    expect(pages.filter((p) => p!.startsWith('icon/'))).toEqual(['icon/acme', 'icon/og-edge', 'icon/zebra']);
    // A module without `examples` is shown with the slug `example`.
    expect(pages).toContain('next16/example');

    const blocks = tagBlocks(html);
    for (const name of ['blog/hello-edge', 'icon/acme', 'next16/example'].filter((n) => pages.includes(n))) {
      const items = await (await get(`/${name}/metadata`)).json<{ url: string; size: { width: number; height: number } }[]>();
      for (const item of items) {
        const src = item.url.replace(/&/g, '&amp;');
        expect(html).toContain(`src="${src}" width="${item.size.width}" height="${item.size.height}"`);
      }
      const api = await (await get(`/${name}/metadata?format=html`)).text();
      expect(blocks.get(name)).toBe(api);
    }
  });

  it('shows a page that fails as an error card, and the rest of the gallery still', async () => {
    const res = await request('/', { GALLERY: 'on' });
    expect(res.status).toBe(200);
    const html = await res.text();
    // `faulty/example` lists items whose Image functions fail: the page still shows.
    expect(html).toContain('data-page="faulty/example"');
    const one = await (await request('/?segment=faulty&slug=throws', { GALLERY: 'on' })).text();
    // Outside development a route's own message stays in the log (docs/operations.md).
    expect(one).toMatch(/<div class="error" role="alert"><code>500 route_error<\/code> route &quot;faulty&quot;: generateImageMetadata threw<\/div>/);
    expect(one).not.toContain('database is down');
    expect(one).not.toContain('data-page="blog/');
  });

  it('shows one slug of one segment with ?segment=&slug=, escaping everything it prints', async () => {
    const slug = `<img src=x onerror="alert('x')">&`;
    const html = await (await request(`/?segment=next16&slug=${encodeURIComponent(slug)}`, { GALLERY: 'on' })).text();
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('data-page="next16/&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;"');
    const blocks = tagBlocks(html);
    expect([...blocks.keys()]).toEqual([`next16/${slug}`]);
    const api = await (await get(`/next16/${encodeURIComponent(slug)}/metadata?format=html`)).text();
    expect(blocks.get(`next16/${slug}`)).toBe(api);
    // A slug the metadata API refuses is refused here too.
    const bad = await (await request(`/?segment=next16&slug=${encodeURIComponent('a\u0000b')}`, { GALLERY: 'on' })).text();
    expect(bad).toContain('<code>400 bad_request</code>');
  });
});

describe('GET /:segment/:slug/metadata?format=html', () => {
  withExample('blog')('gives Open Graph and Twitter tags for cards, with absolute versioned URLs', async () => {
    const res = await get('/blog/hello-edge/metadata?format=html');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=60, stale-while-revalidate=600');
    const [og, square] = await (await get('/blog/hello-edge/metadata')).json<{ url: string }[]>();
    const alt = 'Hello from the edge: Open Graph images in under 100 ms, by Ada Lovelace';
    // Next.js's order for a module's fields (next-metadata-image-loader):
    // alt, type, url, width, height; twitter tags repeat the og images.
    const social = (attr: string, p: string, url: string, w: number, h: number) => [
      `<meta ${attr}="${p}:alt" content="${alt}"/>`,
      `<meta ${attr}="${p}:type" content="image/png"/>`,
      `<meta ${attr}="${p}" content="${url}"/>`,
      `<meta ${attr}="${p}:width" content="${w}"/>`,
      `<meta ${attr}="${p}:height" content="${h}"/>`,
    ];
    expect(await res.text()).toBe(
      [
        ...social('property', 'og:image', og!.url, 1200, 630),
        ...social('property', 'og:image', square!.url, 1080, 1080),
        '<meta name="twitter:card" content="summary_large_image"/>',
        ...social('name', 'twitter:image', og!.url, 1200, 630),
        ...social('name', 'twitter:image', square!.url, 1080, 1080),
        '',
      ].join('\n'),
    );
  });

  it('gives <link rel="icon"> for icons', async () => {
    const [small, medium] = await (await get('/icon/acme/metadata')).json<{ url: string }[]>();
    expect(await (await get('/icon/acme/metadata?format=html')).text()).toBe(
      `<link rel="icon" href="${small!.url}" alt="small icon" type="image/png" sizes="48x48"/>\n` +
        `<link rel="icon" href="${medium!.url}" alt="medium icon" type="image/png" sizes="72x72"/>\n`,
    );
  });

  it('escapes what comes from the route module and the slug', async () => {
    const text = await (await get(`/next16/${encodeURIComponent(`"><img src=x onerror='y'>&`)}/metadata?format=html`)).text();
    expect(text).not.toContain('<img');
    // As React escapes attributes.
    expect(text).toContain('<meta property="og:image:alt" content="&quot;&gt;&lt;img src=x onerror=&#x27;y&#x27;&gt;&amp; #1"/>');
    expect(text).toContain('/next16/%22%3E%3Cimg%20src%3Dx%20onerror%3D&#x27;y&#x27;%3E%26/image/1?v=');
  });

  it('keeps JSON the default, and refuses an unknown format', async () => {
    expect((await get('/icon/acme/metadata?format=json')).headers.get('Content-Type')).toMatch(/^application\/json/);
    const res = await get('/icon/acme/metadata?format=xml');
    expect(res.status).toBe(400);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('bad_request');
  });
});

describe('headTags', () => {
  const item = (width: number, height: number, extra: object = {}) => ({
    url: 'https://og.example/x/y/image/a?v=1',
    alt: '',
    size: { width, height },
    contentType: 'image/png',
    kind: kindOf({}, { width, height }),
    ...extra,
  });

  it('calls small square items icons unless the module says otherwise', () => {
    expect(kindOf({}, { width: 512, height: 512 })).toBe('icon');
    expect(kindOf({}, { width: 513, height: 513 })).toBe('image');
    expect(kindOf({}, { width: 64, height: 32 })).toBe('image');
    expect(kindOf({ kind: 'image' }, { width: 64, height: 64 })).toBe('image');
    expect(kindOf({ kind: 'apple-icon' }, { width: 180, height: 180 })).toBe('apple-icon');
  });

  it('writes an alt tag only when there is alt text, always the large card, and sizes as Next.js does', () => {
    const square = headTags([item(1080, 1080, { alt: undefined })]);
    expect(square).not.toContain('og:image:alt');
    expect(square).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    // A module's SVG icon states its size; a static .svg file says "any".
    expect(headTags([item(32, 32, { alt: undefined, contentType: 'image/svg+xml' })])).toBe(
      '<link rel="icon" href="https://og.example/x/y/image/a?v=1" type="image/svg+xml" sizes="32x32"/>\n',
    );
    expect(headTags([item(32, 32, { alt: undefined, contentType: 'image/svg+xml', static: true })])).toBe(
      '<link rel="icon" href="https://og.example/x/y/image/a?v=1" type="image/svg+xml" sizes="any"/>\n',
    );
    expect(headTags([item(180, 180, { kind: 'apple-icon' })])).toContain('<link rel="apple-touch-icon" ');
    // No size declared: no width/height, as Next.js writes for a file without `size`.
    expect(headTags([item(1200, 630, { sized: false })])).not.toContain('width');
    expect(headTags([])).toBe('');
  });
});
