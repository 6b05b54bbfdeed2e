// Embedded photos, decoded and resized to their drawn size once per isolate.
//
// A card's photo arrives as a data: URL (images.ts inlines every image) and
// satori draws it as an <image> at its laid-out box (object-fit already turned
// into that box and a clip). resvg then decodes the JPEG or PNG and resamples
// it, bicubic, onto the canvas on every render: for a cover photo that is most
// of the raster. The same photo drawn at the same size and sub-pixel offset
// gives the same pixels every time, so here resvg draws it once, alone, onto a
// transparent canvas the size of its (whole-pixel) footprint, and the card's
// SVG gets that result instead: an uncompressed PNG exactly the footprint's
// size at a whole-pixel position, which resvg copies 1:1 without resampling.
// The pixels match drawing the photo in place except where the photo's edge
// is anti-aliased (a translucent pixel is demultiplied into the PNG and
// multiplied back: a channel may move by 1); test/perf-pixels.test.ts checks.
//
// Only images drawn in canvas space qualify: none inside a pattern, mask or
// clip path, and none in a card with a transform (their pixels would land
// elsewhere). Entries are keyed by the image data and its placement, and
// bounded in bytes, least recently used dropped first.
import { toDataUrl } from './images';
import { encodeRawPng } from './png';
import { ByteLru } from './lru';

/** Bytes of drawn photos (as data: URLs, plus their keys) kept per isolate. */
export const PHOTO_BYTES = 12 * 1024 * 1024;
const drawn = new ByteLru<string>(PHOTO_BYTES);

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

/** The box of the clip path an image uses, as satori writes it (x, y, width, height on its shape). */
function clipBox(svg: string, tail: string): [number, number, number, number] | undefined {
  const id = /clip-path="url\(#([\w-]+)\)"/.exec(tail)?.[1];
  if (!id) return undefined;
  const m = new RegExp(String.raw`<clipPath id="${id}"><(?:path|rect) x="(${NUM})" y="(${NUM})" width="(${NUM})" height="(${NUM})"`).exec(svg);
  return m ? [+m[1]!, +m[2]!, +m[3]!, +m[4]!] : undefined;
}

/**
 * Replaces each qualifying photo with its pre-drawn footprint (see above);
 * `rasterise` is the card's own resvg call, so both draw alike.
 */
export function predrawPhotos(svg: string, width: number, height: number, rasterise: (svg: string) => Uint8Array): string {
  if (!svg.includes('<image ') || svg.includes('transform=')) return svg;
  return svg.replace(IMAGE, (whole, xs: string, ys: string, ws: string, hs: string, href: string, par = '', tail: string, at: number) => {
    if (inside(svg, at, 'pattern') || inside(svg, at, 'mask') || inside(svg, at, 'clipPath')) return whole;
    const [x, y, w, h] = [+xs, +ys, +ws, +hs];
    // The footprint: the image's box on the canvas, within its clip's box
    // (object-fit: cover scales the photo past its box and clips it).
    const [cx, cy, cw, ch] = clipBox(svg, tail) ?? [0, 0, width, height];
    const left = Math.max(0, Math.floor(x), Math.floor(cx));
    const top = Math.max(0, Math.floor(y), Math.floor(cy));
    const right = Math.min(width, Math.ceil(x + w), Math.ceil(cx + cw));
    const bottom = Math.min(height, Math.ceil(y + h), Math.ceil(cy + ch));
    if (right <= left || bottom <= top) return whole;
    const [fw, fh] = [right - left, bottom - top];
    const place = `x="${x - left}" y="${y - top}" width="${ws}" height="${hs}"${par}`;
    const key = `${fw}x${fh} ${place} ${href}`;
    let png = drawn.get(key);
    if (png === undefined) {
      const alone = `<svg width="${fw}" height="${fh}" viewBox="0 0 ${fw} ${fh}" xmlns="http://www.w3.org/2000/svg"><image ${place} href="${href}"/></svg>`;
      png = toDataUrl('image/png', encodeRawPng(rasterise(alone), fw, fh));
      drawn.set(key, png, key.length + png.length);
    }
    return `<image x="${left}" y="${top}" width="${fw}" height="${fh}" href="${png}" preserveAspectRatio="none"${tail}/>`;
  });
}
