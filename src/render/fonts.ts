// The bundled fonts: Geist (next/og's default since @vercel/og 1.0) in
// @fontsource's Latin, Latin Extended, Cyrillic and Vietnamese subsets, and
// Inter, which adds Greek and serves what Geist lacks. Regular and bold. The
// files are TrueType that scripts/assets.mjs unwraps from @fontsource's WOFF:
// satori parses TTF in a few ms, WOFF (zlib-inflated in JavaScript) in ~85.
import { BUNDLED_COVERAGE } from '../../generated/assets';
import geistCyrillic400 from '../../generated/fonts/geist-cyrillic-400-normal.ttf';
import geistCyrillic700 from '../../generated/fonts/geist-cyrillic-700-normal.ttf';
import geistCyrillicExt400 from '../../generated/fonts/geist-cyrillic-ext-400-normal.ttf';
import geistCyrillicExt700 from '../../generated/fonts/geist-cyrillic-ext-700-normal.ttf';
import geistLatin400 from '../../generated/fonts/geist-latin-400-normal.ttf';
import geistLatin700 from '../../generated/fonts/geist-latin-700-normal.ttf';
import geistLatinExt400 from '../../generated/fonts/geist-latin-ext-400-normal.ttf';
import geistLatinExt700 from '../../generated/fonts/geist-latin-ext-700-normal.ttf';
import geistVietnamese400 from '../../generated/fonts/geist-vietnamese-400-normal.ttf';
import geistVietnamese700 from '../../generated/fonts/geist-vietnamese-700-normal.ttf';
import cyrillic400 from '../../generated/fonts/inter-cyrillic-400-normal.ttf';
import cyrillic700 from '../../generated/fonts/inter-cyrillic-700-normal.ttf';
import cyrillicExt400 from '../../generated/fonts/inter-cyrillic-ext-400-normal.ttf';
import cyrillicExt700 from '../../generated/fonts/inter-cyrillic-ext-700-normal.ttf';
import greek400 from '../../generated/fonts/inter-greek-400-normal.ttf';
import greek700 from '../../generated/fonts/inter-greek-700-normal.ttf';
import greekExt400 from '../../generated/fonts/inter-greek-ext-400-normal.ttf';
import greekExt700 from '../../generated/fonts/inter-greek-ext-700-normal.ttf';
import latin400 from '../../generated/fonts/inter-latin-400-normal.ttf';
import latin700 from '../../generated/fonts/inter-latin-700-normal.ttf';
import latinExt400 from '../../generated/fonts/inter-latin-ext-400-normal.ttf';
import latinExt700 from '../../generated/fonts/inter-latin-ext-700-normal.ttf';
import vietnamese400 from '../../generated/fonts/inter-vietnamese-400-normal.ttf';
import vietnamese700 from '../../generated/fonts/inter-vietnamese-700-normal.ttf';
import { decodeRanges } from './ranges';

export type FontWeight = 100 | 200 | 300 | 400 | 500 | 600 | 700 | 800 | 900;
export interface FontOptions {
  name: string;
  data: ArrayBuffer | ArrayBufferView;
  weight?: FontWeight;
  style?: 'normal' | 'italic';
  lang?: string;
}

export const DEFAULT_FONT_FAMILY = 'Geist';

/** One bundled subset: a family of its own (satori keeps one font per family, weight and style). */
export interface BundledFont {
  key: string;
  fonts: FontOptions[];
  /** The code points it maps, as sorted [start, end] pairs. */
  ranges: Int32Array;
}

const bundled = (key: string, name: string, regular: ArrayBuffer, bold: ArrayBuffer): BundledFont => ({
  key,
  fonts: [
    { name, data: regular, weight: 400, style: 'normal' },
    { name, data: bold, weight: 700, style: 'normal' },
  ],
  ranges: decodeRanges(BUNDLED_COVERAGE[key]!),
});

/**
 * In order: what a module that passes no fonts draws with, and what a module
 * that passes its own gets for the glyphs they lack. `Geist` and `Inter` name
 * their Latin subsets, so `fontFamily: 'Inter'` keeps working.
 */
export const BUNDLED: readonly BundledFont[] = [
  bundled('geist-latin', DEFAULT_FONT_FAMILY, geistLatin400, geistLatin700),
  bundled('geist-latin-ext', `${DEFAULT_FONT_FAMILY} Latin Ext`, geistLatinExt400, geistLatinExt700),
  bundled('geist-cyrillic', `${DEFAULT_FONT_FAMILY} Cyrillic`, geistCyrillic400, geistCyrillic700),
  bundled('geist-cyrillic-ext', `${DEFAULT_FONT_FAMILY} Cyrillic Ext`, geistCyrillicExt400, geistCyrillicExt700),
  bundled('geist-vietnamese', `${DEFAULT_FONT_FAMILY} Vietnamese`, geistVietnamese400, geistVietnamese700),
  bundled('inter-latin', 'Inter', latin400, latin700),
  bundled('inter-latin-ext', 'Inter Latin Ext', latinExt400, latinExt700),
  bundled('inter-cyrillic', 'Inter Cyrillic', cyrillic400, cyrillic700),
  bundled('inter-cyrillic-ext', 'Inter Cyrillic Ext', cyrillicExt400, cyrillicExt700),
  bundled('inter-greek', 'Inter Greek', greek400, greek700),
  bundled('inter-greek-ext', 'Inter Greek Ext', greekExt400, greekExt700),
  bundled('inter-vietnamese', 'Inter Vietnamese', vietnamese400, vietnamese700),
];


const copies = new WeakMap<ArrayBufferView, ArrayBuffer>();

/**
 * Routes may pass a Uint8Array (e.g. from fetch or an import); satori wants an
 * ArrayBuffer. A view of part of a buffer is copied once per view, so satori
 * sees the same buffer each render and parses it once.
 */
export function toArrayBuffer(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  const view = data as ArrayBufferView;
  if (view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer) {
    return view.buffer;
  }
  let copy = copies.get(view);
  if (!copy) copies.set(view, (copy = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice().buffer));
  return copy;
}
