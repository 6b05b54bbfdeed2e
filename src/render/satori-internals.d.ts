// Two of satori's module-level caches, exported by the build-time patch
// (scripts/satori.mjs, patch 7) so the font budget can weigh and release
// what satori keeps (src/render/font-cost.ts). Read-only use, but for clear().
import 'satori/standalone';

declare module 'satori/standalone' {
  /** A font as satori's opentype.js parses it (lowMemory: glyphs are parsed when first drawn, then kept). */
  export interface ParsedFont {
    glyphs: { glyphs: Record<number, { path?: { commands?: unknown[] } } | (() => unknown) | undefined> };
    /** The font as sfnt (WOFF and WOFF2 decoded), which HarfBuzz copies into its own memory. */
    _rawFontData?: ArrayBuffer;
  }
  /** Parsed fonts by the font buffer a render was given. */
  export const __parsedFonts: WeakMap<ArrayBuffer, ParsedFont | null | undefined>;
  /** The last 8 FontLoaders, by their fonts; each holds its parsed fonts. */
  export const __fontLoaders: Map<string, unknown>;
}
