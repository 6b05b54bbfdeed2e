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
import { emojiSamples, samplesCard, SCRIPT_SAMPLES } from '../bench/cards.mjs';
import { EMOJI_SETS } from '../generated/assets';
import { renderImage } from '../src/render/index';
import { body, get } from './helpers/http';
import { withExample } from './helpers/examples';
import { rgbaOf } from './helpers/png';

const golden = (env as unknown as { GOLDEN: Fetcher }).GOLDEN;

/** Share of pixels allowed to differ (anti-aliasing noise), and pixelmatch's per-pixel colour threshold. */
const MAX_DIFF_RATIO = 0.001;
const THRESHOLD = 0.1;

const CASES: [name: string, path: string, what: string][] = [
  ['latin', '/blog/cafe-creme/image/og', 'Latin with accents (bundled Geist)'],
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

/**
 * GOLDEN is served by Node, whose HTTP server closes a connection idle for 5 s:
 * after a long render workerd may reuse one just closed ("Network connection
 * lost"). A request that never reached Node is safe to send again.
 */
async function goldenFetch(name: string, init?: RequestInit): Promise<Response> {
  try {
    return await golden.fetch(`http://golden/${name}`, init);
  } catch (e) {
    if (!String(e).includes('Network connection lost')) throw e;
    return golden.fetch(`http://golden/${name}`, init);
  }
}

/** Compares a render with test/golden/<name>.png; a difference (or no reference) is written to test/golden/actual/. */
async function compare(name: string, bytes: Uint8Array) {
  const ref = await goldenFetch(`${name}.png`);
  if (ref.status === 404) {
    await goldenFetch(`${name}.png`, { method: 'PUT', body: bytes });
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
    await goldenFetch(`${name}.png`, { method: 'PUT', body: bytes });
    await goldenFetch(`${name}-diff.png`, {
      method: 'PUT',
      body: encode({ width: actual.width, height: actual.height, data: diff, channels: 4 }),
    });
  }
  expect(ratio, `${differing} pixels differ (see test/golden/actual/${name}.png and ${name}-diff.png)`).toBeLessThanOrEqual(MAX_DIFF_RATIO);
}

describe('golden images', () => {
  for (const [name, path, what] of CASES) {
    withExample(path.split('/')[1]!)(`${name}: ${what}`, { timeout: 60_000 }, async () => {
      const res = await get(path);
      const bytes = await body(res);
      expect(res.status, new TextDecoder().decode(bytes.slice(0, 300))).toBe(200);
      await compare(name, bytes);
    });
  }
});

// Scripts and symbols from the fonts shipped as static assets, one card each
// (rendered directly: the example routes stay small; the bench's memory mode
// draws the same cards).
const h = (type: string, props: Record<string, unknown> | null, ...children: unknown[]) => ({
  type,
  props: { ...props, children: children.length === 1 ? children[0] : children },
});

const SCRIPT_CASES: [name: string, what: string, element: unknown][] = [
  ['scripts-indic', 'Bengali, Tamil, Telugu, Kannada, Malayalam, Gujarati, Gurmukhi, Sinhala: conjuncts and vowel signs', samplesCard(h, SCRIPT_SAMPLES.indic)],
  ['scripts-other', 'Khmer, Lao, Myanmar, Georgian, Armenian, Ethiopic', samplesCard(h, SCRIPT_SAMPLES.other)],
  ['symbols', 'symbols, arrows and math (Noto Sans Symbols, Symbols 2, Math)', samplesCard(h, SCRIPT_SAMPLES.symbols)],
];

describe('golden images: shipped scripts and symbols', () => {
  const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;
  for (const [name, what, element] of SCRIPT_CASES) {
    it(`${name}: ${what}`, { timeout: 60_000 }, async () => {
      const { bytes, missingGlyphs } = await renderImage(element, { width: 1200, height: 630, format: 'image/png', assets });
      expect(missingGlyphs).toEqual([]);
      await compare(name, bytes);
    });
  }
});

// Every shipped emoji set: ZWJ sequences, skin tones, flags and keycaps.
const emojiCard = (set: string) => samplesCard(h, emojiSamples(set));

describe('golden images: emoji sets', () => {
  const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;
  for (const set of EMOJI_SETS) {
    it(`emoji-${set}`, { timeout: 60_000 }, async () => {
      const { bytes } = await renderImage(emojiCard(set), { width: 1200, height: 630, format: 'image/png', assets, emoji: set });
      await compare(`emoji-${set}`, bytes);
    });
  }
});
