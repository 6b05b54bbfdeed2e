// satori → SVG → resvg → PNG. The only module that touches the engines.
import { Resvg } from '@resvg/resvg-wasm';
import satori from 'satori/standalone';
import type { ContentType } from '../types';
import { assetLoader, type EmojiSet } from './assets';
import { fontList, type FontOptions } from './fonts';
import { demultiply, encodePng } from './png';
import { inlineGradientPatterns } from './svg';
import { encodeWebp } from './webp';
import { ensureWasm } from './wasm';

export interface RenderOptions {
  width: number;
  height: number;
  format: ContentType;
  fonts?: readonly FontOptions[];
  /** Emoji set (`ImageResponse`'s `emoji`); default Twemoji. */
  emoji?: EmojiSet;
  /** The ASSETS binding: fonts for other scripts and emoji. Without it, only the fonts given. */
  assets?: Fetcher;
  debug?: boolean;
}

export interface Rendered {
  bytes: Uint8Array;
  contentType: ContentType;
  /** Milliseconds spent in each stage, for Server-Timing. */
  timings: { satori: number; raster: number };
}

const encoder = new TextEncoder();

export async function renderImage(element: unknown, o: RenderOptions): Promise<Rendered> {
  await ensureWasm();
  const t0 = performance.now();
  const svg = await satori(element as Parameters<typeof satori>[0], {
    width: o.width,
    height: o.height,
    fonts: fontList(o.fonts) as Parameters<typeof satori>[1]['fonts'],
    loadAdditionalAsset: o.assets ? (assetLoader(o.assets, o.emoji) as Parameters<typeof satori>[1]['loadAdditionalAsset']) : undefined,
    debug: o.debug,
  });
  const t1 = performance.now();
  if (o.format === 'image/svg+xml') {
    return { bytes: encoder.encode(svg), contentType: o.format, timings: { satori: t1 - t0, raster: 0 } };
  }
  // satori has already turned text into paths, so resvg needs no fonts.
  // Gradient backgrounds drawn directly, not through a full-size pattern (svg.ts).
  const resvg = new Resvg(inlineGradientPatterns(svg), { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } });
  let pixels: Uint8Array;
  let width: number;
  let height: number;
  try {
    const image = resvg.render();
    try {
      ({ width, height } = image);
      pixels = image.pixels; // a copy out of wasm memory
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
  // Our own encoders, not resvg's asPng(): a PNG half the size with the same
  // pixels (png.ts), or lossless WebP (webp.ts).
  const bytes = o.format === 'image/webp' ? await encodeWebp(demultiply(pixels), width, height) : await encodePng(pixels, width, height);
  return { bytes, contentType: o.format, timings: { satori: t1 - t0, raster: performance.now() - t1 } };
}
