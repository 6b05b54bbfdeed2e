// satori → SVG → resvg → PNG. The only module that touches the engines.
import { Resvg } from '@resvg/resvg-wasm';
import { type Config, getConfig } from '../config';
import type { ContentType } from '../types';
import { type EmojiSet, emojiSet, setAssetBudgets } from './assets';
import type { FontOptions } from './fonts';
import { demultiply, encodePng } from './png';
import { inlineSvgImages } from './emoji';
import { ByteLru } from './lru';
import { predrawBlurs } from './blurs';
import { drawLayer, liftTopPhoto, predrawPhotos } from './photos';
import { compositeOver, inlineGradientPatterns, splitBackground, unclipBorders } from './svg';
import { Queue } from './queue';
import { typeset } from './typeset';
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
  /**
   * Called before each synchronous stage (layout, raster, encode), which
   * nothing can interrupt: throwing stops the render there (a deadline).
   */
  checkpoint?: (stage: string) => void;
  /** Budgets and per-render limits (RenderLimits in src/config.ts); the defaults when not given. */
  limits?: Config['render'];
}

export interface Rendered {
  bytes: Uint8Array;
  contentType: ContentType;
  /** Milliseconds spent in each stage, for Server-Timing. */
  timings: { satori: number; raster: number };
  /** Code points no shipped font or emoji set has, as "U+XXXX" (drawn as boxes). */
  missingGlyphs: string[];
}

const encoder = new TextEncoder();

/** Premultiplied RGBA of an SVG. satori has already turned text into paths, so resvg needs no fonts. */
function rasterise(svg: string): Uint8Array {
  const resvg = new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } });
  try {
    const image = resvg.render();
    try {
      return image.pixels; // a copy out of wasm memory
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/** Below this, a background is cheap to draw and not worth keeping (icons). */
const MIN_SPLIT_PIXELS = 256 * 256;
/** Bytes of backgrounds kept per isolate (a 1200×630 one is 3 MiB), least recently used dropped first. */
export const BACKGROUND_BYTES = 12 * 1024 * 1024;
const backgrounds = new ByteLru<Uint8Array>(BACKGROUND_BYTES);
/**
 * Backgrounds seen once, by their SVG (a few hundred bytes each): only one
 * seen before is worth keeping. A per-post gradient is drawn once and would
 * only pay for the split, the composite and 3 MiB of memory.
 */
const seenBackgrounds = new ByteLru<true>(256 * 1024);

/** Bytes of background rasters kept in this isolate (tests watch it). */
export const keptBackgroundBytes = () => backgrounds.bytes;

/** The pixels of a background-only SVG, rasterised once per isolate while it is in use. */
function background(svg: string): Uint8Array {
  let pixels = backgrounds.get(svg);
  if (!pixels) {
    pixels = rasterise(svg);
    backgrounds.set(svg, pixels, pixels.byteLength);
  }
  return pixels;
}

/**
 * Premultiplied RGBA of satori's SVG, through the rewrites that draw the same
 * picture for less (svg.ts, emoji.ts, photos.ts, blurs.ts) and, for a background that
 * repeats, over its kept raster.
 */
export function rasteriseCard(svg: string, width: number, height: number): Uint8Array {
  const prepared = unclipBorders(inlineSvgImages(inlineGradientPatterns(svg)));
  const lifted = liftTopPhoto(prepared, width, height, rasterise);
  const pixels = rasteriseRest(lifted?.svg ?? prepared, width, height);
  return lifted ? drawLayer(pixels, width, lifted.layer) : pixels;
}

function rasteriseRest(svg: string, width: number, height: number): Uint8Array {
  const drawn = predrawPhotos(svg, width, height, rasterise);
  const direct = predrawBlurs(drawn, width, height, rasterise);
  const layers = width * height >= MIN_SPLIT_PIXELS ? splitBackground(direct, width, height) : undefined;
  if (!layers) return rasterise(direct);
  if (!seenBackgrounds.has(layers.background) && !backgrounds.has(layers.background)) {
    seenBackgrounds.set(layers.background, true, layers.background.length);
    return rasterise(direct);
  }
  return compositeOver(rasterise(layers.foreground), background(layers.background));
}

const queue = new Queue(4);

/** Renders running and waiting in this isolate (the memory bench reads it). */
export const renderQueue = () => ({ running: queue.running, waiting: queue.waiting });

export async function renderImage(element: unknown, o: RenderOptions): Promise<Rendered> {
  const limits = o.limits ?? getConfig({}).render;
  queue.limit = limits.concurrency;
  setAssetBudgets(limits);
  const emoji = emojiSet(o.emoji);
  return queue.run(() => render(element, o, limits, emoji));
}

async function render(element: unknown, o: RenderOptions, limits: Config['render'], emoji: EmojiSet): Promise<Rendered> {
  await ensureWasm();
  o.checkpoint?.('layout');
  const t0 = performance.now();
  const { svg, missingGlyphs } = await typeset(element, { ...o, ...limits, emoji });
  const t1 = performance.now();
  o.checkpoint?.('raster');
  if (o.format === 'image/svg+xml') {
    return { bytes: encoder.encode(svg), contentType: o.format, timings: { satori: t1 - t0, raster: 0 }, missingGlyphs };
  }
  const { width, height } = o;
  const pixels = rasteriseCard(svg, width, height);
  o.checkpoint?.('encoding');
  // Our own encoders, not resvg's asPng(): a PNG half the size with the same
  // pixels (png.ts), or lossless WebP (webp.ts).
  const bytes = o.format === 'image/webp' ? await encodeWebp(demultiply(pixels), width, height) : await encodePng(pixels, width, height);
  return { bytes, contentType: o.format, timings: { satori: t1 - t0, raster: performance.now() - t1 }, missingGlyphs };
}
