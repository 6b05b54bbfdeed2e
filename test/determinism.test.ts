// Same item, same bytes: a render is a function of the card alone, whatever
// the isolate rendered before it (versioned URLs are cached for a year, so
// the first variant rendered would be the one kept). Cards in the styles of
// satori's own tests and real OG cards are rendered in several orders in one
// isolate; every render of a card must be byte-identical, as SVG (satori's
// layout) and as PNG.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { renderImage } from '../src/render/index';
import type { ContentType } from '../src/types';

const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;

type El = { type: string; props: Record<string, unknown> };
const h = (type: string, props: Record<string, unknown>, ...children: unknown[]): El => ({
  type,
  props: { ...props, children: children.length === 1 ? children[0] : children },
});
const card = (children: unknown, style: Record<string, unknown> = {}, props: Record<string, unknown> = {}) =>
  h(
    'div',
    { ...props, style: { width: '100%', height: '100%', display: 'flex', flexDirection: 'column', padding: 40, background: 'white', fontSize: 40, ...style } },
    children,
  );

// A route's own font: Noto Sans Hebrew from the static assets (TrueType, as a
// route might fetch it), which has Latin too.
const routeFont = async () => ({
  name: 'Route Sans',
  data: await (await assets.fetch('https://assets.invalid/fonts/noto-sans-hebrew/noto-sans-hebrew-hebrew-400-normal.ttf')).arrayBuffer(),
  weight: 400 as const,
  style: 'normal' as const,
});

const CARDS: Record<string, () => unknown> = {
  // A code snippet: blank lines and tabs take the line height of the last font.
  code: () =>
    card(h('div', { style: { whiteSpace: 'pre', fontFamily: 'monospace', fontSize: 28, tabSize: 4 } }, 'function greet(name) {\n\tif (!name) {\n\n\t\treturn "hi";\n\t}\n\n\treturn `hi ${name}`;\n}'), {
      background: '#0f172a',
      color: '#e2e8f0',
    }),
  // satori's tab-size tests.
  'tab-size': () =>
    card([
      h('div', { style: { whiteSpace: 'pre', tabSize: 2 } }, '\ta\tb'),
      h('div', { style: { whiteSpace: 'pre', tabSize: '40px' } }, '\ta\tb'),
      h('div', { style: { whiteSpace: 'pre-wrap' } }, '\t\tx'),
    ]),
  ja: () => card('東京で開かれた技術カンファレンスのまとめ'),
  zh: () => card('边缘渲染的开放图谱图像'),
  'ja-lang': () => card('直骨刃今海', {}, { lang: 'ja-JP' }),
  ar: () => card('مرحبا بالعالم، هذه بطاقة', { direction: 'rtl' } as Record<string, unknown>),
  emoji: () => card('Ship it 🚀 👩‍💻 🇯🇵 #️⃣ 👋🏽'),
  symbols: () => card('✓ ★ → ∞ ≠ √ ⌘ 𝔸'),
  indic: () => card('বাংলা தமிழ் ગુજરાતી'),
};

async function render(name: string, format: ContentType) {
  const route = name.startsWith('route:');
  const element = CARDS[route ? name.slice(6) : name]!();
  const { bytes } = await renderImage(element, { width: 800, height: 420, format, assets, fonts: route ? [await routeFont()] : undefined });
  return bytes;
}

const names = [...Object.keys(CARDS), 'route:code', 'route:emoji', 'route:tab-size'];
const hex = async (b: Uint8Array) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', b))].map((x) => x.toString(16).padStart(2, '0')).join('');

describe('a render depends only on the card', () => {
  for (const format of ['image/png', 'image/svg+xml'] as const) {
    it(`${format}: byte-identical in any order, after cards in every script`, { timeout: 600_000 }, async () => {
      const seen = new Map<string, string>();
      const differs: string[] = [];
      const check = async (name: string, after: string) => {
        const digest = await hex(await render(name, format));
        const first = seen.get(name);
        if (first === undefined) seen.set(name, digest);
        else if (first !== digest) differs.push(`${name} after ${after}`);
      };
      // In order (the code card first), in reverse, then each card right after each other one.
      let prev = '(start)';
      for (const n of names) await check(n, prev), (prev = n);
      for (const n of [...names].reverse()) await check(n, prev), (prev = n);
      // Every pair as SVG; as PNG (slower), the cards most affected after those that load fonts.
      const pairs =
        format === 'image/svg+xml'
          ? names.flatMap((a) => names.filter((b) => b !== a).map((b) => [a, b]))
          : ['ja', 'ar', 'symbols'].flatMap((a) => ['code', 'tab-size', 'ja-lang', 'route:emoji'].map((b) => [a, b]));
      for (const [a, b] of pairs) await render(a!, format), await check(b!, a!);
      expect(differs).toEqual([]);
    });
  }
});
