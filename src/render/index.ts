// satori → SVG → resvg → PNG. The only module that touches the engines.
import { Resvg } from '@resvg/resvg-wasm';
import { type Config, getConfig } from '../config';
import type { ContentType } from '../types';
import { type EmojiSet, emojiSet, setAssetBudgets } from './assets';
import type { FontOptions } from './fonts';
import { demultiply, overColour } from './pixels';
import { encodePng } from './png';
import { overBackground } from './backgrounds';
import { inlineSvgImages } from './emoji';
import { predrawBlurs } from './blurs';
import { drawLayer, liftTopPhoto, predrawPhotos } from './photos';
import { inlineGradientPatterns, splitBackground, unclipBorders } from './svg';
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

/**
 * resvg-wasm crops every render to `crop` (the whole canvas when not given),
 * copying the finished pixmap pixel by pixel into a new one: ~2 ms of a
 * 1200×630 card. An empty crop rectangle is no rectangle, so the pixmap is
 * kept as drawn (same pixels, same size; test/perf-pixels.test.ts).
 */
const NO_CROP = { left: 0, top: 0, right: 0, bottom: 0 };

/**
 * Premultiplied RGBA of an SVG. satori has already turned text into paths, so
 * resvg needs no fonts. The SVG goes in as UTF-8 bytes: a string crosses into
 * resvg through wasm-bindgen's JavaScript loop over its characters (~0.5 ms
 * for a card's 100 KB), bytes through one copy.
 */
function rasterise(svg: string): Uint8Array {
  const resvg = new Resvg(encoder.encode(svg), { fitTo: { mode: 'original' }, font: { loadSystemFonts: false }, crop: NO_CROP });
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

/** Below this, a background is cheap to draw and not worth drawing apart (icons). */
const MIN_SPLIT_PIXELS = 256 * 256;

/** A card's pixels (premultiplied RGBA). */
export interface Raster {
  pixels: Uint8Array;
  /**
   * The plain opaque colour (0xBBGGRR) the pixels go on, when the card's
   * background was split off as one: png.ts lays them on it as it encodes.
   */
  under?: number;
}

/**
 * Premultiplied RGBA of satori's SVG, through the rewrites that draw the same
 * picture for less (svg.ts, emoji.ts, photos.ts, blurs.ts), with a gradient
 * background drawn apart (backgrounds.ts), a plain one left to the encoder,
 * and a photo drawn last laid over the result (photos.ts).
 */
export function rasteriseLayers(svg: string, width: number, height: number): Raster {
  const prepared = unclipBorders(inlineSvgImages(inlineGradientPatterns(svg)));
  const lifted = liftTopPhoto(prepared, width, height, rasterise);
  const raster = rasteriseRest(lifted?.svg ?? prepared, width, height);
  return lifted ? { pixels: drawLayer(flatten(raster), width, lifted.layer) } : raster;
}

/** The card's pixels, whole: rasteriseLayers's laid on their colour. */
export function rasteriseCard(svg: string, width: number, height: number): Uint8Array {
  return flatten(rasteriseLayers(svg, width, height));
}

const flatten = ({ pixels, under }: Raster) => (under === undefined ? pixels : overColour(pixels, under));

function rasteriseRest(svg: string, width: number, height: number): Raster {
  const drawn = predrawPhotos(svg, width, height, rasterise);
  const direct = predrawBlurs(drawn, width, height, rasterise);
  const layers = width * height >= MIN_SPLIT_PIXELS ? splitBackground(direct, width, height) : undefined;
  if (layers?.colour !== undefined) return { pixels: rasterise(layers.foreground), under: layers.colour };
  return { pixels: layers ? overBackground(layers, width, height, rasterise) : rasterise(direct) };
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
  const raster = rasteriseLayers(svg, width, height);
  o.checkpoint?.('encoding');
  // Our own encoders, not resvg's asPng(): a PNG half the size with the same
  // pixels (png.ts), or lossless WebP (webp.ts).
  const bytes =
    o.format === 'image/webp' ? await encodeWebp(demultiply(flatten(raster)), width, height) : await encodePng(raster.pixels, width, height, raster.under);
  return { bytes, contentType: o.format, timings: { satori: t1 - t0, raster: performance.now() - t1 }, missingGlyphs };
}
