// A lossless PNG encoder for resvg's pixels, smaller than resvg's own.
//
// resvg's asPng() writes 8-bit RGBA with one fixed filter and fast deflate:
// the 1200×630 blog card comes out at ~179 KB. The same pixels, written as
//  - RGB when every pixel is opaque (a quarter fewer bytes to compress), or
//    an 8-bit palette when the image has at most 256 distinct colours,
//  - unfiltered or with the Up filter (row minus the row above), whichever
//    compresses a sample of the image smaller (chooseFilter); palette
//    indices are left unfiltered, as libpng recommends,
//  - compressed by the runtime's native zlib (node:zlib, already the IDAT
//    format: a zlib stream) at level 3 (DEFLATE_LEVEL),
// come out at well under half of that and decode to exactly the same pixels.
// Nothing is quantised: an image with more than 256 colours stays true colour.
//
// The passes over pixels (palette, opacity, filtering, demultiplying) run in
// WebAssembly (pixels.ts).
//
// resvg hands over premultiplied RGBA; PNG stores straight alpha, so
// translucent pixels are un-premultiplied the way resvg's own encoder does
// (tiny-skia's demultiply: c / (a / 255) + 0.5, truncated, saturating).

// The runtime's CRC-32 (node:zlib): a JavaScript table loop took ~17 ms
// of an isolate's first PNG, interpreted.
import { crc32, deflateSync } from 'node:zlib';
import { demultiply, filterRows, isOpaque, NONE, overColour, paletteOf, UP } from './pixels';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * zlib's level: 3 is zlib's fastest search that still finds the long matches
 * of a card's flat areas. On the bench's cards the default (6, all that
 * CompressionStream offers) took 20-26 ms of a 50-110 ms render for PNGs
 * 25-40 % smaller than level 3's, which takes 6-9 ms. A card is rendered
 * once per version and then served from cache: the time is worth more.
 */
const DEFLATE_LEVEL = 3;

const deflate = (data: Uint8Array): Uint8Array => deflateSync(data, { level: DEFLATE_LEVEL });

/** Rows in each of the three sample bands chooseFilter compresses. */
const SAMPLE_ROWS = 8;

/**
 * None or Up, whichever compresses a sample of the image smaller. Up turns a
 * vertical gradient or a photo into small differences; but on a diagonal
 * gradient each row is the one above shifted sideways, which deflate finds as
 * long matches in the unfiltered bytes and Up turns into noise (the blog card:
 * 35 KB with None against 55 KB with Up, and faster to compress). A cheap
 * estimate (sum of absolute differences, libpng's heuristic) cannot see that,
 * so three bands of rows are compressed both ways and compared.
 */
function chooseFilter(src: Uint8Array, width: number, height: number, channels: 3 | 4): number {
  if (height < SAMPLE_ROWS * 4) return UP;
  const starts = [0.2, 0.5, 0.8].map((f) => Math.floor(height * f));
  const sample = (filter: number) => {
    const parts = starts.map((y) => filterRows(src, width, y, y + SAMPLE_ROWS, channels, filter));
    const all = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
    return deflate(all);
  };
  return sample(NONE).length < sample(UP).length ? NONE : UP;
}

/**
 * Encodes `pixels` (premultiplied RGBA, as resvg renders them) as a PNG that
 * decodes to the same straight-alpha pixels resvg's asPng() would write.
 * With `under` (0xBBGGRR), the pixels are laid on that opaque colour first
 * (pixels.ts overColour), in the palette pass when the card has a palette,
 * else in place in `pixels`.
 */
export async function encodePng(pixels: Uint8Array, width: number, height: number, under?: number): Promise<Uint8Array> {
  const n = width * height;
  if (pixels.length !== n * 4) throw new Error(`encodePng: ${pixels.length} bytes for ${width}×${height}`);
  let colourType: number;
  let scanlines: Uint8Array;
  const extra: Uint8Array[] = [];
  const palette = paletteOf(pixels, width, height, under);
  if (palette) {
    // Palette, each entry demultiplied; indices unfiltered (filter 0, None).
    colourType = 3;
    const { colours, indices } = palette;
    const rgba = demultiply(new Uint8Array(colours.buffer, colours.byteOffset, colours.byteLength));
    const plte = new Uint8Array(colours.length * 3);
    const trns = new Uint8Array(colours.length);
    let lastTranslucent = -1;
    for (let index = 0; index < colours.length; index++) {
      plte.set(rgba.subarray(index * 4, index * 4 + 3), index * 3);
      trns[index] = rgba[index * 4 + 3]!;
      if (trns[index] !== 255) lastTranslucent = index;
    }
    extra.push(chunk('PLTE', plte));
    if (lastTranslucent >= 0) extra.push(chunk('tRNS', trns.subarray(0, lastTranslucent + 1)));
    scanlines = indices;
  } else {
    // RGB where every pixel is opaque (premultiplied and straight agree
    // there), else RGBA demultiplied; one filter for all rows (chooseFilter).
    // On an opaque colour, every pixel is.
    if (under !== undefined) overColour(pixels, under);
    const opaque = under !== undefined || isOpaque(pixels, width, height);
    colourType = opaque ? 2 : 6;
    const source = opaque ? pixels : demultiply(pixels);
    const filter = chooseFilter(source, width, height, opaque ? 3 : 4);
    scanlines = filterRows(source, width, 0, height, opaque ? 3 : 4, filter);
  }

  return png(width, height, colourType, deflate(scanlines), extra);
}

/** The chunks of a PNG, joined. */
function png(width: number, height: number, colourType: number, idat: Uint8Array, extra: Uint8Array[] = []): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colourType;
  const parts = [new Uint8Array(SIGNATURE), chunk('IHDR', ihdr), ...extra, chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * An uncompressed RGBA PNG of `pixels` (premultiplied, as resvg renders
 * them; zlib's stored blocks, level 0): fast to write and for resvg to read
 * back, for pixels that stay in the isolate (photos.ts, blurs.ts).
 */
export function encodeRawPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  return png(width, height, 6, deflateSync(filterRows(demultiply(pixels), width, 0, height, 4, NONE), { level: 0 }));
}
