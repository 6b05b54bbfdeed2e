// Wide blurs drawn at a fraction of the resolution.
//
// resvg blurs every pixel of a filter's region at full resolution, and slowly
// (~300 ns a pixel natively, more in wasm): the glow look of a real card,
// three blobs with `filter: blur(100px)` behind a panel with Tailwind's
// shadow-2xl, took 10 s to rasterise in workerd, 4 s with native resvg. But a
// Gaussian of σ = 100 px leaves nothing finer than a few dozen pixels: the
// same picture sampled every σ/4 px and scaled back up differs from the
// full-resolution one by a level or two, where it differs at all.
//
// So a group satori draws through a filter made only of blurs and
// resolution-free steps (offset, flood, composite, merge, colour matrix and transfer) is
// drawn alone into a canvas k times smaller (k = σ/4, whole, at most 16),
// where resvg's filter runs on k² fewer pixels (the viewBox scales σ and the
// region with it), and the card gets that raster as an image over the whole
// canvas, scaled up by resvg's bicubic filter. Everything the element does
// after its filter (a mask, a clip path, opacity) stays on the card at full
// resolution: the shadow of a translucent panel is still cut out sharply
// under it.
//
// Only groups whose every reference (masks, clip paths, gradients the content
// uses) can be copied along qualify, never in a card with a transform, and
// only blurs of σ ≥ 8 (k ≥ 2). Rasters are kept by their SVG, bounded in
// bytes (a card's backdrop of blobs is the same on every post).
import { toDataUrl } from './images';
import { ByteLru } from './lru';
import { encodeRawPng } from './png';

/** Bytes of pre-drawn blurs (data: URLs) kept per isolate. */
export const BLUR_BYTES = 4 * 1024 * 1024;
const drawn = new ByteLru<string>(BLUR_BYTES);

/** The blur's σ over this is the scale-down: the result is sampled every σ/4 px. */
const SAMPLES_PER_SIGMA = 4;
const MAX_SCALE_DOWN = 16;

/** Filter primitives whose result does not depend on the resolution they run at (σ and offsets scale with the viewBox). */
const PRIMITIVES = /^(?:feGaussianBlur|feOffset|feFlood|feComposite|feMerge|feMergeNode|feColorMatrix|feComponentTransfer|feFunc[RGBA]|feBlend)$/;
/** Inputs that read the canvas or paint around the element: not drawn alone. */
const FOREIGN_INPUT = /\bin2?="(?:BackgroundImage|BackgroundAlpha|FillPaint|StrokePaint)"/;

const FILTERED_GROUP = /<g((?: [\w-]+="[^"]*")*?) filter="url\(#([\w-]+)\)"((?: [\w-]+="[^"]*")*)>/g;

/** The index just past the `</g>` closing the group whose start tag ends at `from`, or -1. */
function groupEnd(svg: string, from: number): number {
  const tags = /<g[\s>]|<\/g>/g;
  tags.lastIndex = from;
  let depth = 1;
  for (let m; (m = tags.exec(svg)); ) {
    depth += m[0] === '</g>' ? -1 : 1;
    if (depth === 0) return m.index + 4;
  }
  return -1;
}

/** The definition of `id` (mask, clip path, gradient, pattern, filter), when it is a plain element of one of those kinds. */
function definition(svg: string, id: string): string | undefined {
  const m = new RegExp(String.raw`<(mask|clipPath|linearGradient|radialGradient|pattern|filter) id="${id}"[^>]*>[\s\S]*?</\1>`).exec(svg);
  return m?.[0];
}

/** What `content` references but does not define, copied along; undefined if one cannot be. */
function dependencies(svg: string, content: string): string | undefined {
  const defs: string[] = [];
  for (const [, id] of content.matchAll(/url\(#([\w-]+)\)/g)) {
    if (content.includes(`id="${id}"`)) continue;
    const def = definition(svg, id!);
    // A definition referring to yet another one is left alone (rare in satori's output).
    if (!def || def.includes('url(#')) return undefined;
    if (!defs.includes(def)) defs.push(def);
  }
  return defs.join('');
}

/** The scale-down for a filter, or 0 when it does not qualify. */
function scaleDown(filter: string): number {
  const tags = [...filter.matchAll(/<(\w+)([^>]*)>/g)].slice(1);
  const primitives = tags.map((m) => m[1]!);
  if (!primitives.every((p) => PRIMITIVES.test(p)) || FOREIGN_INPUT.test(filter) || /primitiveUnits="objectBoundingBox"/.test(filter)) return 0;
  // The element itself reaches the result only through a blur (a flood
  // ignores its input): a drop-shadow merges the sharp element back in,
  // which drawn small would come out soft.
  if (!/^fe(?:GaussianBlur|Flood)$/.test(primitives[0] ?? '')) return 0;
  if (tags.some(([, name, attrs]) => !/^fe(?:GaussianBlur|Flood)$/.test(name!) && /\bin2?="Source(?:Graphic|Alpha)"/.test(attrs!))) return 0;
  const sigmas = [...filter.matchAll(/<feGaussianBlur[^>]*\sstdDeviation="([^"]+)"/g)].flatMap((m) => m[1]!.trim().split(/[\s,]+/).map(Number));
  if (!sigmas.length || sigmas.some((s) => !(s >= 0))) return 0;
  return Math.min(MAX_SCALE_DOWN, Math.floor(Math.min(...sigmas) / SAMPLES_PER_SIGMA));
}

/**
 * The small raster (premultiplied RGBA, w×h, covering the canvas) as an
 * <image> of its visible part (two transparent pixels kept around it, for
 * the bicubic kernel), scaled up to the canvas by resvg. Scaling it in JS
 * instead and handing resvg a canvas-sized PNG to copy measured no faster
 * in workerd, and megabytes of data: URL would not fit the cache.
 */
function upscaled(small: Uint8Array, w: number, h: number, width: number, height: number): string {
  let [x0, y0, x1, y1] = [w, h, -1, -1];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (small[(y * w + x) * 4 + 3] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return '';
  [x0, y0] = [Math.max(0, x0 - 2), Math.max(0, y0 - 2)];
  [x1, y1] = [Math.min(w - 1, x1 + 2), Math.min(h - 1, y1 + 2)];
  const [cw, ch] = [x1 - x0 + 1, y1 - y0 + 1];
  const crop = new Uint8Array(cw * ch * 4);
  for (let y = 0; y < ch; y++) crop.set(small.subarray(((y0 + y) * w + x0) * 4, ((y0 + y) * w + x1 + 1) * 4), y * cw * 4);
  const [sx, sy] = [width / w, height / h];
  const png = toDataUrl('image/png', encodeRawPng(crop, cw, ch));
  return `<image x="${x0 * sx}" y="${y0 * sy}" width="${cw * sx}" height="${ch * sy}" preserveAspectRatio="none" href="${png}"/>`;
}

/** A filtered group that qualifies: where it is, and what the small SVG draws of it. */
interface Blurred {
  start: number;
  end: number;
  attrs: string;
  k: number;
  defs: string;
  drawing: string;
}

/** The qualifying filtered group whose start tag `m` matched, or undefined. */
function blurred(out: string, m: RegExpExecArray): Blurred | undefined {
  const [open, before, id, after] = m;
  const end = groupEnd(out, m.index + open.length);
  const filter = definition(out, id!);
  const k = filter && end > 0 ? scaleDown(filter) : 0;
  if (k < 2) return undefined;
  const content = out.slice(m.index + open.length, end - 4);
  const defs = dependencies(out, content);
  if (defs === undefined) return undefined;
  return { start: m.index, end, attrs: `${before}${after}`, k, defs, drawing: `${filter}<g filter="url(#${id})">${content}</g>` };
}

/** Between two sibling groups: only the second one's filter definition, nothing painted. */
const ONLY_A_FILTER = /^(?:<defs>)?<filter id="[\w-]+"[^>]*>(?:(?!<\/filter>)[\s\S])*<\/filter>(?:<\/defs>)?$/;

/**
 * Replaces each qualifying filtered group with its filter's result drawn at
 * a fraction of the resolution (see above); `rasterise` is the card's own
 * resvg call.
 */
export function predrawBlurs(svg: string, width: number, height: number, rasterise: (svg: string) => Uint8Array): string {
  if (!svg.includes('<feGaussianBlur') || svg.includes('transform=')) return svg;
  let out = svg;
  FILTERED_GROUP.lastIndex = 0;
  for (let m; (m = FILTERED_GROUP.exec(out)); ) {
    const first = blurred(out, m);
    if (!first) continue;
    // Sibling blurred groups one after the other with nothing else on them
    // (a backdrop of blobs) become one raster: one image for resvg to scale.
    const run = [first];
    for (let last = first; !last.attrs; ) {
      FILTERED_GROUP.lastIndex = last.end;
      const n = FILTERED_GROUP.exec(out);
      const next = n && ONLY_A_FILTER.test(out.slice(last.end, n.index)) ? blurred(out, n) : undefined;
      if (!next || next.attrs) break;
      run.push((last = next));
    }
    const k = Math.min(...run.map((b) => b.k));
    const end = run.at(-1)!.end;
    const [w, h] = [Math.ceil(width / k), Math.ceil(height / k)];
    const alone =
      `<svg width="${w}" height="${h}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">` +
      `${run.map((b) => b.defs).join('')}${run.map((b) => b.drawing).join('')}</svg>`;
    let image = drawn.get(alone);
    if (image === undefined) {
      image = upscaled(rasterise(alone), w, h, width, height);
      drawn.set(alone, image, alone.length + image.length);
    }
    const replacement = first.attrs ? `<g${first.attrs}>${image}</g>` : image;
    out = out.slice(0, first.start) + replacement + out.slice(end);
    FILTERED_GROUP.lastIndex = first.start + replacement.length;
  }
  return out;
}
