// Fonts for other scripts and emoji, read from the Worker's static assets
// (the ASSETS binding; scripts/assets.mjs builds them from @fontsource/* and
// @twemoji/svg). satori calls `loadAdditionalAsset(code, segment)` for text
// the loaded fonts cannot draw: `code` is its language guess ("ar-AR",
// "ja-JP|zh-CN|zh-TW|zh-HK" for Han, "emoji"…), `segment` the text (for
// emoji, one grapheme). Only the unicode-range subsets that text needs are
// fetched, each once per isolate; nothing leaves the deployment.
import { EMOJI_SETS, FONT_INDEX } from '../../generated/assets';
import type { FontOptions, FontWeight } from './fonts';
import { toDataUrl } from './images';

export type EmojiSet = 'twemoji' | 'blobmoji' | 'noto' | 'openmoji' | 'fluent' | 'fluentFlat';
export const DEFAULT_EMOJI: EmojiSet = 'twemoji';

type Font = (typeof FONT_INDEX)[number];
interface Subset {
  id: string;
  /** Sorted, non-overlapping [start, end] code point ranges. */
  ranges: Int32Array;
}

const ORIGIN = 'https://assets.invalid/';

/** Decodes the index's "gap.len" base-36 pairs (see scripts/assets.mjs). */
function decodeRanges(encoded: string): Int32Array {
  const parts = encoded.split(',');
  const out = new Int32Array(parts.length * 2);
  let prev = 0;
  parts.forEach((p, i) => {
    const [gap, len = '0'] = p.split('.');
    const start = prev + parseInt(gap!, 36);
    prev = start + parseInt(len, 36);
    out[i * 2] = start;
    out[i * 2 + 1] = prev;
  });
  return out;
}

function covers(ranges: Int32Array, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[mid * 2]!) hi = mid - 1;
    else if (cp > ranges[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

const subsetCache = new Map<Font, Subset[]>();
const subsetsOf = (font: Font): Subset[] => {
  let s = subsetCache.get(font);
  if (!s) subsetCache.set(font, (s = font.subsets.map(([id, r]) => ({ id, ranges: decodeRanges(r) }))));
  return s;
};

const byLang = new Map<string, Font>(FONT_INDEX.flatMap((f) => f.langs.map((l) => [l, f] as [string, Font])));
const HAN_DEFAULT = 'ja-JP|zh-CN|zh-TW|zh-HK';

/**
 * The fonts to try for one of satori's language codes. Han text comes as
 * "ja-JP|zh-CN|zh-TW|zh-HK", reordered when an element sets `lang`. In the
 * default order (no `lang`, or `lang="ja-JP"`: satori cannot tell them apart)
 * both Simplified Chinese and Japanese are loaded, Chinese first: unmarked
 * text gets Chinese glyph forms, `lang="ja-JP"` text gets Japanese ones.
 */
export function fontsFor(code: string): Font[] {
  const codes = code.split('|');
  const picked = code === HAN_DEFAULT ? [byLang.get('zh-CN'), byLang.get('ja-JP')] : [byLang.get(codes[0]!)];
  return picked.filter((f): f is Font => f !== undefined);
}

/** Subset ids of `font` that hold the code points of `text`. */
export function subsetsFor(font: Font, text: string): string[] {
  const subsets = subsetsOf(font);
  const ids = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const s = subsets.find((x) => covers(x.ranges, cp));
    if (s) ids.add(s.id);
  }
  return [...ids];
}

// Per isolate: each subset file is fetched and wrapped once, so satori sees
// the same `data` buffer every time and parses it once (its font cache is
// keyed by the buffer's identity). A failed fetch is forgotten.
const fontFiles = new Map<string, Promise<FontOptions>>();
const emojiFiles = new Map<string, Promise<string | undefined>>();

async function readAsset(assets: Fetcher, path: string): Promise<Response | undefined> {
  const res = await assets.fetch(ORIGIN + path);
  if (res.status === 404) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`static asset ${path}: status ${res.status}`);
  }
  return res;
}

function loadFontFile(assets: Fetcher, font: Font, subset: string, weight: number): Promise<FontOptions> {
  const path = font.path.replace('{subset}', subset).replace('{weight}', String(weight));
  let p = fontFiles.get(path);
  if (!p) {
    p = (async () => {
      const res = await readAsset(assets, path);
      if (!res) throw new Error(`font ${path} is missing from the static assets (run scripts/assets.mjs)`);
      // One family per subset: satori keeps one font per family, weight and style.
      return { name: `${font.family} ${subset}`, data: await res.arrayBuffer(), weight: weight as FontWeight, style: 'normal' as const, lang: font.langs[0] };
    })();
    p.catch(() => fontFiles.delete(path));
    fontFiles.set(path, p);
  }
  return p;
}

/** Twemoji's file name for a grapheme: code points in hex joined by "-". */
export function emojiNames(grapheme: string): string[] {
  const hex = [...grapheme].map((c) => c.codePointAt(0)!.toString(16));
  const stripped = hex.filter((h) => h !== 'fe0f').join('-');
  // Twemoji's own rule: drop U+FE0F unless the sequence has a ZWJ; some ZWJ
  // files drop it anyway (1f441-200d-1f5e8), so the stripped name is tried next.
  const own = grapheme.includes('\u200d') ? hex.join('-') : stripped;
  return [...new Set([own, stripped])];
}

function loadEmoji(assets: Fetcher, set: string, grapheme: string): Promise<string | undefined> {
  const key = `${set}/${grapheme}`;
  let p = emojiFiles.get(key);
  if (!p) {
    p = (async () => {
      for (const name of emojiNames(grapheme)) {
        const res = await readAsset(assets, `emoji/${set}/${name}.svg`);
        if (res) return toDataUrl('image/svg+xml', new Uint8Array(await res.arrayBuffer()));
      }
      return undefined; // not an emoji Twemoji has: satori falls back to the fonts
    })();
    p.catch(() => emojiFiles.delete(key));
    emojiFiles.set(key, p);
  }
  return p;
}

/**
 * satori's `loadAdditionalAsset` over the ASSETS binding. `emoji` picks the
 * set; a set that is not shipped falls back to the default (see README).
 */
export function assetLoader(assets: Fetcher, emoji: EmojiSet | undefined) {
  const set = (EMOJI_SETS as readonly string[]).includes(emoji ?? '') ? emoji! : DEFAULT_EMOJI;
  return async (code: string, segment: string): Promise<string | FontOptions[]> => {
    if (code === 'emoji') return (await loadEmoji(assets, set, segment)) ?? (undefined as unknown as string);
    const loads: Promise<FontOptions>[] = [];
    for (const font of fontsFor(code)) {
      for (const subset of subsetsFor(font, segment)) {
        for (const weight of font.weights) loads.push(loadFontFile(assets, font, subset, weight));
      }
    }
    return Promise.all(loads);
  };
}
