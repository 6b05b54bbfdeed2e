// Golden images: whole cards rendered inside workerd and compared pixel by
// pixel with reference PNGs in test/golden/ (read through the GOLDEN binding,
// see vitest.config.ts). They cover text shaping in every shipped script,
// emoji sequences and an image read from the static assets. A render that
// differs is written to test/golden/actual/ (with a -diff image), to be looked
// at; a reference is only ever replaced by hand, after looking at it.
import { env } from 'cloudflare:test';
import { decode, encode } from 'fast-png';
import pixelmatch from 'pixelmatch';
import { describe, expect, it } from 'vitest';
import { body, get } from './helpers/http';
import { withExample } from './helpers/examples';
import { rgbaOf } from './helpers/png';

const golden = (env as unknown as { GOLDEN: Fetcher }).GOLDEN;

/** Share of pixels allowed to differ (anti-aliasing noise), and pixelmatch's per-pixel colour threshold. */
const MAX_DIFF_RATIO = 0.001;
const THRESHOLD = 0.1;

const CASES: [name: string, path: string, what: string][] = [
  ['latin', '/blog/cafe-creme/image/og', 'Latin with accents (bundled Inter)'],
  ['blog-chinese', '/blog/bian-yuan/image/og', 'a Chinese blog title, no lang: Simplified Chinese glyphs'],
  ['intl-en', '/intl/en/image/og', 'English, emoji (skin tone, ZWJ, flags) and the local image'],
  ['intl-zh-hans', '/intl/zh-hans/image/og', 'Simplified Chinese'],
  ['intl-zh-hant', '/intl/zh-hant/image/og', 'Traditional Chinese'],
  ['intl-ja', '/intl/ja/image/og', 'Japanese'],
  ['intl-ko', '/intl/ko/image/og', 'Korean'],
  ['intl-ar', '/intl/ar/image/og', 'Arabic, joined and right to left'],
  ['intl-he', '/intl/he/image/og', 'Hebrew, right to left'],
  ['intl-hi', '/intl/hi/image/og', 'Devanagari conjuncts and vowel signs'],
  ['intl-th', '/intl/th/image/og', 'Thai'],
  ['intl-all', '/intl/all/image/og', 'every script on one card'],
];

describe('golden images', () => {
  for (const [name, path, what] of CASES) {
    withExample(path.split('/')[1]!)(`${name}: ${what}`, async () => {
      const res = await get(path);
      const bytes = await body(res);
      expect(res.status, new TextDecoder().decode(bytes.slice(0, 300))).toBe(200);
      const ref = await golden.fetch(`http://golden/${name}.png`);
      if (ref.status === 404) {
        await golden.fetch(`http://golden/${name}.png`, { method: 'PUT', body: bytes });
        throw new Error(`no reference test/golden/${name}.png: the render is in test/golden/actual/${name}.png; look at it, then copy it up`);
      }
      const refBytes = new Uint8Array(await ref.arrayBuffer());
      const expected = decode(refBytes);
      const actual = decode(bytes);
      expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
      const diff = new Uint8Array(actual.width * actual.height * 4);
      const differing = pixelmatch(rgbaOf(refBytes), rgbaOf(bytes), diff, actual.width, actual.height, { threshold: THRESHOLD });
      const ratio = differing / (actual.width * actual.height);
      if (ratio > MAX_DIFF_RATIO) {
        await golden.fetch(`http://golden/${name}.png`, { method: 'PUT', body: bytes });
        await golden.fetch(`http://golden/${name}-diff.png`, {
          method: 'PUT',
          body: encode({ width: actual.width, height: actual.height, data: diff, channels: 4 }),
        });
      }
      expect(ratio, `${differing} pixels differ (see test/golden/actual/${name}.png and ${name}-diff.png)`).toBeLessThanOrEqual(MAX_DIFF_RATIO);
    });
  }
});
