// A lossless PNG encoder for resvg's pixels, smaller than resvg's own.
//
// resvg's asPng() writes 8-bit RGBA with one fixed filter and fast deflate:
// the 1200×630 blog card comes out at ~179 KB. The same pixels, written as
//  - RGB when every pixel is opaque (a quarter fewer bytes to compress), or
//    an 8-bit palette when the image has at most 256 distinct colours,
//  - with the Up filter (row minus the row above: a gradient or a flat colour
//    leaves runs of equal bytes; palette indices are left unfiltered, as
//    libpng recommends),
//  - compressed by the runtime's native zlib (CompressionStream 'deflate',
//    zlib's default level 6, already the IDAT format: a zlib stream),
// come out at less than half of that (~82 KB for the blog card) and decode
// to exactly the same pixels. Nothing is quantised: an image with more than
// 256 colours stays true colour.
//
// resvg hands over premultiplied RGBA; PNG stores straight alpha, so
// translucent pixels are un-premultiplied the way resvg's own encoder does
// (tiny-skia's demultiply: c / (a / 255) + 0.5, truncated, saturating).

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return crc;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0);
  return out;
}

async function deflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** tiny-skia's demultiply of one channel: c / (a / 255) + 0.5, truncated, saturating. */
const straight = (c: number, a: number) => (a === 0 ? c : Math.min(255, Math.trunc(c / (a / 255) + 0.5)));

/** Straight-alpha RGBA from premultiplied, as tiny-skia demultiplies. */
export function demultiply(px: Uint8Array): Uint8Array {
  const out = new Uint8Array(px.length);
  for (let i = 0; i < px.length; i += 4) {
    const a = px[i + 3]!;
    if (a === 255) {
      out[i] = px[i]!;
      out[i + 1] = px[i + 1]!;
      out[i + 2] = px[i + 2]!;
    } else {
      out[i] = straight(px[i]!, a);
      out[i + 1] = straight(px[i + 1]!, a);
      out[i + 2] = straight(px[i + 2]!, a);
    }
    out[i + 3] = a;
  }
  return out;
}

/**
 * Encodes `pixels` (premultiplied RGBA, as resvg renders them) as a PNG that
 * decodes to the same straight-alpha pixels resvg's asPng() would write.
 */
export async function encodePng(pixels: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const n = width * height;
  if (pixels.length !== n * 4) throw new Error(`encodePng: ${pixels.length} bytes for ${width}×${height}`);
  const aligned = pixels.byteOffset % 4 === 0 ? pixels : pixels.slice();
  // A word holds R, G, B, A in memory order: little-endian, R in the low byte.
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, n);

  // One pass over the premultiplied words: opaque? at most 256 colours?
  // (Counting stops at 257; a run of one colour costs one comparison.)
  let opaque = true;
  const colours = new Map<number, number>();
  let last = -1;
  for (let i = 0; i < n; i++) {
    const w = words[i]!;
    if (w === last) continue;
    last = w;
    if (w >>> 24 !== 255) opaque = false;
    if (colours.size <= 256 && !colours.has(w)) colours.set(w, colours.size);
    if (!opaque && colours.size > 256) break;
  }

  let colourType: number;
  let scanlines: Uint8Array;
  const extra: Uint8Array[] = [];
  if (colours.size <= 256) {
    // Palette, each entry demultiplied; indices unfiltered (filter 0, None).
    colourType = 3;
    const plte = new Uint8Array(colours.size * 3);
    const trns = new Uint8Array(colours.size);
    let lastTranslucent = -1;
    for (const [w, index] of colours) {
      const a = w >>> 24;
      plte[index * 3] = straight(w & 0xff, a);
      plte[index * 3 + 1] = straight((w >>> 8) & 0xff, a);
      plte[index * 3 + 2] = straight((w >>> 16) & 0xff, a);
      trns[index] = a;
      if (a !== 255) lastTranslucent = Math.max(lastTranslucent, index);
    }
    extra.push(chunk('PLTE', plte));
    if (lastTranslucent >= 0) extra.push(chunk('tRNS', trns.subarray(0, lastTranslucent + 1)));
    scanlines = new Uint8Array((width + 1) * height);
    let prev = -1;
    let index = 0;
    for (let y = 0; y < height; y++) {
      const o = y * (width + 1) + 1;
      for (let x = 0; x < width; x++) {
        const w = words[y * width + x]!;
        if (w !== prev) index = colours.get((prev = w))!;
        scanlines[o + x] = index;
      }
    }
  } else if (opaque) {
    // RGB: premultiplied and straight agree where alpha is 255. Row 0 is
    // Sub-filtered, every other row Up, straight from the RGBA source.
    colourType = 2;
    const stride = width * 3;
    scanlines = new Uint8Array((stride + 1) * height);
    scanlines[0] = 1;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) scanlines[1 + x * 3 + c] = (aligned[x * 4 + c]! - (x ? aligned[x * 4 - 4 + c]! : 0)) & 0xff;
    }
    const up = width * 4;
    for (let y = 1; y < height; y++) {
      let o = y * (stride + 1);
      scanlines[o++] = 2;
      for (let i = y * up, end = i + up; i < end; i += 4) {
        scanlines[o++] = (aligned[i]! - aligned[i - up]!) & 0xff;
        scanlines[o++] = (aligned[i + 1]! - aligned[i + 1 - up]!) & 0xff;
        scanlines[o++] = (aligned[i + 2]! - aligned[i + 2 - up]!) & 0xff;
      }
    }
  } else {
    // RGBA, demultiplied; Sub on row 0, Up on the others.
    colourType = 6;
    const rgba = demultiply(aligned);
    const stride = width * 4;
    scanlines = new Uint8Array((stride + 1) * height);
    scanlines[0] = 1;
    for (let x = 0; x < stride; x++) scanlines[1 + x] = (rgba[x]! - (x >= 4 ? rgba[x - 4]! : 0)) & 0xff;
    for (let y = 1; y < height; y++) {
      const o = y * (stride + 1);
      const r = y * stride;
      scanlines[o] = 2;
      for (let x = 0; x < stride; x++) scanlines[o + 1 + x] = (rgba[r + x]! - rgba[r - stride + x]!) & 0xff;
    }
  }

  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colourType;
  const parts = [new Uint8Array(SIGNATURE), chunk('IHDR', ihdr), ...extra, chunk('IDAT', await deflate(scanlines)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
