// The renderer's loops over pixels, run in a small WebAssembly module
// (pixels.wat, compiled by scripts/wasm.mjs): compiled code from an isolate's
// first card on, where the same loops in JavaScript ran interpreted. Images
// go through the module's memory in bands of rows, so that memory stays a
// few MB whatever the canvas size.
import pixelsWasm from '../../generated/pixels.wasm';

interface Core {
  memory: WebAssembly.Memory;
  reset(): void;
  palette(input: number, width: number, rows: number, out: number): number;
  opaque(input: number, n: number): number;
  pack(input: number, above: number, width: number, rows: number, channels: number, filter: number, out: number): void;
  demultiply(input: number, n: number, out: number): void;
  over(px: number, n: number, rgba: number): void;
  under(dst: number, width: number, y0: number, rows: number, height: number, src: number, sw: number, sh: number, tmp: number, xs: number): void;
  bicubic(src: number, sw: number, dst: number, dw: number, dh: number, xi: number, xw: number, yi: number, yw: number, cache: number, tags: number): void;
}

let instance: Core | undefined;
const core = () => (instance ??= new WebAssembly.Instance(pixelsWasm, {}).exports as unknown as Core);

/** Where pixels.wat keeps the palette's colours (its COLOURS). */
const COLOURS = 8192;
/** Where the bands go: past the palette's tables. */
const BASE = 16384;
/** Bytes of pixels a band holds: bands of at least one row. */
const BAND_BYTES = 1 << 20;
/** Bytes of source and output rows scaleBicubic holds at once. */
const SCALE_BYTES = BAND_BYTES;

/**
 * [first row, rows] of each band of a pass over rows `from` to `to`, `rows`
 * to a band, the first bands shorter (1, 2, 4… rows). V8 runs a wasm
 * function's first calls as baseline code and swaps in optimised code
 * between calls, never during one: in three full bands, an isolate's first
 * blog card spent 18 ms in `under` at baseline speed. Short bands throughout
 * cost every later card ~2 ms of calls and copies.
 */
function* spans(from: number, to: number, rows: number): Generator<[number, number]> {
  for (let y = from, n = 1; y < to; y += n, n = Math.min(rows, n * 2)) yield [y, Math.min(n, to - y)];
}

/**
 * The core with room for bands of `width`-pixel rows: the band's pixels at
 * `input`, the row above them just before, and its output (up to 4 bytes a
 * pixel and a filter byte a row, plus one byte pack may write past) at `out`.
 */
function bands(width: number, from = BASE) {
  const c = core();
  const stride = width * 4;
  const rows = Math.max(1, Math.floor(BAND_BYTES / stride));
  const input = from + stride;
  const out = input + rows * stride;
  reserve(out + rows * (stride + 1) + 4);
  return { c, stride, rows, input, out, bytes: () => new Uint8Array(c.memory.buffer) };
}

/** Grows the module's memory to `end` bytes at least. */
function reserve(end: number) {
  const { memory } = core();
  const have = memory.buffer.byteLength;
  if (end > have) memory.grow(Math.ceil((end - have) / 65536));
}

/** Straight-alpha RGBA from premultiplied, as tiny-skia demultiplies. */
export function demultiply(px: Uint8Array): Uint8Array {
  const out = new Uint8Array(px.length);
  const c = core();
  reserve(BASE + BAND_BYTES);
  // Rows do not matter here: bands of BAND_BYTES, demultiplied in place.
  for (let at = 0; at < px.length; at += BAND_BYTES) {
    const part = px.subarray(at, Math.min(px.length, at + BAND_BYTES));
    new Uint8Array(c.memory.buffer).set(part, BASE);
    c.demultiply(BASE, part.length >> 2, BASE);
    out.set(new Uint8Array(c.memory.buffer, BASE, part.length), at);
  }
  return out;
}

/** PNG filter types used here: None, and Up (each byte less the one above it). */
export const NONE = 0;
export const UP = 2;

/**
 * Scanlines of rows [from, to) of RGBA `src`, written as `channels` bytes a
 * pixel (3 drops alpha), each row led by its filter byte (Up on the first
 * row of the image is the row itself: PNG takes the row above as zeros).
 */
export function filterRows(src: Uint8Array, width: number, from: number, to: number, channels: 3 | 4, filter: number): Uint8Array {
  const { c, stride, rows, input, out, bytes } = bands(width);
  const line = width * channels + 1;
  const scanlines = new Uint8Array(line * (to - from));
  for (const [y, n] of spans(from, to, rows)) {
    const mem = bytes();
    if (y > 0) mem.set(src.subarray((y - 1) * stride, y * stride), input - stride);
    else mem.fill(0, input - stride, input);
    mem.set(src.subarray(y * stride, (y + n) * stride), input);
    c.pack(input, input - stride, width, n, channels, filter, out);
    scanlines.set(bytes().subarray(out, out + n * line), (y - from) * line);
  }
  return scanlines;
}

/**
 * The image's colours in the order first seen (as RGBA words) and its
 * scanlines as palette indices (filter None), or undefined past 256 colours;
 * with `under`, of the image laid on that colour (overColour).
 */
export function paletteOf(px: Uint8Array, width: number, height: number, under?: number): { colours: Uint32Array; indices: Uint8Array } | undefined {
  const { c, stride, rows, input, out, bytes } = bands(width);
  const indices = new Uint8Array((width + 1) * height);
  c.reset();
  let count = 0;
  for (const [y, n] of spans(0, height, rows)) {
    bytes().set(px.subarray(y * stride, (y + n) * stride), input);
    // On its colour first (overColour; a last group of fewer than four runs into `out`, written next).
    if (under !== undefined) c.over(input, Math.ceil((n * width) / 4) * 4, rgba(under));
    count = c.palette(input, width, n, out);
    if (count < 0) return undefined;
    indices.set(bytes().subarray(out, out + n * (width + 1)), y * (width + 1));
  }
  return { colours: new Uint32Array(c.memory.buffer.slice(COLOURS, COLOURS + count * 4)), indices };
}

/** Whether every pixel is opaque. */
export function isOpaque(px: Uint8Array, width: number, height: number): boolean {
  const { c, stride, rows, input, bytes } = bands(width);
  for (const [y, n] of spans(0, height, rows)) {
    bytes().set(px.subarray(y * stride, (y + n) * stride), input);
    if (!c.opaque(input, n * width)) return false;
  }
  return true;
}

/** An opaque colour 0xBBGGRR as the pixel word pixels.wat takes (alpha 255). */
const rgba = (rgb: number) => (rgb | 0xff000000) >>> 0;

/**
 * `card` (premultiplied RGBA, drawn on transparent), in place, over the
 * opaque colour `rgb` (0xBBGGRR, as the bytes R, G, B lie in memory).
 */
export function overColour(card: Uint8Array, rgb: number): Uint8Array {
  const c = core();
  reserve(BASE + BAND_BYTES);
  for (let at = 0; at < card.length; at += BAND_BYTES) {
    const part = card.subarray(at, Math.min(card.length, at + BAND_BYTES));
    new Uint8Array(c.memory.buffer).set(part, BASE);
    // Four pixels at a time: a last group of fewer runs on the band's spare bytes.
    c.over(BASE, Math.ceil(part.length / 16) * 4, rgba(rgb));
    part.set(new Uint8Array(c.memory.buffer, BASE, part.length));
  }
  return card;
}

/**
 * `card` (premultiplied RGBA, drawn on transparent), in place, over its
 * background given as a smaller raster (`small`, sw × sh, the same picture
 * drawn at a fraction of the size) scaled up bilinearly. For backgrounds
 * that are smooth (backgrounds.ts says which).
 */
export function overUpscaled(card: Uint8Array, width: number, height: number, small: Uint8Array, sw: number, sh: number): Uint8Array {
  const src = BASE;
  const tmp = src + sw * sh * 4;
  const xs = tmp + (sw + 1) * 4;
  const { c, stride, rows, input, bytes } = bands(width, xs + width * 4);
  bytes().set(small, src);
  for (const [y, n] of spans(0, height, rows)) {
    bytes().set(card.subarray(y * stride, (y + n) * stride), input);
    c.under(input, width, y, n, height, src, sw, sh, tmp, xs);
    card.set(bytes().subarray(input, input + n * stride), y * stride);
  }
  return card;
}

/** Where each output pixel of one axis samples its source: 4 indices and their f32 weights a pixel. */
export interface Taps {
  index: Int32Array;
  weight: Float32Array;
}

/**
 * `src` (sw × sh, premultiplied RGBA) scaled to dw × dh with tiny-skia's
 * bicubic filter, the output's columns and rows sampling as `xs` and `ys`
 * say (photos.ts works them out). Source rows go through the module's memory
 * in bands, so that memory stays small for any photo.
 */
export function scaleBicubic(src: Uint8Array, sw: number, dw: number, dh: number, xs: Taps, ys: Taps): Uint8Array {
  const c = core();
  const tags = BASE;
  const xi = tags + 32;
  const xw = xi + dw * 16;
  const cache = xw + dw * 16;
  const band = cache + 8 * dw * 16;
  const out = new Uint8Array(dw * dh * 4);
  const rowBytes = sw * 4;
  const maxSpan = Math.max(8, Math.floor(SCALE_BYTES / rowBytes));
  const maxRows = Math.max(1, Math.floor(SCALE_BYTES / (dw * 4)));
  reserve(band + maxRows * 32 + (maxSpan + 4) * rowBytes + maxRows * dw * 4 + 4);
  new Int32Array(c.memory.buffer, xi, dw * 4).set(xs.index);
  new Float32Array(c.memory.buffer, xw, dw * 4).set(xs.weight);
  for (let y0 = 0; y0 < dh; ) {
    // A band of output rows whose source rows fit in maxSpan (rows' taps only move down).
    const lo = ys.index[y0 * 4]!;
    let y1 = y0 + 1;
    while (y1 < dh && y1 - y0 < maxRows && ys.index[y1 * 4 + 3]! - lo < maxSpan) y1++;
    const hi = ys.index[(y1 - 1) * 4 + 3]!;
    const rows = y1 - y0;
    const yi = band;
    const yw = yi + rows * 16;
    const from = yw + rows * 16;
    const to = from + (hi - lo + 1) * rowBytes;
    const mem = c.memory.buffer;
    const index = new Int32Array(mem, yi, rows * 4);
    for (let k = 0; k < rows * 4; k++) index[k] = ys.index[y0 * 4 + k]! - lo;
    new Float32Array(mem, yw, rows * 4).set(ys.weight.subarray(y0 * 4, y1 * 4));
    new Uint8Array(mem, from, (hi - lo + 1) * rowBytes).set(src.subarray(lo * rowBytes, (hi + 1) * rowBytes));
    c.bicubic(from, sw, to, dw, rows, xi, xw, yi, yw, cache, tags);
    out.set(new Uint8Array(c.memory.buffer, to, rows * dw * 4), y0 * dw * 4);
    y0 = y1;
  }
  return out;
}
