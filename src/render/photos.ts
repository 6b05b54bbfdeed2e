// Embedded photos, decoded and resized to their drawn size once per isolate.
//
// A card's photo arrives as a data: URL (images.ts inlines every image) and
// satori draws it as an <image> at its laid-out box (object-fit already turned
// into that box and a clip). resvg then decodes the JPEG or PNG and resamples
// it, bicubic, onto the canvas on every render: for a cover photo that is most
// of the raster. The same photo drawn at the same size and sub-pixel offset
// gives the same pixels every time, so here it is drawn once, alone, onto a
// transparent canvas the size of its (whole-pixel) footprint (scaledHere:
// resvg decodes it, pixels.wat scales it as resvg would, ~3× faster; or
// resvg draws it), and the card's SVG gets that result instead: an
// uncompressed PNG exactly the footprint's size at a whole-pixel position,
// which resvg copies 1:1 without resampling.
// The pixels match drawing the photo in place except where the photo's edge
// is anti-aliased (a translucent pixel is demultiplied into the PNG and
// multiplied back: a channel may move by 1); test/perf-pixels.test.ts checks.
//
// Only images drawn in canvas space qualify: none inside a pattern, mask,
// clip path or group, and none in a card with a transform (their pixels would
// land elsewhere). Entries are keyed by the image data and its placement, and
// bounded in bytes, least recently used dropped first.
//
// Even 1:1, resvg spends ~120 ms of a photo card decoding that PNG (the data:
// URL through its XML parser, base64, inflate) and drawing it. When the photo
// is the last thing the card draws (nothing can be on top of it), it leaves
// the SVG altogether (liftTopPhoto): resvg draws the rest, and the kept
// pixels are composited over the result here, through the photo's clip
// (its rounded corners), as resvg would: the same pixels to 1 in a channel.
import { dataUrlBytes, inspectImage } from './image-header';
import { toDataUrl } from './images';
import { scaleBicubic, type Taps } from './pixels';
import { encodeRawPng } from './png';
import { ByteLru } from './lru';

/** A photo drawn alone at its footprint: premultiplied RGBA, and its data: URL once asked for. */
interface Footprint {
  pixels: Uint8Array;
  url?: string;
}

/** Bytes of drawn photos (pixels, data: URLs and keys) kept per isolate. */
export const PHOTO_BYTES = 12 * 1024 * 1024;
const drawn = new ByteLru<Footprint>(PHOTO_BYTES);
const weigh = (key: string, f: Footprint) => key.length + f.pixels.byteLength + (f.url?.length ?? 0);

/** The photo drawn alone onto a transparent canvas the size of its footprint, once per isolate. */
function footprint(p: Placed, rasterise: (svg: string) => Uint8Array): Footprint {
  const { key, fw, fh, place, href } = p;
  let f = drawn.get(key);
  if (!f) {
    const pixels =
      scaledHere(p, rasterise) ??
      rasterise(`<svg width="${fw}" height="${fh}" viewBox="0 0 ${fw} ${fh}" xmlns="http://www.w3.org/2000/svg"><image ${place} href="${href}"/></svg>`);
    f = { pixels };
    drawn.set(key, f, weigh(key, f));
  }
  return f;
}

/**
 * Photos decoded 1:1 for scaledHere: at most IMAGE_MAX_PIXELS's default
 * (the decoded copy is 4 bytes a pixel); past it, resvg draws the photo.
 */
const MAX_DECODED_PIXELS = 4_194_304;

// tiny-skia's bicubic weights (Mitchell-Netravali, B = C = 1/3), in f32 as it
// computes them, for a sample at fraction t past a pixel centre.
const f = Math.fround;
const near = (t: number) => f(f(f(f(f(f(-21 / 18) * t) + f(27 / 18)) * t) + f(9 / 18)) * t + f(1 / 18));
const far = (t: number) => f(f(t * t) * f(f(f(7 / 18) * t) + f(-6 / 18)));

/**
 * Where each of `n` output pixels samples a source of `size` pixels, for an
 * image placed at `at` with `length` output pixels: tiny-skia's bicubic
 * taps (pixel centre mapped back through the image's transform, four
 * pixels around it, clamped to the edges, as its Pad tiling), or with
 * `nearest` the one pixel under the centre (tiny-skia samples an image only
 * moved, not scaled, that way).
 */
function taps(n: number, at: number, length: number, size: number, nearest: boolean): Taps {
  const index = new Int32Array(n * 4);
  const weight = new Float32Array(n * 4);
  const scale = length / size;
  const inv = f(1 / scale);
  const shift = f(-at / scale);
  for (let k = 0; k < n; k++) {
    const u = f(f((k + 0.5) * inv) + shift);
    if (nearest) {
      index.fill(Math.trunc(Math.min(Math.max(u, 0), size - 1)), k * 4, k * 4 + 4);
      weight[k * 4 + 1] = 1;
      continue;
    }
    const t = f(u + 0.5);
    const fx = f(t - Math.floor(t));
    const w = [far(f(1 - fx)), near(f(1 - fx)), near(fx), far(fx)];
    let x = f(u - 1.5);
    for (let i = 0; i < 4; i++, x = f(x + 1)) {
      index[k * 4 + i] = Math.trunc(Math.min(Math.max(x, 0), size - 1));
      weight[k * 4 + i] = w[i]!;
    }
  }
  return { index, weight };
}

/**
 * The footprint scaled here instead of by resvg, whose bicubic filter costs
 * ~0.3 µs an output pixel in wasm (~120 ms of a card whose cover photo it
 * has not drawn before): resvg only decodes the photo, drawn 1:1 with its
 * nearest filter (an exact copy), and scaleBicubic (pixels.wat) filters it
 * as tiny-skia would, to 1 in a channel (test/perf-pixels.test.ts). Only
 * for a PNG or JPEG stretched to its box (preserveAspectRatio none, as
 * satori writes object-fit) that covers the whole footprint, so no pixel
 * lies on an anti-aliased edge; undefined otherwise, and resvg draws it.
 */
export function scaledHere(
  { box: [x, y, w, h], stretched, href, fw, fh }: Pick<Placed, 'box' | 'stretched' | 'href' | 'fw' | 'fh'>,
  rasterise: (svg: string) => Uint8Array,
): Uint8Array | undefined {
  if (!stretched || !/^data:image\/(?:png|jpeg);/.test(href)) return undefined;
  if (x > 0 || y > 0 || x + w < fw || y + h < fh) return undefined;
  const bytes = dataUrlBytes(href);
  let size: [number, number] | undefined;
  try {
    size = bytes && inspectImage(bytes).size;
  } catch {
    return undefined; // resvg says what is wrong with it
  }
  if (!size || size[0] * size[1] > MAX_DECODED_PIXELS) return undefined;
  const [sw, sh] = size;
  const decoded = rasterise(
    `<svg width="${sw}" height="${sh}" viewBox="0 0 ${sw} ${sh}" xmlns="http://www.w3.org/2000/svg">` +
      `<image width="${sw}" height="${sh}" preserveAspectRatio="none" image-rendering="optimizeSpeed" href="${href}"/></svg>`,
  );
  const moved = w === sw && h === sh;
  return scaleBicubic(decoded, sw, fw, fh, taps(fw, x, w, sw, moved), taps(fh, y, h, sh, moved));
}

const NUM = String.raw`-?\d+(?:\.\d+)?(?:e[-+]?\d+)?`;
const IMAGE = new RegExp(
  String.raw`<image x="(${NUM})" y="(${NUM})" width="(${NUM})" height="(${NUM})" href="(data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/=]+)"` +
    String.raw`( preserveAspectRatio="[\w ]+")?((?: (?:clip-path|mask)="url\(#[\w-]+\)")*)/>`,
  'g',
);

/** Whether `at` lies inside an open <tag> element of `svg`. */
function inside(svg: string, at: number, tag: string): boolean {
  return svg.lastIndexOf(`<${tag}`, at) > svg.lastIndexOf(`</${tag}>`, at);
}

/**
 * The clip path an image uses, as satori writes it: the box of its shape (x,
 * y, width, height on it), and the shape itself when it is the clip's one
 * plain child (a path or a rect, nothing else on it).
 */
function clipOf(svg: string, tail: string): { box: [number, number, number, number]; shape?: string } | undefined {
  const id = /clip-path="url\(#([\w-]+)\)"/.exec(tail)?.[1];
  if (!id) return undefined;
  const m = new RegExp(String.raw`<clipPath id="${id}">(<(?:path|rect) x="(${NUM})" y="(${NUM})" width="(${NUM})" height="(${NUM})"((?: d="[^"]*")?/></clipPath>)?)`).exec(svg);
  if (!m) return undefined;
  return { box: [+m[2]!, +m[3]!, +m[4]!, +m[5]!], shape: m[6] === undefined ? undefined : m[1]!.slice(0, -'</clipPath>'.length) };
}

/** An image IMAGE matched, placed on the canvas: its footprint and how it is drawn into it. */
interface Placed {
  left: number;
  top: number;
  fw: number;
  fh: number;
  /** The image's attributes within its footprint. */
  place: string;
  /** Its box within the footprint (x, y, width, height), and whether it is stretched to it (preserveAspectRatio none). */
  box: [number, number, number, number];
  stretched: boolean;
  href: string;
  /** Its clip path and mask attributes. */
  tail: string;
  clip?: ReturnType<typeof clipOf>;
  /** What drawn keeps it by. */
  key: string;
}

/**
 * The footprint of the image IMAGE matched (`groups` are its captures): its
 * box on the canvas, within its clip's box (object-fit: cover scales the
 * photo past its box and clips it), in whole pixels; undefined when empty.
 */
function placed(svg: string, groups: string[], width: number, height: number): Placed | undefined {
  const [xs, ys, ws, hs, href, par = '', tail = ''] = groups as [string, string, string, string, string, string?, string?];
  const [x, y, w, h] = [+xs, +ys, +ws, +hs];
  const clip = clipOf(svg, tail);
  const [cx, cy, cw, ch] = clip?.box ?? [0, 0, width, height];
  const left = Math.max(0, Math.floor(x), Math.floor(cx));
  const top = Math.max(0, Math.floor(y), Math.floor(cy));
  const right = Math.min(width, Math.ceil(x + w), Math.ceil(cx + cw));
  const bottom = Math.min(height, Math.ceil(y + h), Math.ceil(cy + ch));
  if (right <= left || bottom <= top) return undefined;
  const [fw, fh] = [right - left, bottom - top];
  const place = `x="${x - left}" y="${y - top}" width="${ws}" height="${hs}"${par}`;
  const box: Placed['box'] = [x - left, y - top, w, h];
  const stretched = par === ' preserveAspectRatio="none"';
  return { left, top, fw, fh, place, box, stretched, href, tail, clip, key: `${fw}x${fh} ${place} ${href}` };
}

/**
 * Replaces each qualifying photo with its pre-drawn footprint (see above);
 * `rasterise` is the card's own resvg call, so both draw alike.
 */
export function predrawPhotos(svg: string, width: number, height: number, rasterise: (svg: string) => Uint8Array): string {
  if (!svg.includes('<image ') || svg.includes('transform=')) return svg;
  return svg.replace(IMAGE, (whole: string, ...rest: unknown[]) => {
    const at = rest[7] as number;
    if (inside(svg, at, 'pattern') || inside(svg, at, 'mask') || inside(svg, at, 'clipPath')) return whole;
    const p = placed(svg, rest.slice(0, 7) as string[], width, height);
    if (!p) return whole;
    const f = footprint(p, rasterise);
    if (f.url === undefined) {
      f.url = toDataUrl('image/png', encodeRawPng(f.pixels, p.fw, p.fh));
      drawn.set(p.key, f, weigh(p.key, f));
    }
    return `<image x="${p.left}" y="${p.top}" width="${p.fw}" height="${p.fh}" href="${f.url}" preserveAspectRatio="none"${p.tail}/>`;
  });
}

/** A photo to composite over the card after resvg: its footprint's place, pixels and clip coverage. */
export interface PhotoLayer {
  left: number;
  top: number;
  width: number;
  height: number;
  pixels: Uint8Array;
  /** Coverage of the photo's clip path, one byte a pixel; none when it has no clip. */
  mask?: Uint8Array;
}

/** Clip coverage by the clip's shape and footprint, once per isolate (a few hundred KB each). */
const masks = new ByteLru<Uint8Array>(2 * 1024 * 1024);

/**
 * When the card's last drawing is a photo that qualifies (see above), the
 * SVG without it and the layer to put over resvg's result (drawLayer);
 * undefined otherwise. Only a clip path of one plain shape is followed, and
 * an overflow mask only where it is a white rectangle over the whole
 * footprint (satori's, which then changes nothing).
 */
export function liftTopPhoto(svg: string, width: number, height: number, rasterise: (svg: string) => Uint8Array): { svg: string; layer: PhotoLayer } | undefined {
  if (!svg.endsWith('/></svg>') || svg.includes('transform=')) return undefined;
  const at = svg.lastIndexOf('<image ');
  if (at < 0) return undefined;
  IMAGE.lastIndex = at;
  const m = IMAGE.exec(svg);
  if (!m || m.index !== at || at + m[0].length !== svg.length - '</svg>'.length) return undefined;
  if (inside(svg, at, 'pattern') || inside(svg, at, 'mask') || inside(svg, at, 'clipPath') || inside(svg, at, 'g')) return undefined;
  const p = placed(svg, m.slice(1), width, height);
  if (!p || (/clip-path=/.test(p.tail) && !p.clip?.shape)) return undefined;
  const { left, top, fw, fh, clip } = p;
  const maskId = /mask="url\(#([\w-]+)\)"/.exec(p.tail)?.[1];
  if (maskId) {
    const r = new RegExp(String.raw`<mask id="${maskId}"><rect x="(${NUM})" y="(${NUM})" width="(${NUM})" height="(${NUM})" fill="#fff"/></mask>`).exec(svg);
    if (!r || +r[1]! > left || +r[2]! > top || +r[1]! + +r[3]! < left + fw || +r[2]! + +r[4]! < top + fh) return undefined;
  }
  const { pixels } = footprint(p, rasterise);
  let mask: Uint8Array | undefined;
  if (clip?.shape) {
    const key = `${left},${top},${fw}x${fh} ${clip.shape}`;
    mask = masks.get(key);
    if (!mask) {
      // The clip's shape filled (black, as a clip path's children are) over the footprint: its alpha is the coverage.
      const rgba = rasterise(`<svg width="${fw}" height="${fh}" viewBox="${left} ${top} ${fw} ${fh}" xmlns="http://www.w3.org/2000/svg">${clip.shape}</svg>`);
      mask = new Uint8Array(fw * fh);
      for (let i = 0; i < mask.length; i++) mask[i] = rgba[i * 4 + 3]!;
      masks.set(key, mask, mask.byteLength + key.length);
    }
  }
  return { svg: svg.slice(0, at) + '</svg>', layer: { left, top, width: fw, height: fh, pixels, mask } };
}

/**
 * `layer` over `canvas` (premultiplied RGBA, `canvasWidth` wide), in place:
 * the photo scaled by its clip coverage, then source-over, with tiny-skia's
 * rounding ((v + 255) >> 8, as compositeOver in svg.ts). Rows where the photo
 * is opaque and wholly inside its clip are copied as they are.
 */
export function drawLayer(canvas: Uint8Array, canvasWidth: number, layer: PhotoLayer): Uint8Array {
  const { left, top, width, height, pixels, mask } = layer;
  const src = new Uint32Array(pixels.buffer, pixels.byteOffset, width * height);
  const dst = new Uint32Array(canvas.buffer, canvas.byteOffset, canvas.byteLength >> 2);
  for (let y = 0; y < height; y++) {
    const s0 = y * width;
    const d0 = (top + y) * canvasWidth + left;
    let plain = true;
    for (let x = 0; x < width && plain; x++) plain = pixels[(s0 + x) * 4 + 3] === 255 && (!mask || mask[s0 + x] === 255);
    if (plain) {
      dst.set(src.subarray(s0, s0 + width), d0);
      continue;
    }
    for (let x = 0; x < width; x++) {
      const m = mask ? mask[s0 + x]! : 255;
      const si = (s0 + x) * 4;
      const di = (d0 + x) * 4;
      const sa = (pixels[si + 3]! * m + 255) >> 8;
      if (sa === 0) continue;
      const inv = 255 - sa;
      for (let c = 0; c < 3; c++) canvas[di + c] = ((pixels[si + c]! * m + 255) >> 8) + ((canvas[di + c]! * inv + 255) >> 8);
      canvas[di + 3] = sa + ((canvas[di + 3]! * inv + 255) >> 8);
    }
  }
  return canvas;
}
