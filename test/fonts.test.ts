// How a card's fonts are chosen: a route's own fonts render as next/og
// renders them (satori with those fonts, the service's only for what they
// lack), the default is Geist as in next/og 16, code points no shipped font
// has are reported, and an emoji set that is not shipped is an error.
import { env } from 'cloudflare:test';
import satori from 'satori/standalone';
import { beforeAll, describe, expect, it } from 'vitest';
import geist400 from '../generated/fonts/geist-latin-400-normal.ttf';
import { emojiNames, fallbacksFor, filesOf } from '../src/render/assets';
import { BUNDLED } from '../src/render/fonts';
import { renderImage } from '../src/render/index';
import { body, get, unique } from './helpers/http';

const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;
const decoder = new TextDecoder();

type El = { type: string; props: Record<string, unknown> };
const h = (type: string, props: Record<string, unknown>, ...children: unknown[]): El => ({
  type,
  props: { ...props, children: children.length === 1 ? children[0] : children },
});
const card = (...children: unknown[]) =>
  h('div', { style: { width: '100%', height: '100%', display: 'flex', flexDirection: 'column', padding: 40, background: 'white', fontSize: 40 } }, ...children);

// A route's own font, fetched as a Next.js route fetches it: Noto Sans Math has
// Latin, and a line height far from Geist's, so any font added after it shows.
let routeFonts: { name: string; data: ArrayBuffer; weight: 400; style: 'normal' }[];
beforeAll(async () => {
  const res = await assets.fetch('https://assets.invalid/fonts/noto-sans-math/noto-sans-math-latin-400-normal.ttf');
  routeFonts = [{ name: 'Route Math', data: await res.arrayBuffer(), weight: 400, style: 'normal' }];
});

/** Twemoji the way next/og loads it, from the same files. */
async function twemoji(_code: string, segment: string) {
  for (const name of emojiNames(segment)) {
    const res = await assets.fetch(`https://assets.invalid/emoji/twemoji/${name}.svg`);
    if (res.ok) return `data:image/svg+xml;base64,${btoa(await res.text())}`;
  }
  return [];
}

const svgOf = async (element: unknown, fonts?: { name: string; data: ArrayBuffer; weight: 400; style: 'normal' }[]) =>
  decoder.decode((await renderImage(element, { width: 800, height: 420, format: 'image/svg+xml', assets, fonts })).bytes);

const direct = (element: unknown, fonts: { name: string; data: ArrayBuffer; weight: 400; style: 'normal'; lang?: string }[]) =>
  satori(element as Parameters<typeof satori>[0], { width: 800, height: 420, fonts, loadAdditionalAsset: twemoji as never });

// Cards from satori's emoji and tab-size tests, and a code snippet.
const CARDS: [string, El][] = [
  ['emoji lines', card('Launch day 🚀🎉', 'Team 👩‍💻👨🏽‍🚀 🇫🇷 #️⃣')],
  ['tab stops', card(h('div', { style: { whiteSpace: 'pre', tabSize: 4 } }, 'a\tbb\tccc\td'), h('div', { style: { whiteSpace: 'pre' } }, '\t\tindented'))],
  ['code with blank lines', card(h('div', { style: { whiteSpace: 'pre', fontSize: 24 } }, 'if (x) {\n\n\treturn y;\n}\n\nend'))],
];

describe('a route that passes fonts', () => {
  for (const [what, element] of CARDS) {
    it(`renders as next/og would with those fonts: ${what}`, async () => {
      expect(await svgOf(element, routeFonts)).toBe(await direct(element, routeFonts));
    });
  }

  it('gets the service fonts only for glyphs its own lack, after its own', async () => {
    // Noto Sans Math has no Hebrew or Japanese: next/og would append fonts for those
    // (from Google Fonts) after the route's, and nothing else (no default font).
    const element = card('Hello, world', 'שלום 日本語');
    const { bytes, missingGlyphs } = await renderImage(element, { width: 800, height: 420, format: 'image/svg+xml', assets, fonts: routeFonts });
    expect(missingGlyphs).toEqual([]);
    const needed = [...new Set([...'שלום'].flatMap((c) => fallbacksFor(c.codePointAt(0)!, 'he-IL')).concat([...'日本語'].flatMap((c) => fallbacksFor(c.codePointAt(0)!, 'ja-JP|zh-CN|zh-TW|zh-HK'))))];
    needed.sort((a, b) => a.rank - b.rank);
    const appended = [];
    for (const f of needed) {
      for (const [i, path] of filesOf(f).entries()) {
        const data = await (await assets.fetch(`https://assets.invalid/${path}`)).arrayBuffer();
        appended.push({ name: f.key, data, weight: f.font!.weights[i] as 400, style: 'normal' as const, lang: f.langs[0] });
      }
    }
    expect(decoder.decode(bytes)).toBe(await direct(element, [...routeFonts, ...appended]));
  });
});

describe('the default font', () => {
  it('is Geist, as next/og 16 draws a module that passes no fonts', async () => {
    const element = card('Hello, world! The quick brown fox');
    const geist = [{ name: 'geist', data: geist400, weight: 400 as const, style: 'normal' as const }];
    expect(await svgOf(element)).toBe(await direct(element, geist));
  });
});

describe('the bundled defaults a card gets', () => {
  // A card gets only the bundled subsets its text has characters of (plus the
  // Latin ones and the last): the SVG must be the one all 24 files give, which
  // a route passing them all as its own fonts still gets.
  const all = BUNDLED.flatMap((b) => b.fonts);
  const svg = async (element: unknown, fonts?: typeof all) =>
    decoder.decode((await renderImage(element, { width: 800, height: 420, format: 'image/svg+xml', assets, fonts })).bytes);
  const styled = (text: string, style: Record<string, unknown>) =>
    h('div', { style: { width: '100%', height: '100%', display: 'flex', padding: 40, background: 'white', fontSize: 40, ...style } }, text);
  const cases: [string, unknown][] = [
    ['Latin Extended', card('Zażółć gęślą jaźń — Ærøskøbing, Ţară, Œuvre')],
    ['Cyrillic', card('Съешь же ещё этих мягких французских булок ҐґЄє')],
    ['Greek', card('Ξεσκεπάζω την ψυχοφθόρα βδελυγμία ἀρχή')],
    ['Vietnamese', card('Tiếng Việt: Đường phố Hà Nội ở đâu?')],
    ['scripts mixed, and a fallback after them', card('Ωmega · Ж · ş · ệ · → · 東京')],
    ['blank lines in pre (the last font sets their height)', styled('a {\n\n\tb;\n\n}', { whiteSpace: 'pre', fontSize: 28 })],
    ['text-transform', styled('straße ﬁ ĳ', { textTransform: 'uppercase' })],
    ['an ellipsis', styled('A title long enough to be cut with an ellipsis', { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', width: 300 })],
    ['fontFamily Inter, bold', styled('Inter: ĀāĂă Ѐ Ё Ĳ', { fontFamily: 'Inter', fontWeight: 700 })],
    ['a code point no font has', card('Unmapped: \u0378 \u{10FFFD}')],
  ];
  for (const [name, element] of cases) {
    it(`${name}: the same SVG as with every bundled subset`, async () => {
      expect(await svg(element)).toBe(await svg(element, all));
    });
  }
});

describe('coverage', () => {
  const missing = async (text: string) =>
    (await renderImage(card(text), { width: 800, height: 420, format: 'image/svg+xml', assets })).missingGlyphs;

  it('draws symbols, arrows, math and the scripts Noto ships on npm', async () => {
    for (const text of [
      '✓ ★ → ∞ ≠ √ ⌘ ⇧ ♠ ☂',
      '𝔸𝔹ℂ ∑ ∫ ∂ ∇ ⊕',
      'বাংলা தமிழ் తెలుగు ಕನ್ನಡ മലയാളം',
      'ગુજરાતી ਪੰਜਾਬੀ සිංහල ខ្មែរ ລາວ မြန်မာ',
      'ქართული Հայերեն ግዕዝ',
      'Ελληνικά Русский Tiếng Việt',
    ]) {
      expect(await missing(text), text).toEqual([]);
    }
  });

  it('reports a code point no shipped font has, and not whitespace', async () => {
    expect(await missing('private \uE000 use\tand \u{10FFFD}')).toEqual(['U+E000', 'U+10FFFD']);
  });

  it('names them in the X-Missing-Glyphs header of the image, served or cached', async () => {
    // The `single` fixture draws its slug.
    // Cherokee, a script none of the shipped fonts has; the check mark is in Noto Sans Symbols 2.
    const path = `/single/${unique()}-${encodeURIComponent('ᏣᎳᎩ✓')}/image/default`;
    for (const _ of [1, 2]) {
      const res = await get(path);
      await body(res);
      expect(res.status).toBe(200);
      expect(res.headers.get('X-Missing-Glyphs')).toBe('U+13A9,U+13B3,U+13E3');
    }
    const ok = await get(`/single/${unique()}/image/default`);
    await body(ok);
    expect(ok.headers.has('X-Missing-Glyphs')).toBe(false);
  });
});

describe('emoji sets', () => {
  it('a set that is not shipped (blobmoji: no SVGs on npm) is an error naming the set and those available', async () => {
    const render = renderImage(card('🚀'), { width: 200, height: 100, format: 'image/png', assets, emoji: 'blobmoji' });
    await expect(render).rejects.toThrow(/emoji set "blobmoji" is not shipped with this deployment; available: twemoji, noto, openmoji, fluent, fluentFlat/);
  });

  it('every shipped set draws its own images, and names what it lacks (Noto and Fluent have no country flags)', async () => {
    const text = '👩‍💻 ❤️‍🔥 👋🏽 🇯🇵 #️⃣';
    const images = new Map<string, string>();
    for (const set of ['twemoji', 'noto', 'openmoji', 'fluent', 'fluentFlat'] as const) {
      const { bytes, missingGlyphs } = await renderImage(card(text), { width: 800, height: 200, format: 'image/svg+xml', assets, emoji: set });
      const svg = decoder.decode(bytes);
      expect(svg.match(/<image /g)?.length, set).toBe(5);
      images.set(set, svg);
      expect(missingGlyphs, set).toEqual(set === 'noto' || set.startsWith('fluent') ? ['U+1F1EF'] : []);
    }
    expect(new Set(images.values()).size).toBe(5);
  });
});
