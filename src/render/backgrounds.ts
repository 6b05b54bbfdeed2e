// A card's canvas-sized gradient background (svg.ts splitBackground), drawn
// apart from the rest and the rest laid over it. (A plain colour is not
// drawn at all: png.ts lays the rest on it as it encodes.)
//
// Drawn by resvg at full size, a 1200×630 gradient is 20-25 ms of a card's
// raster. Two ways round it, and a card always takes the same one, whatever
// the isolate drew before (a render depends on the card alone):
//  - A linear gradient without hard stops is smooth: drawn at a quarter of
//    the size (1/16 of the pixels) and scaled up bilinearly under the rest
//    (pixels.ts overUpscaled). Between its stops a linear gradient is linear
//    in x and y, which bilinear interpolation reproduces: a channel moves by
//    1 at most, by 2 where a stop bends the ramp.
//  - Any other (radial gradients, hard stops, repeating ones) is drawn at
//    full size and kept per isolate once it has been seen twice (a per-post
//    background never repeats and would only cost memory), the rest laid
//    over it with compositeOver.
import { ByteLru } from './lru';
import { overUpscaled } from './pixels';
import { compositeOver, type Layers } from './svg';

/** The smaller raster's scale: a quarter of the canvas's width and height. */
const SCALE = 4;

/** Bytes of full-size background rasters kept per isolate (a 1200×630 one is 3 MiB), least recently used dropped first. */
export const BACKGROUND_BYTES = 12 * 1024 * 1024;
const kept = new ByteLru<Uint8Array>(BACKGROUND_BYTES);
/** Backgrounds seen once, by their SVG (a few hundred bytes each): only one seen before is worth keeping. */
const seen = new ByteLru<true>(256 * 1024);
/** Smooth backgrounds at a quarter size (190 KB for 1200×630): cheap to draw again, kept a while. */
const small = new ByteLru<Uint8Array>(2 * 1024 * 1024);

/** Bytes of full-size background rasters kept in this isolate (tests watch it). */
export const keptBackgroundBytes = () => kept.bytes;

const NUM = String.raw`-?\d+(?:\.\d+)?(?:e[-+]?\d+)?`;

/**
 * Whether every gradient of a background-only SVG is linear, padded (not
 * repeated) and without hard stops (two stops at one offset), and nothing
 * else paints: what a bilinear scale-up reproduces.
 */
export function isSmooth(background: string): boolean {
  if (/<radialGradient|<pattern|<image|<filter|gradientTransform|spreadMethod="(?!pad")/.test(background)) return false;
  const gradients = [...background.matchAll(/<linearGradient [^>]*>([\s\S]*?)<\/linearGradient>/g)];
  if (!gradients.length) return false;
  return gradients.every(([, stops]) => {
    const offsets = [...stops!.matchAll(new RegExp(String.raw`<stop offset="(${NUM})(%?)"`, 'g'))].map(([, n, pct]) => +n! / (pct ? 100 : 1));
    return offsets.length >= 2 && offsets.every((o, i) => i === 0 || o > offsets[i - 1]! + 1e-6);
  });
}

/** The card's pixels: its foreground drawn by `rasterise` over its background, one of the two ways above. */
export function overBackground(layers: Layers, width: number, height: number, rasterise: (svg: string) => Uint8Array): Uint8Array {
  const { background, foreground } = layers;
  if (isSmooth(background)) {
    const [sw, sh] = [Math.ceil(width / SCALE), Math.ceil(height / SCALE)];
    let pixels = small.get(background);
    if (!pixels) {
      // The same picture in fewer pixels: the viewBox stays, the size shrinks.
      const svg = background.replace(/^<svg width="[^"]*" height="[^"]*"/, `<svg width="${sw}" height="${sh}" preserveAspectRatio="none"`);
      pixels = rasterise(svg);
      small.set(background, pixels, pixels.byteLength + background.length);
    }
    return overUpscaled(rasterise(foreground), width, height, pixels, sw, sh);
  }
  let pixels = kept.get(background);
  if (!pixels) {
    pixels = rasterise(background);
    if (seen.has(background)) kept.set(background, pixels, pixels.byteLength);
    else seen.set(background, true, background.length);
  }
  return compositeOver(rasterise(foreground), pixels);
}
