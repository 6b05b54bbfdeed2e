// What one isolate keeps stays within its budgets (least recently used
// dropped), renders beyond RENDER_CONCURRENCY wait in order, and one render
// may load only so many fonts and emoji. Small budgets here, so they evict.
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { getConfig } from '../src/config';
import { FALLBACKS, assetStats, setAssetBudgets } from '../src/render/assets';
import { renderImage, renderQueue } from '../src/render/index';

const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;
const defaults = getConfig({}).render;
afterEach(() => setAssetBudgets(defaults));

const card = (text: string) => ({
  type: 'div',
  props: { style: { width: '100%', height: '100%', display: 'flex', padding: 20, fontSize: 32, background: 'white' }, children: text },
});
const render = (text: string, limits: Partial<typeof defaults> = {}) =>
  renderImage(card(text), { width: 600, height: 200, format: 'image/png', assets, limits: { ...defaults, ...limits } });

// Han characters from far-apart subsets of Noto Sans SC and JP.
const TITLES = ['边缘渲染的开放图谱', '東京の技術会議', '龍鳳麒麟饕餮', '鬱蒼とした森', '쀍뷁 한국어'];

describe('budgets', () => {
  it('font files: the least recently used are dropped, and renders stay the same', { timeout: 120_000 }, async () => {
    const fontBytes = 300_000;
    const first = await render(TITLES[0]!, { fontBytes });
    const before = assetStats().fontEvictions;
    for (const t of TITLES) await render(t, { fontBytes });
    const after = assetStats();
    expect(after.fontEvictions).toBeGreaterThan(before);
    expect(after.fontBytes).toBeLessThanOrEqual(fontBytes);
    // Fetched again after eviction, the same fonts draw the same bytes.
    expect((await render(TITLES[0]!, { fontBytes })).bytes).toEqual(first.bytes);
  });

  it('font files are weighed by what they hold once drawn: their decoded copies and every glyph drawn', { timeout: 120_000 }, async () => {
    // One subset of Noto Sans SC, drawn with more and more of its characters:
    // its file does not grow, what satori keeps of it does (~18 KB a glyph),
    // and the budget sees it. This is what kept an isolate drawing CJK cards
    // growing until it passed 128 MB.
    const subset = FALLBACKS.find((f) => f.key === 'Noto Sans SC 100')!;
    const ranges = subset.ranges();
    const chars: string[] = [];
    for (let i = 0; i < ranges.length && chars.length < 120; i += 2) {
      for (let cp = ranges[i]!; cp <= ranges[i + 1]! && chars.length < 120; cp++) if (cp > 0x3400) chars.push(String.fromCodePoint(cp));
    }
    expect(chars.length).toBe(120);
    await render(chars.slice(0, 4).join(''));
    const few = assetStats().fontBytes;
    await render(chars.join(''));
    const many = assetStats().fontBytes;
    expect(many - few).toBeGreaterThan(116 * 4_000);
    // And a budget that holds the files but not their glyphs drops them.
    await render(chars.join(''), { fontBytes: few + 100_000 });
    expect(assetStats().fontBytes).toBeLessThanOrEqual(few + 100_000);
  });

  it('emoji: the least recently used are dropped', { timeout: 60_000 }, async () => {
    const emojiBytes = 6_000;
    const before = assetStats().emojiEvictions;
    await render('🚀🎉🦄🌍🔥🍕🎸🐙🌈⚡', { emojiBytes });
    const after = assetStats();
    expect(after.emojiEvictions).toBeGreaterThan(before);
    expect(after.emojiBytes).toBeLessThanOrEqual(emojiBytes);
  });

  it('renders beyond the concurrency limit wait, and finish in the order they came', async () => {
    const done: number[] = [];
    const renders = [0, 1, 2].map((i) => render(`card ${i}`, { concurrency: 1 }).then(() => done.push(i)));
    expect(renderQueue()).toEqual({ running: 1, waiting: 2 });
    await Promise.all(renders);
    expect(done).toEqual([0, 1, 2]);
    expect(renderQueue()).toEqual({ running: 0, waiting: 0 });
  });
});

describe('per-render limits', () => {
  it('font files: a clear error naming the limit', async () => {
    await expect(render('边缘渲染的开放图谱图像，每一种文字', { maxFontFiles: 4 })).rejects.toThrow(
      /the card's text needs \d+ font files, over the limit of 4 per render \(RENDER_MAX_FONT_FILES\)/,
    );
  });

  it('emoji: a clear error naming the limit', async () => {
    await expect(render('🚀🎉🦄', { maxEmoji: 2 })).rejects.toThrow(/more than 2 distinct emoji, the limit per render \(RENDER_MAX_EMOJI\)/);
  });

  it('a title with a character from every subset of every font is refused before any fetch', async () => {
    // The last code point of each shipped subset: ~470 subsets, ~900 files.
    const text = FALLBACKS.filter((f) => f.font)
      .map((f) => String.fromCodePoint(f.ranges().at(-1)!))
      .join('');
    const before = assetStats().fontFiles;
    await expect(render(text)).rejects.toThrow(/font files, over the limit of 240 per render/);
    expect(assetStats().fontFiles).toBe(before);
  });
});
