// Work per card is bounded by declared limits (src/render/limits.ts),
// checked before satori runs: hostile cards are refused with a JSON error
// naming the route and the limit, realistic ones render, and every limit is
// a knob. The cards are in test/fixtures/routes/limits.tsx.
import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { call, expectError } from './helpers/call';
import { body } from './helpers/http';
import { near, pixels, pngSize } from './helpers/png';

const r2 = (env as unknown as { IMAGES?: R2Bucket }).IMAGES;
const card = (slug: string, vars: Record<string, string> = {}) => call(`/limits/${slug}/image/card`, vars);

describe('hostile cards are refused before rendering', () => {
  const cases: [string, string][] = [
    ['long-title', 'MAX_TEXT_LENGTH'], // 40,000 characters: ~0.6 GiB peak when rendered
    ['many-divs', 'MAX_ELEMENTS'], // 20,000 divs: ~0.6 GiB
    ['deep', 'MAX_DEPTH'], // 2,000 levels: overflows satori's stack
    ['blur-layers', 'MAX_BLUR_PIXELS'], // 20 blurred 2048² layers: minutes of resvg
    ['huge-blur', 'MAX_BLUR_PIXELS'], // blur(1000px): a 7200×6630 region
    ['huge-shadow', 'MAX_BLUR_PIXELS'], // boxShadow blur 400px: 40,000 px on each side
    ['shadowed-spans', 'MAX_BLUR_PIXELS'], // an inherited textShadow over 400 spans
  ];
  for (const [slug, limit] of cases) {
    it(`${slug}: 500 limit_exceeded naming ${limit}, nothing rendered or cached`, async () => {
      const res = await card(slug);
      expect(res.headers.get('Server-Timing') ?? '').not.toMatch(/satori|raster/);
      await expectError(res, 500, 'limit_exceeded', new RegExp(`^route "limits": the card for "card" has .+ \\(${limit}\\)$`));
      if (r2) expect((await r2.list({ prefix: `images/limits/${slug}/` })).objects).toEqual([]);
    });
  }
});

describe('a refused card is one error log line naming the limit', () => {
  async function logged(res: Promise<Response>) {
    const lines: unknown[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line) => void lines.push(line));
    try {
      await (await res).arrayBuffer();
    } finally {
      spy.mockRestore();
    }
    return lines.map((l) => JSON.parse(String(l))).filter((l) => l.event === 'error');
  }

  it('checked before rendering: MAX_TEXT_LENGTH', async () => {
    const lines = await logged(card('long-title'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', status: 500, code: 'limit_exceeded', limit: 'MAX_TEXT_LENGTH' });
  });

  it('found while rendering: RENDER_MAX_FONT_FILES is a limit_exceeded too, not a render error', async () => {
    const path = '/intl/ja/image/og';
    await expectError(await call(path, { RENDER_MAX_FONT_FILES: '1' }), 500, 'limit_exceeded', /^route "intl": the card for "og": the card's text needs \d+ font files, over the limit of 1 per render \(RENDER_MAX_FONT_FILES\)$/);
    const lines = await logged(call(path, { RENDER_MAX_FONT_FILES: '1' }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ code: 'limit_exceeded', limit: 'RENDER_MAX_FONT_FILES' });
  });
});

describe('realistic cards render within the default limits', () => {
  // [slug, size, a pixel and its colour]
  const cases: [string, [number, number], [number, number], number[]][] = [
    ['blog-title', [1200, 630], [8, 8], [15, 23, 42, 255]],
    ['long-description', [1200, 630], [8, 8], [255, 255, 255, 255]],
    ['contributions', [1200, 630], [8, 8], [13, 17, 23, 255]],
    ['code', [1200, 630], [8, 8], [30, 30, 30, 255]],
    // The panel's dark glass over the blobs, left of its title.
    ['glow', [1200, 630], [140, 140], [15, 23, 42, 255]],
    ['large-blur', [2048, 2048], [1024, 1024], [0, 255, 255, 255]],
  ];
  for (const [slug, [width, height], [x, y], colour] of cases) {
    it(slug, { timeout: 120_000 }, async () => {
      // What is tested is that the limits let the card through; the request
      // deadline (10 s by default) is lifted so a busy machine cannot 504 it.
      const res = await card(slug, { REQUEST_TIMEOUT_MS: '110000' });
      expect(res.status, await res.clone().text().then((t) => t.slice(0, 300))).toBe(200);
      const png = await body(res);
      expect(pngSize(png)).toEqual({ width, height });
      expect(near(pixels(png).at(x, y), colour, 40), `${slug} at ${x},${y}: ${pixels(png).at(x, y)}`).toBe(true);
    });
  }
});

describe('each limit is configurable', () => {
  const cases: [string, string, string][] = [
    ['blog-title', 'MAX_TEXT_LENGTH', '50'],
    ['contributions', 'MAX_ELEMENTS', '100'],
    ['code', 'MAX_DEPTH', '2'],
    ['glow', 'MAX_BLUR_PIXELS', '1000000'],
  ];
  for (const [slug, name, value] of cases) {
    it(`${name}=${value} refuses ${slug}`, async () => {
      await expectError(await card(slug, { [name]: value, BUILD_ID: crypto.randomUUID() }), 500, 'limit_exceeded', new RegExp(`\\(${name}\\)$`));
    });
  }
});
