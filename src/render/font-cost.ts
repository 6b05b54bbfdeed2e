// What a font file really holds in an isolate once satori has drawn with it.
//
// satori parses each font buffer once and keeps every glyph it draws on the
// parsed font, for good (opentype.js's lowMemory mode parses glyphs on first
// use, then caches them). A Han glyph is ~18 KB of path objects, so an
// isolate drawing many distinct characters grew by ~5 MB per 100 CJK cards
// until it was killed at 128 MB. The font budget (assets.ts) weighs each file
// by this cost instead of its size: dropping the file drops its glyphs.
import { __fontLoaders, __parsedFonts, type ParsedFont } from 'satori/standalone';

/**
 * Heap bytes per path command and per glyph, calibrated on workerd's heap
 * snapshots of Noto Sans SC and JP glyphs (`npm run bench -- --memory --snapshot`):
 * each command is an object with its numbers, each glyph a Glyph, a Path and
 * their arrays.
 */
const COMMAND_BYTES = 100;
const GLYPH_BYTES = 600;

const measured = new WeakMap<ParsedFont, { glyphs: number; bytes: number }>();

function glyphBytes(font: ParsedFont): number {
  const glyphs = font.glyphs.glyphs;
  let n = 0;
  for (const _ in glyphs) n++;
  const last = measured.get(font);
  if (last?.glyphs === n) return last.bytes;
  let bytes = 0;
  for (const k in glyphs) {
    const g = glyphs[k];
    // A loader not yet called holds nothing; a parsed glyph's path is built (satori drew it).
    if (g && typeof g === 'object') bytes += GLYPH_BYTES + (g.path?.commands?.length ?? 0) * COMMAND_BYTES;
  }
  measured.set(font, { glyphs: n, bytes });
  return bytes;
}

/**
 * Bytes `data` holds: the file, and once satori has parsed it its sfnt
 * (satori's decoded copy of a WOFF or WOFF2, and HarfBuzz's copy in wasm
 * memory) and its glyph cache.
 */
export function fontCost(data: ArrayBuffer): number {
  const font = __parsedFonts.get(data);
  if (!font) return data.byteLength;
  const sfnt = font._rawFontData;
  const decoded = sfnt && sfnt !== data ? sfnt.byteLength : 0;
  return data.byteLength + decoded + (sfnt?.byteLength ?? 0) + glyphBytes(font);
}

/**
 * satori's last FontLoaders hold the parsed fonts of their lists: once the
 * budget drops a font they go too (the next render builds its loader again
 * from fonts already parsed, or parses a dropped one anew).
 */
export function releaseFontLoaders(): void {
  __fontLoaders.clear();
}
