// Fonts for other scripts and emoji from the static assets, local images,
// and the border-box default of the pre-render pass.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { emojiNames, fallbacksFor, filesOf } from '../src/render/assets';
import { body, errorOf, get, unique } from './helpers/http';
import { near, pixels } from './helpers/png';

const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;

describe('emoji file names', () => {
  const cases: [string, string][] = [
    ['😀', '1f600'],
    ['👋🏽', '1f44b-1f3fd'], // skin tone
    ['❤️', '2764'], // FE0F dropped without a ZWJ
    ['👩‍💻', '1f469-200d-1f4bb'], // ZWJ
    ['❤️‍🔥', '2764-fe0f-200d-1f525'], // ZWJ keeps FE0F
    ['🏳️‍🌈', '1f3f3-fe0f-200d-1f308'],
    ['👁️‍🗨️', '1f441-200d-1f5e8'], // a ZWJ file without FE0F: the fallback name
    ['🇯🇵', '1f1ef-1f1f5'], // flag
    ['#️⃣', '23-20e3'], // keycap
  ];
  for (const [emoji, file] of cases) {
    it(`${emoji} → ${file}.svg, which is shipped`, async () => {
      const names = emojiNames(emoji);
      expect(names).toContain(file);
      const found = [];
      for (const n of names) if ((await assets.fetch(`https://assets.invalid/emoji/twemoji/${n}.svg`)).ok) found.push(n);
      expect(found[0]).toBe(file);
    });
  }
});

describe('font subsets', () => {
  const families = (ch: string, code: string) => fallbacksFor(ch.codePointAt(0)!, code).map((f) => f.family);

  it('picks fonts by satori language code, then by the glyphs each font has', () => {
    expect(families('字', 'ja-JP|zh-CN|zh-TW|zh-HK')).toEqual(['Noto Sans SC', 'Noto Sans JP']); // Han, no lang
    expect(families('字', 'zh-TW|ja-JP|zh-CN|zh-HK')).toEqual(['Noto Sans TC']);
    expect(families('한', 'ko-KR')).toEqual(['Noto Sans KR']);
    expect(families('م', 'ar-AR')).toEqual(['Noto Sans Arabic']);
    expect(families('क', 'devanagari')).toEqual(['Noto Sans Devanagari']);
    expect(families('বা', 'bn-IN')).toEqual(['Noto Sans Bengali']);
    // No satori language code: found by coverage.
    expect(families('ગ', 'unknown')).toEqual(['Noto Sans Gujarati']);
    expect(families('ក', 'unknown')).toEqual(['Noto Sans Khmer']);
    expect(families('ა', 'unknown')).toEqual(['Noto Sans Georgian']);
    expect(families('Ա', 'unknown')).toEqual(['Noto Sans Armenian']);
    expect(families('✓', 'symbol')).toEqual(['Noto Sans Symbols 2']);
    expect(families('𝔸', 'math')).toEqual(['Noto Sans Math']);
    expect(families('α', 'unknown')).toEqual(['Inter Greek']);
    expect(families('\u{10FFFD}', 'unknown')).toEqual([]); // private use: no font
  });

  it('fetches only the subsets the text needs, and every one exists', async () => {
    const picked = new Set([...'你好世界'].flatMap((ch) => fallbacksFor(ch.codePointAt(0)!, 'zh-CN')));
    expect(picked.size).toBeGreaterThan(0);
    expect(picked.size).toBeLessThanOrEqual(4);
    for (const f of picked) {
      for (const path of filesOf(f)) {
        const res = await assets.fetch(`https://assets.invalid/${path}`);
        expect(res.status, path).toBe(200);
        await res.body?.cancel();
      }
    }
  });
});

describe('local images', () => {
  const blueAtCentre = async (slug: string) => {
    const res = await get(`/local/${slug}/image/card?n=${unique()}`);
    const bytes = await body(res);
    expect(res.status, new TextDecoder().decode(bytes.slice(0, 300))).toBe(200);
    return near(pixels(bytes).at(20, 40), [0x0e, 0xa5, 0xe9, 255], 30);
  };

  it('reads /images/… and images/… from the static assets (public/)', async () => {
    expect(await blueAtCentre('absolute')).toBe(true);
    expect(await blueAtCentre('relative')).toBe(true);
  });

  it('cannot climb out of the assets folder', async () => {
    expect(await blueAtCentre('climbing')).toBe(true); // resolved against the root: /images/globe.svg
  });

  it('answers a clear 500 for a missing file or one that is not an image', async () => {
    for (const [slug, message] of [
      ['missing', /local image \/images\/nope.png is not in the static assets/],
      ['not-an-image', /local image \/fonts\/noto-sans-thai\/noto-sans-thai-thai-400-normal.ttf: its bytes are not PNG, JPEG, GIF or SVG \(served as content type "font\/(ttf|sfnt)"\)/],
    ] as const) {
      const res = await get(`/local/${slug}/image/card?n=${unique()}`);
      expect(res.status).toBe(500);
      const { error } = await errorOf(res);
      expect(error.code).toBe('route_error');
      expect(error.message).toMatch(message);
    }
  });
});

describe('box-sizing', () => {
  const redAt = async (slug: string, x: number) =>
    near(pixels(await body(await get(`/local/${slug}/image/card?n=${unique()}`))).at(x, 25), [255, 0, 0, 255], 10);

  it('is border-box unless a card says otherwise, as with satori 0.32', async () => {
    // width 60 with 20 px of left padding: 60 px in all when border-box…
    expect(await redAt('box-default', 50)).toBe(true);
    expect(await redAt('box-default', 70)).toBe(false);
    // …and 80 px when the card asks for content-box.
    expect(await redAt('box-content', 70)).toBe(true);
    expect(await redAt('box-content', 90)).toBe(false);
  });
});
