// satori with exactly the fonts a card needs, so that a render is a pure
// function of the card, whatever the isolate drew before.
//
// Why this is needed: satori 0.63 keeps one FontLoader per font list (a
// WeakMap on the array, then a string key of the fonts' buffers, 8 kept) and
// adds to that loader every font `loadAdditionalAsset` returns, for good. The
// last font of a loader is also where satori looks for glyphs no font has
// (blank lines and tabs of `white-space: pre` take its line height), and
// `lang` picks between the Han fonts it holds. So fonts fetched for one card
// changed the next card's layout.
//
// Here each render's list is decided from the card alone: the route's fonts
// (or the bundled defaults), then the service's fallbacks the text needs, in
// one fixed order. The fallbacks are planned from the card's text up front;
// when satori still asks for a font the plan lacks, that pass is thrown away
// and satori runs again on the larger list. satori is never handed a font
// after it has started, so its loader for a list only ever holds that list,
// and the list's identity (memoised here) is its key.
//
// Of the 24 bundled default files, a list holds the Latin ones, the last one
// (whose metrics satori uses for glyphs no font has) and those that have a
// character of the card: in their fixed order, so every character meets the
// fonts that have it in the same order as in the full list. Parsing all 24
// took ~30 ms of an isolate's first card.
import satori from 'satori/standalone';
import { OverLimit } from '../errors';
import {
  DEFAULT_EMOJI,
  type EmojiSet,
  type Fallback,
  fallbacksFor,
  filesOf,
  languageCodes,
  loadEmoji,
  loadFallback,
  normalizeLocale,
  onFontEvicted,
  weighFonts,
} from './assets';
import { BUNDLED, type FontOptions, toArrayBuffer } from './fonts';
import { ByteLru } from './lru';
import { shared } from './queue';
import { covers } from './ranges';

export interface TypesetOptions {
  width: number;
  height: number;
  fonts?: readonly FontOptions[];
  emoji: EmojiSet;
  assets?: Fetcher;
  debug?: boolean;
  /** Font files and emoji one render may load (each a fetch from the static assets). */
  maxFontFiles: number;
  maxEmoji: number;
}

export interface Typeset {
  svg: string;
  /** Code points no shipped font has (drawn as the last font's missing-glyph box), as "U+XXXX". */
  missingGlyphs: string[];
}

type SatoriOptions = Parameters<typeof satori>[1];

/** Thrown out of loadAdditionalAsset to stop a pass whose font list was short. */
const REPLAN = Symbol('replan');

const bufferIds = new WeakMap<object, number>();
let nextBufferId = 0;
const idOf = (b: object) => {
  let id = bufferIds.get(b);
  if (id === undefined) bufferIds.set(b, (id = nextBufferId++));
  return id;
};

/**
 * Font lists by their exact content. Few bytes of their own, but they hold
 * their fonts' buffers: a list goes when the budget drops one of its files.
 */
const lists = new ByteLru<{ fonts: FontOptions[]; files: string[] }>(64);
onFontEvicted((path) => {
  for (const key of [...lists.keys()]) if (lists.get(key)?.files.includes(path)) lists.delete(key);
});

const routeKey = (fonts: readonly FontOptions[]) =>
  fonts.map((f) => `${f.name}|${f.weight ?? 400}|${f.style ?? 'normal'}|${f.lang ?? ''}|${idOf(toArrayBuffer(f.data))}`).join(';');

/** Bundled subsets in every default list: the Latin ones, and the last (see above). */
const ALWAYS = new Set(['geist-latin', 'inter-latin', BUNDLED.at(-1)!.key]);

async function fontList(o: TypesetOptions, plan: Fallback[], bundled: ReadonlySet<string>): Promise<FontOptions[]> {
  const base = o.fonts?.length ? o.fonts : undefined;
  const defaults = BUNDLED.filter((b) => ALWAYS.has(b.key) || bundled.has(b.key));
  const key = `${base ? routeKey(base) : defaults.map((b) => b.key).join(',')}#${plan.map((f) => f.rank).join(',')}`;
  const kept = lists.get(key);
  if (kept) return kept.fonts;
  const extra = await Promise.all(plan.map((f) => loadFallback(o.assets, f)));
  const fonts = [...(base ? base.map((f) => ({ ...f, data: toArrayBuffer(f.data) })) : defaults.flatMap((b) => b.fonts)), ...extra.flat()];
  lists.set(key, { fonts, files: plan.flatMap(filesOf) }, 1);
  return fonts;
}

interface Node {
  type?: unknown;
  props?: { children?: unknown; lang?: unknown; [k: string]: unknown };
}

/** Each text of the element tree with the `lang` it is under (components are already resolved). */
function* texts(node: unknown, locale: string | undefined): Generator<[string, string | undefined]> {
  if (typeof node === 'string' || typeof node === 'number') yield [String(node), locale];
  else if (Array.isArray(node)) for (const n of node) yield* texts(n, locale);
  else if (node && typeof node === 'object' && 'props' in node) {
    const { type, props } = node as Node;
    if (type === 'svg' || !props) return; // SVG markup is drawn by resvg, not satori's text
    yield* texts(props.children, normalizeLocale(props.lang) ?? locale);
  }
}

const EMOJI_LIKE = /\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u200d\ufe0f\u20e3]/u;
const CONTROL = /[\p{Cc}\p{Cf}\p{Zs}\p{Zl}\p{Zp}]/u;

/**
 * The bundled subsets the card's text has characters of, and the fallbacks
 * it needs beyond them, as satori would ask for them.
 */
function guess(element: unknown, routeFonts: boolean): { bundled: Set<string>; plan: Set<Fallback> } {
  const bundled = new Set<string>();
  const plan = new Set<Fallback>();
  // A route's own fonts may have any glyph: satori says what they lack.
  if (routeFonts) return { bundled, plan };
  for (const [text, locale] of texts(element, undefined)) {
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) continue; // ASCII: the Latin subsets, always there
      for (const b of bundledWith(cp)) bundled.add(b);
      if (cp < 0x250) continue;
      const key = `${locale ?? ''}|${cp}`;
      let found = needs.get(key);
      if (!found) {
        if (needs.size >= NEEDS_MAX) needs.clear();
        needs.set(key, (found = fallbacksNeeded(ch, cp, locale)));
      }
      for (const f of found) plan.add(f);
    }
  }
  return { bundled, plan };
}

/** The bundled subsets that have `cp`, by key (remembered, like `needs`). */
function bundledWith(cp: number): readonly string[] {
  let keys = withCp.get(cp);
  if (!keys) {
    if (withCp.size >= NEEDS_MAX) withCp.clear();
    withCp.set(cp, (keys = BUNDLED.filter((b) => covers(b.ranges, cp)).map((b) => b.key)));
  }
  return keys;
}
const withCp = new Map<number, readonly string[]>();

/**
 * What one character under one `lang` needs beyond the bundled defaults. A
 * dozen Unicode-property regexps a character: remembered, as card after card
 * repeats the same few thousand characters (a CJK title took ~3 ms a render
 * before). Cleared when full: a few hundred KB at most.
 */
function fallbacksNeeded(ch: string, cp: number, locale: string | undefined): readonly Fallback[] {
  if (CONTROL.test(ch) || EMOJI_LIKE.test(ch)) return [];
  if (bundledWith(cp).length) return [];
  return fallbacksFor(cp, languageCodes(ch, locale));
}
const needs = new Map<string, readonly Fallback[]>();
const NEEDS_MAX = 8192;

const byRank = (a: Fallback, b: Fallback) => a.rank - b.rank;
const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

export async function typeset(element: unknown, o: TypesetOptions): Promise<Typeset> {
  const routeFonts = !!o.fonts?.length;
  const { bundled, plan } = guess(element, routeFonts);
  for (;;) {
    const planned = [...plan].sort(byRank);
    const files = planned.reduce((n, f) => n + filesOf(f).length, 0);
    if (files > o.maxFontFiles) {
      throw new OverLimit(`the card's text needs ${files} font files, over the limit of ${o.maxFontFiles} per render`, 'RENDER_MAX_FONT_FILES');
    }
    const fonts = await shared(fontList(o, planned, bundled));
    const wanted = new Set<Fallback>();
    const missing = new Set<number>();
    let emoji = 0;
    const loadAdditionalAsset = (code: string, segment: string): Promise<string | FontOptions[]> => {
      if (code === 'emoji') {
        if (++emoji > o.maxEmoji) throw new OverLimit(`the card has more than ${o.maxEmoji} distinct emoji, the limit per render`, 'RENDER_MAX_EMOJI');
        if (!o.assets) return Promise.resolve([]);
        const assets = o.assets;
        return shared(loadEmoji(assets, o.emoji, segment)).then(async (url) => {
          if (url) return url;
          // Not in the set (Noto and Fluent have no country flags): reported,
          // and drawn from Twemoji if it has it rather than as a box.
          missing.add(segment.codePointAt(0)!);
          return (o.emoji !== DEFAULT_EMOJI && (await shared(loadEmoji(assets, DEFAULT_EMOJI, segment)))) || [];
        });
      }
      for (const ch of segment) {
        const cp = ch.codePointAt(0)!;
        if (CONTROL.test(ch)) continue;
        // A bundled subset the guess left out joins the defaults, in their order; without route fonts, it is one.
        const inList = (f: Fallback) => (f.bundled && !routeFonts ? ALWAYS.has(f.key) || bundled.has(f.key) : plan.has(f));
        const found = fallbacksFor(cp, code).filter((f) => !inList(f));
        if (found.length) found.forEach((f) => wanted.add(f));
        else missing.add(cp);
      }
      // Everything satori asks for comes in one synchronous batch: the whole
      // list of what is missing is known before the first promise settles.
      return wanted.size ? Promise.reject(REPLAN) : Promise.resolve([]);
    };
    let svg: string;
    try {
      svg = await satori(element as Parameters<typeof satori>[0], {
        width: o.width,
        height: o.height,
        fonts: fonts as SatoriOptions['fonts'],
        loadAdditionalAsset: loadAdditionalAsset as SatoriOptions['loadAdditionalAsset'],
        debug: o.debug,
      });
    } catch (e) {
      if (e !== REPLAN) throw e;
    } finally {
      weighFonts(fonts);
    }
    if (!wanted.size) {
      // A code point a planned font was asked for again is one it does not have.
      return { svg: svg!, missingGlyphs: [...missing].sort((a, b) => a - b).map(hex) };
    }
    wanted.forEach((f) => (f.bundled && !routeFonts ? bundled.add(f.key) : plan.add(f)));
  }
}
