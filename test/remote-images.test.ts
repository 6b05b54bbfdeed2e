// Images in cards: every way a card can name one goes through the service's
// loader (allowlist by host and port, time, bytes, type from the real bytes,
// decoded size from the header), satori never fetches anything itself, and an
// image that cannot be drawn is a clear error that nothing caches.
//
// The cards are test/fixtures/routes/pictures.tsx; remote hosts are a stub of
// the global fetch, which satori would call too if it fetched on its own.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { encode } from 'fast-png';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import app from './worker';
import { errorOf, ORIGIN, unique } from './helpers/http';
import { near, pixels } from './helpers/png';
import { getConfig } from '../src/config';
import { prepareElement } from '../src/render/images';
import { renderImage } from '../src/render/index';

const r2 = (env as unknown as { IMAGES?: R2Bucket }).IMAGES;
const POLICY = {
  IMAGE_HOSTS: 'images.example, *.pics.example, localhost:8787',
  IMAGE_MAX_BYTES: String(1024 * 1024),
  IMAGE_TIMEOUT_MS: '300',
};
const MiB = 1024 * 1024;

const RED = encode({ width: 4, height: 4, data: new Uint8Array(4 * 4 * 4).map((_, i) => (i % 4 === 0 || i % 4 === 3 ? 255 : 0)) });
/** A black square of `side`² pixels at one bit each: tiny files that decode big. */
const square = (side: number) => encode({ width: side, height: side, data: new Uint8Array(Math.ceil(side / 8) * side), depth: 1, channels: 1 });

let crcTable: number[] | undefined;
const crc32 = (bytes: Uint8Array) => {
  crcTable ??= Array.from({ length: 256 }, (_, n) => {
    for (let k = 0; k < 8; k++) n = n & 1 ? 0xedb88320 ^ (n >>> 1) : n >>> 1;
    return n >>> 0;
  });
  let c = ~0;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
};
const chunk = (type: string, data: Uint8Array) => {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
};

/**
 * A decompression bomb: a whole, valid PNG of 20000×20000 one-bit pixels,
 * 49 KB on the wire, 1.6 GB as the RGBA a decoder makes of it.
 */
async function bombPng(): Promise<Uint8Array> {
  const side = 20000;
  const raw = new Uint8Array(side * (1 + side / 8)); // filter byte 0, black rows
  const idat = new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer());
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, side);
  new DataView(ihdr.buffer).setUint32(4, side);
  ihdr.set([1, 0, 0, 0, 0], 8); // depth 1, greyscale
  const parts = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array())];
  return new Uint8Array(await new Blob(parts).arrayBuffer());
}
const BOMB = await bombPng();

/** A body that never ends: 1 MiB chunks, counted; `cancelled` once the reader lets go. */
function endless(limit = 150 * MiB) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled >= limit) return controller.close();
        state.pulled += MiB;
        controller.enqueue(new Uint8Array(MiB).fill(0x89, 0, 1));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

/** A body that sends a PNG's first bytes, then nothing, ever. */
function stalled() {
  const state = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(RED.slice(0, 20));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

let fetched: string[] = [];
/** Per-test overrides of what a path answers. */
let answers: Record<string, () => Response | Promise<Response>> = {};
let lastBody: { pulled?: number; cancelled: boolean } | undefined;

beforeEach(() => {
  fetched = [];
  answers = {};
  lastBody = undefined;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    fetched.push(url.href);
    const png = { 'Content-Type': 'image/png' };
    const own = answers[url.pathname];
    if (own) return own();
    switch (url.pathname) {
      case '/red.png':
        return new Response(RED, { headers: png });
      case '/bomb.png':
        return new Response(BOMB, { headers: png });
      case '/huge.png': {
        const { stream, state } = endless();
        lastBody = state;
        return new Response(stream, { headers: png });
      }
      case '/stalled.png': {
        const { stream, state } = stalled();
        lastBody = state;
        return new Response(stream, { headers: png });
      }
      case '/slow.png':
        return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
      default:
        return new Response('not found', { status: 404 });
    }
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const pathOf = (how: string, value: string) => `/pictures/${how}~${b64url(value)}/image/card`;

async function call(path: string, vars: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(ORIGIN + path), { ...env, ...POLICY, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
/** One card, rendered afresh (its own URL: nothing cached from another test). */
const render = (how: string, value: string, vars: Record<string, string> = {}) =>
  call(`${pathOf(how, value)}?nonce=${unique()}`, { BUILD_ID: unique(), ...vars });

async function expectError(res: Response, status: number, code: string, message: RegExp) {
  const { error } = await errorOf(res.clone());
  expect(error.message).toMatch(message);
  expect(error.code).toBe(code);
  expect(res.status).toBe(status);
  expect(res.headers.get('Cache-Control')).toBe('no-store');
}

const redAtCentre = async (res: Response) => near(pixels(new Uint8Array(await res.arrayBuffer())).at(32, 32), [255, 0, 0, 255]);

/** Where each kind of card takes its image, and how a URL is written there. */
const CSS = (url: string) => `url(${url})`;
const WAYS: [how: string, spell: (url: string) => string][] = [
  ['img', (u) => u],
  ['background', (u) => `${CSS(u)} center / 100% 100% no-repeat`],
  ['backgroundImage', CSS],
  ['maskImage', CSS],
  ['WebkitMaskImage', CSS],
  ['listStyleImage', CSS],
  ['variable', CSS],
  ['sheet', CSS],
  ['sheetHtml', CSS],
];

describe('every place a card names an image goes through the loader', () => {
  for (const [how, spell] of WAYS) {
    it(`${how}: an allowed host is fetched once, by the service`, async () => {
      const res = await render(how, spell('https://images.example/red.png'));
      expect(res.status, await res.clone().text()).toBe(200);
      expect(fetched).toEqual(['https://images.example/red.png']);
      if (how !== 'listStyleImage') expect(await redAtCentre(res)).toBe(true);
    });

    it(`${how}: another host is refused without a fetch`, async () => {
      await expectError(await render(how, spell('https://evil.example/red.png')), 500, 'route_error', /image host "evil\.example" is not allowed/);
      expect(fetched).toEqual([]);
    });
  }
});

describe('every spelling a URL parser accepts is read as the URL it is', () => {
  const SRC = [
    'http:/evil.example/red.png',
    'http:evil.example/red.png',
    'http:\\\\evil.example\\red.png',
    'HTTP://evil.example/red.png',
    'hTtPs://EVIL.example/red.png',
    '//evil.example/red.png',
    '\\\\evil.example/red.png',
    '  https://evil.example/red.png  ',
    'ht\ttps://evil.example/red.png',
    'https://evil.example:443/red.png',
    'https://user:pass@evil.example/red.png',
  ];
  for (const src of SRC) {
    it(`<img src=${JSON.stringify(src)}>`, async () => {
      await expectError(await render('img', src), 500, 'route_error', /image host "evil\.example" is not allowed/);
      expect(fetched).toEqual([]);
    });
  }

  const CSS_VALUES = [
    'url("https://evil.example/a b.png")',
    "url( 'https://evil.example/red.png' )",
    'url(\n  https://evil.example/red.png\n)',
    'URL(https://evil.example/red.png)',
    'url(http\\3a //evil.example/red.png)',
    'url(https\\:\\/\\/evil\\.example/red.png)',
    'url(http:/evil.example/red.png)',
    'url(//evil.example/red.png)',
    'linear-gradient(#fff, #fff), url(https://evil.example/red.png)',
    'url(https://images.example/red.png), url(https://evil.example/red.png)',
  ];
  for (const css of CSS_VALUES) {
    it(`backgroundImage: ${JSON.stringify(css)}`, async () => {
      await expectError(await render('backgroundImage', css), 500, 'route_error', /image host "evil\.example" is not allowed/);
      expect(fetched.filter((u) => u.includes('evil'))).toEqual([]);
    });
  }

  it('reads the allowed host in the same spellings and fetches its canonical URL', async () => {
    for (const src of ['http:images.example/red.png', 'HTTPS://images.example/red.png', '//images.example/red.png']) {
      fetched = [];
      const res = await render('img', src);
      expect(res.status, src).toBe(200);
      expect(fetched).toEqual([new URL(src, 'https://x').href]);
      expect(await redAtCentre(res)).toBe(true);
    }
  });

  it('keeps url(#id), a reference into the document, as it is', async () => {
    const card = { type: 'div', props: { style: { filter: 'url(#soft)', clipPath: 'url( "#round" )', backgroundImage: 'url(https://images.example/red.png)' } } };
    const prepared = (await prepareElement(card, { policy: getConfig({ ...POLICY }).images, segment: 'test' })) as typeof card;
    expect(prepared.props.style.filter).toBe('url(#soft)');
    expect(prepared.props.style.clipPath).toBe('url( "#round" )');
    expect(prepared.props.style.backgroundImage).toMatch(/^url\(data:image\/png;base64,iVBOR/);
    expect(fetched).toEqual(['https://images.example/red.png']);
  });

  it('refuses schemes other than http(s) and data:', async () => {
    for (const src of ['file:///etc/passwd', 'ftp://images.example/red.png', 'blob:https://images.example/x', 'javascript:alert(1)']) {
      await expectError(await render('img', src), 500, 'route_error', /is not http\(s\), a data: URL or a path in public\//);
    }
    expect(fetched).toEqual([]);
  });
});

describe('the allowlist checks the port', () => {
  it('allows a host:port entry on that port only', async () => {
    expect((await render('img', 'http://localhost:8787/red.png')).status).toBe(200);
    for (const src of ['http://localhost:9999/red.png', 'http://localhost/red.png', 'https://localhost/red.png']) {
      await expectError(await render('img', src), 500, 'route_error', /image host "localhost(:9999)?" is not allowed/);
    }
    expect(fetched).toEqual(['http://localhost:8787/red.png']);
  });

  it('allows a host without a port on its scheme’s default port only', async () => {
    expect((await render('img', 'https://images.example:443/red.png')).status).toBe(200);
    expect((await render('img', 'https://cdn.pics.example/red.png')).status).toBe(200);
    for (const src of ['https://images.example:8443/red.png', 'http://images.example:443/red.png', 'https://cdn.pics.example:8080/red.png']) {
      await expectError(await render('img', src), 500, 'route_error', /is not allowed/);
    }
    // `localhost` alone no longer opens every port.
    await expectError(await render('img', 'http://localhost:9999/red.png', { IMAGE_HOSTS: 'localhost' }), 500, 'route_error', /"localhost:9999" is not allowed/);
    expect(fetched).toEqual(['https://images.example/red.png', 'https://cdn.pics.example/red.png']);
  });
});

describe('time and bytes are bounded, whatever the spelling', () => {
  it('answers 502 when a host does not answer in time', async () => {
    await expectError(await render('background', 'url(https://images.example/slow.png)'), 502, 'image_fetch_failed', /no answer within 300 ms/);
  });

  it('answers 502 when a body stalls, and lets go of it', async () => {
    await expectError(await render('background', 'url(https://images.example/stalled.png)'), 502, 'image_fetch_failed', /no answer within 300 ms/);
    expect(lastBody?.cancelled).toBe(true);
  });

  it('stops reading a 150 MiB body at the cap, without buffering it', async () => {
    await expectError(await render('background', 'url(https://images.example/huge.png)'), 502, 'image_fetch_failed', /over the 1048576-byte cap/);
    expect(lastBody?.cancelled).toBe(true);
    // Read one chunk past the cap, then cancelled: 2 of the 150 MiB at most.
    expect(lastBody!.pulled).toBeLessThanOrEqual(2 * MiB);
  });
});

describe('the decoded size is read from the header, before anything decodes', () => {
  it('refuses a 49 KB PNG that decodes to 20000×20000, from any source', async () => {
    expect(BOMB.byteLength).toBeLessThan(60_000);
    await expectError(await render('img', 'https://images.example/bomb.png'), 500, 'limit_exceeded', /image https:\/\/images\.example\/bomb\.png decodes to 400000000 pixels, over the 4194304-pixel limit per image \(IMAGE_MAX_PIXELS\)/);
    await expectError(await render('backgroundImage', 'url(https://images.example/bomb.png)'), 500, 'limit_exceeded', /IMAGE_MAX_PIXELS/);
    // The same bytes inline, or handed over by the route: the route's own fault.
    await expectError(await render('dataUrl', 'https://images.example/bomb.png'), 500, 'limit_exceeded', /decodes to 400000000 pixels/);
    await expectError(await render('bytes', 'https://images.example/bomb.png'), 500, 'limit_exceeded', /decodes to 400000000 pixels/);

  });

  it('bounds the pixels of all the images of one render together', async () => {
    answers['/a.png'] = () => new Response(square(1500));
    answers['/b.png'] = () => new Response(square(1500));
    const css = 'url(https://images.example/a.png), url(https://images.example/b.png)';
    expect((await render('backgroundImage', css)).status).toBe(200);
    await expectError(await render('backgroundImage', css, { RENDER_MAX_IMAGE_PIXELS: '4000000' }), 500, 'limit_exceeded', /over 4000000 pixels together \(RENDER_MAX_IMAGE_PIXELS\)/);
    await expectError(await render('img', 'https://images.example/a.png', { IMAGE_MAX_PIXELS: '2000000' }), 500, 'limit_exceeded', /2250000 pixels, over the 2000000-pixel limit/);
  });
});

describe('an image that cannot be drawn is a 502, never a hole in a cached card', () => {
  const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0);
  const BROKEN: [string, () => Response, RegExp][] = [
    ['HTML labelled image/png', () => new Response('<!doctype html><title>Sign in</title>', { headers: { 'Content-Type': 'image/png' } }), /markup that is not SVG \(served as content type "image\/png"\)/],
    ['a truncated PNG', () => new Response(RED.slice(0, RED.length - 20), { headers: { 'Content-Type': 'image/png' } }), /PNG is truncated/],
    ['a PNG with a corrupt chunk', () => new Response(RED.map((b, i) => (i === 40 ? b ^ 0xff : b)), { headers: { 'Content-Type': 'image/png' } }), /PNG is corrupt/],
    ['a JPEG cut off after its header', () => new Response(JPEG, { headers: { 'Content-Type': 'image/jpeg' } }), /JPEG is truncated/],
    ['random bytes', () => new Response(crypto.getRandomValues(new Uint8Array(2000)), { headers: { 'Content-Type': 'image/png' } }), /not PNG, JPEG, GIF or SVG/],
    ['WebP, which resvg 2.6 cannot draw', () => new Response(Uint8Array.of(...new TextEncoder().encode('RIFF'), 30, 0, 0, 0, ...new TextEncoder().encode('WEBPVP8L')), { headers: { 'Content-Type': 'image/webp' } }), /WebP, which the renderer \(resvg 2\.6\) cannot draw/],
  ];
  for (const [what, answer, message] of BROKEN) {
    it(what, async () => {
      answers['/flaky.png'] = answer;
      const url = `https://images.example/flaky.png?${unique()}`;
      const path = pathOf('background', `url(${url})`);
      const vars = { BUILD_ID: unique() };
      await expectError(await call(path, vars), 502, 'image_fetch_failed', message);
      await expectError(await call(path, vars), 502, 'image_fetch_failed', message);
      expect(fetched).toEqual([url, url]);
      if (r2) expect((await r2.list({ prefix: `images/pictures/${path.split('/')[2]}/` })).objects).toEqual([]);
      // Once the host serves the picture, the same URL renders it: nothing was cached.
      answers['/flaky.png'] = () => new Response(RED, { headers: { 'Content-Type': 'image/png' } });
      const res = await call(path, vars);
      expect(res.status).toBe(200);
      expect(res.headers.get('X-Cache')).toBe('miss');
      expect(await redAtCentre(res)).toBe(true);
    });
  }

  it('labels an image by its bytes, not by what the server said', async () => {
    answers['/mislabelled'] = () => new Response(RED, { headers: { 'Content-Type': 'application/octet-stream' } });
    const res = await render('img', 'https://images.example/mislabelled');
    expect(res.status).toBe(200);
    expect(await redAtCentre(res)).toBe(true);
  });

  it('is the route’s fault (500) when the card’s own bytes are broken', async () => {
    await expectError(await render('img', `data:image/png;base64,${btoa(String.fromCharCode(...RED.slice(0, 30)))}`), 500, 'route_error', /image data:image\/png;base64,.*PNG is truncated/);
    answers['/page'] = () => new Response('<html></html>', { headers: { 'Content-Type': 'text/html' } });
    await expectError(await render('bytes', 'https://images.example/page'), 500, 'route_error', /bytes given as src.*markup that is not SVG/);
  });
});

describe('images inside SVG, which resvg does not draw, are refused rather than left as holes', () => {
  it('an inline <svg><image href> is refused without a fetch, whatever its host', async () => {
    for (const href of ['https://images.example/red.png', 'https://evil.example/red.png']) {
      await expectError(await render('svgImage', href), 500, 'route_error', /an <image> inside an <svg> is not drawn/);
    }
    expect(fetched).toEqual([]);
  });

  it('an SVG file that embeds a picture is a 502 naming why', async () => {
    const png = `data:image/png;base64,${btoa(Array.from(RED, (b) => String.fromCharCode(b)).join(''))}`;
    answers['/logo.svg'] = () =>
      new Response(`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><image href="${png}" width="64" height="64"/></svg>`, {
        headers: { 'Content-Type': 'image/svg+xml' },
      });
    await expectError(await render('img', 'https://images.example/logo.svg'), 502, 'image_fetch_failed', /SVG with <image> elements, which the renderer does not draw/);
  });

  it('draws an SVG file without images', async () => {
    answers['/square.svg'] = () =>
      new Response('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4" fill="red"/></svg>', {
        headers: { 'Content-Type': 'text/plain' },
      });
    const res = await render('img', 'https://images.example/square.svg');
    expect(res.status).toBe(200);
    expect(await redAtCentre(res)).toBe(true);
  });
});

describe('satori never loads an image itself', () => {
  it('throws on any image that is not a data: URL, before fetching it', async () => {
    const card = { type: 'img', props: { src: 'https://images.example/red.png', width: 64, height: 64 } };
    await expect(renderImage(card, { width: 64, height: 64, format: 'image/png' })).rejects.toThrow(
      /\[og-edge\] satori was asked to load the image "https:\/\/images\.example\/red\.png" itself/,
    );
    const background = { type: 'div', props: { style: { display: 'flex', width: 64, height: 64, backgroundImage: 'url(http:/images.example/red.png)' } } };
    await expect(renderImage(background, { width: 64, height: 64, format: 'image/png' })).rejects.toThrow(/\[og-edge\] satori was asked to load/);
    expect(fetched).toEqual([]);
  });
});
