// Fonts for other scripts, symbols and emoji, read from the Worker's static
// assets (the ASSETS binding; scripts/assets.mjs builds them from
// @fontsource/* and the emoji packages). Each font is split in unicode-range
// subsets; only the subsets a card's text needs are fetched. Nothing leaves
// the deployment. What the isolate keeps of them is bounded in bytes, least
// recently used dropped first (src/render/lru.ts).
import { EMOJI_CHUNKS, EMOJI_SETS, FONT_INDEX } from '../../generated/assets';
import { fontCost, releaseFontLoaders } from './font-cost';
import { BUNDLED, type FontOptions, type FontWeight } from './fonts';
import { toDataUrl } from './images';
import { ByteLru, loadOnce } from './lru';
import { covers, decodeRanges } from './ranges';

export type EmojiSet = 'twemoji' | 'blobmoji' | 'noto' | 'openmoji' | 'fluent' | 'fluentFlat';
export const DEFAULT_EMOJI: EmojiSet = 'twemoji';

const ORIGIN = 'https://assets.invalid/';

type Font = (typeof FONT_INDEX)[number];

/**
 * One font the service can add to a render for glyphs the others lack: a
 * bundled subset (Geist, Inter) or a subset in the static assets. `rank` is
 * its place in the one fixed order every font list follows.
 */
export interface Fallback {
  key: string;
  rank: number;
  family: string;
  langs: readonly string[];
  ranges: () => Int32Array;
  bundled?: readonly FontOptions[];
  font?: Font;
  subset?: string;
}

const lazy = <T>(make: () => T) => {
  let v: T | undefined;
  return () => (v ??= make());
};

export const FALLBACKS: readonly Fallback[] = [
  ...BUNDLED.map((b) => ({ key: b.key, family: b.fonts[0]!.name, langs: [], ranges: () => b.ranges, bundled: b.fonts })),
  ...FONT_INDEX.flatMap((font) =>
    font.subsets.map(([subset, r]) => ({
      key: `${font.family} ${subset}`,
      family: font.family,
      langs: font.langs,
      ranges: lazy(() => decodeRanges(r)),
      font,
      subset,
    })),
  ),
].map((f, rank) => ({ ...f, rank }));

const HAN_DEFAULT = 'ja-JP|zh-CN|zh-TW|zh-HK';
const HAN = /\p{scx=Han}/u;

/**
 * The fallback fonts for code point `cp` in text satori marked with `codes`
 * (its language guess, "ar-AR", "ja-JP|zh-CN|zh-TW|zh-HK" for Han, "symbol",
 * "unknown"…). The fonts for the first language come first; then any font
 * that has the glyph, in the fixed order. Han without a `lang` (or with
 * `lang="ja-JP"`, which satori cannot tell apart) gets both Simplified
 * Chinese and Japanese, Chinese first: unmarked text draws Chinese forms,
 * `lang="ja-JP"` text Japanese ones (satori prefers the font of the element's
 * `lang`). Empty when no shipped font has it.
 */
export function fallbacksFor(cp: number, codes: string): Fallback[] {
  const has = (f: Fallback) => covers(f.ranges(), cp);
  const first = (langs: string[]) => FALLBACKS.find((f) => f.langs.some((l) => langs.includes(l)) && has(f));
  if (codes === HAN_DEFAULT && HAN.test(String.fromCodePoint(cp))) {
    return [first(['zh-CN']), first(['ja-JP'])].filter((f): f is Fallback => f !== undefined);
  }
  const own = first([codes.split('|')[0]!]);
  if (own) return [own];
  const any = FALLBACKS.find(has);
  return any ? [any] : [];
}

// satori's own language guess (src/language.ts in satori 0.63), applied to one
// character, to plan a card's fonts before satori asks for them.
const SPECIAL: [string, RegExp][] = [
  ['symbol', /\p{Symbol}/u],
  ['math', /\p{Math}/u],
];
const SCRIPTS: [string, RegExp][] = [
  ['ja-JP', /\p{scx=Hira}|\p{scx=Kana}|\p{scx=Han}|[\u3000]|[\uFF00-\uFFEF]/u],
  ['ko-KR', /\p{scx=Hangul}/u],
  ['zh-CN', HAN],
  ['zh-TW', HAN],
  ['zh-HK', HAN],
  ['th-TH', /\p{scx=Thai}/u],
  ['bn-IN', /\p{scx=Bengali}/u],
  ['ar-AR', /\p{scx=Arabic}/u],
  ['ta-IN', /\p{scx=Tamil}/u],
  ['ml-IN', /\p{scx=Malayalam}/u],
  ['he-IL', /\p{scx=Hebrew}/u],
  ['te-IN', /\p{scx=Telugu}/u],
  ['devanagari', /\p{scx=Devanagari}/u],
  ['kannada', /\p{scx=Kannada}/u],
];
const LOCALES = [...SCRIPTS.map(([c]) => c), ...SPECIAL.map(([c]) => c), 'emoji'];

/** satori's normalizeLocale: `lang="ja"` → "ja-JP", unknown tags → undefined. */
export function normalizeLocale(lang: unknown): string | undefined {
  if (typeof lang !== 'string' || !lang) return undefined;
  return LOCALES.find((l) => l.toLowerCase().startsWith(lang.toLowerCase()));
}

const CJK_LOCALES = ['zh-CN', 'zh-TW', 'zh-HK', 'ko-KR'];

export function languageCodes(ch: string, locale: string | undefined): string {
  for (const [code, re] of SPECIAL) if (re.test(ch)) return code;
  const langs = SCRIPTS.filter(([, re]) => re.test(ch)).map(([c]) => c);
  if (!langs.length) return 'unknown';
  // Not satori's rule: CJK punctuation and full-width forms ("，", "！")
  // match Japanese only, but take their shape from the element's own CJK
  // font (centred in Traditional Chinese), as in a browser.
  if (locale && CJK_LOCALES.includes(locale) && langs[0] === 'ja-JP' && !langs.includes(locale)) langs.unshift(locale);
  const i = locale ? langs.indexOf(locale) : -1;
  if (i > 0) langs.unshift(...langs.splice(i, 1));
  return langs.join('|');
}

// ---------------------------------------------------------------------------
// Loading, within budgets.

export interface AssetBudgets {
  /** Bytes of font files kept per isolate (their parsed forms and glyph caches go with them). */
  fontBytes: number;
  /** Bytes of emoji images kept per isolate. */
  emojiBytes: number;
}

/** Font files by path, weighed by what they hold once drawn with (font-cost.ts). */
const fontFiles = new ByteLru<Promise<FontOptions>>(24 << 20, (key) => {
  evicted.forEach((f) => f(key));
  releaseFontLoaders();
});
/** The path of each font buffer in fontFiles. */
const fontPaths = new WeakMap<ArrayBuffer, string>();
const emojiFiles = new ByteLru<Promise<string | undefined>>(4 << 20);
const evicted: ((key: string) => void)[] = [];

/** Called with each font file's path when the budget drops it (font lists that hold it are dropped too). */
export const onFontEvicted = (f: (path: string) => void) => evicted.push(f);

export function setAssetBudgets(b: AssetBudgets) {
  fontFiles.budget = b.fontBytes;
  // Twemoji's files and the other sets' chunks share the emoji budget.
  emojiFiles.budget = emojiChunks.budget = b.emojiBytes / 2;
}

/** What the isolate keeps, for the memory bench and the budget tests. */
export const assetStats = () => ({
  fontFiles: fontFiles.size,
  fontBytes: fontFiles.bytes,
  fontEvictions: fontFiles.evictions,
  emoji: emojiFiles.size + emojiChunks.size,
  emojiBytes: emojiFiles.bytes + emojiChunks.bytes,
  emojiEvictions: emojiFiles.evictions + emojiChunks.evictions,
});

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

/** The paths of a fallback's files, one per weight (bundled fallbacks have none). */
export function filesOf(f: Fallback): string[] {
  if (!f.font) return [];
  return f.font.weights.map((w) => f.font!.path.replace('{subset}', f.subset!).replace('{weight}', String(w)));
}

/** A fallback's fonts, fetched once while the budget keeps them; a failed fetch is forgotten. */
export function loadFallback(assets: Fetcher | undefined, f: Fallback): Promise<FontOptions[]> {
  if (f.bundled) return Promise.resolve([...f.bundled]);
  if (!assets) return Promise.resolve([]);
  const font = f.font!;
  return Promise.all(
    filesOf(f).map((path, i) =>
      loadOnce(fontFiles, path, async () => {
        const res = await readAsset(assets, path);
        if (!res) throw new Error(`font ${path} is missing from the static assets (run scripts/assets.mjs)`);
        const data = await res.arrayBuffer();
        fontPaths.set(data, path);
        // satori accepts only its own language codes as `lang`.
        const lang = LOCALES.includes(font.langs[0] ?? '') ? font.langs[0] : undefined;
        return { value: { name: f.key, data, weight: font.weights[i] as FontWeight, style: 'normal' as const, lang }, bytes: data.byteLength };
      }),
    ),
  );
}

/**
 * Weighs again the asset fonts a render used, by what each now holds (its
 * parsed form and the glyphs drawn), dropping the least recently used files
 * when that is over the budget. Called after each satori pass.
 */
export function weighFonts(fonts: readonly FontOptions[]): void {
  for (const f of fonts) {
    const path = f.data instanceof ArrayBuffer ? fontPaths.get(f.data) : undefined;
    const p = path && fontFiles.get(path);
    if (p) fontFiles.set(path, p, fontCost(f.data as ArrayBuffer));
  }
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

/** An emoji's key in a chunked set: its code points in hex without U+FE0F (as scripts/assets.mjs writes them). */
const emojiKey = (grapheme: string) =>
  [...grapheme]
    .map((c) => c.codePointAt(0)!)
    .filter((cp) => cp !== 0xfe0f)
    .map((cp) => cp.toString(16))
    .join('-');

/** FNV-1a, as scripts/assets.mjs: which chunk of a set holds an emoji. */
function chunkOf(key: string, chunks: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h % chunks;
}

const emojiChunks = new ByteLru<Promise<Record<string, string>>>(4 << 20);

function loadChunk(assets: Fetcher, set: EmojiSet, n: number): Promise<Record<string, string>> {
  const path = `emoji/${set}/${n}.json`;
  return loadOnce(emojiChunks, path, async () => {
    const res = await readAsset(assets, path);
    if (!res) throw new Error(`emoji ${path} is missing from the static assets (run scripts/assets.mjs)`);
    const text = await res.text();
    return { value: JSON.parse(text) as Record<string, string>, bytes: text.length };
  });
}

/** The emoji set's image of a grapheme as a data: URL, or undefined when the set has none. */
export function loadEmoji(assets: Fetcher, set: EmojiSet, grapheme: string): Promise<string | undefined> {
  const chunks = EMOJI_CHUNKS[set];
  if (chunks) {
    const key = emojiKey(grapheme);
    return loadChunk(assets, set, chunkOf(key, chunks)).then((chunk) => {
      const svg = chunk[key];
      return svg === undefined ? undefined : toDataUrl('image/svg+xml', new TextEncoder().encode(svg));
    });
  }
  return loadOnce(emojiFiles, `${set}/${grapheme}`, async () => {
    for (const name of emojiNames(grapheme)) {
      const res = await readAsset(assets, `emoji/${set}/${name}.svg`);
      if (res) {
        const url = toDataUrl('image/svg+xml', new Uint8Array(await res.arrayBuffer()));
        return { value: url, bytes: url.length };
      }
    }
    return { value: undefined, bytes: 0 };
  });
}

/** The set to draw emoji with: a set that is not shipped is an error, never a silent substitute. */
export function emojiSet(name: string | undefined): EmojiSet {
  const set = name ?? DEFAULT_EMOJI;
  if (!(EMOJI_SETS as readonly string[]).includes(set)) {
    throw new Error(`emoji set "${set}" is not shipped with this deployment; available: ${EMOJI_SETS.join(', ')}`);
  }
  return set as EmojiSet;
}
