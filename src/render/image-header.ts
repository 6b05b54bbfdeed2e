// What an image's bytes are, and how many pixels they decode to, read from
// the file's own structure before anything decodes it.
//
// Written here rather than taken from a library: size readers (image-size
// and the like) read the header and stop, but a truncated or corrupt file
// has a perfectly good header, and resvg skips an image it cannot decode
// without a word, leaving a card with a hole in it. Walking each format's
// chunks once answers both questions: the decoded size (a 49 KB PNG may
// declare 20000×20000) and whether the file is whole.
//
// Only what satori reads and resvg 2.6 draws is accepted: PNG (and APNG's
// first frame), baseline or progressive JPEG, GIF and SVG without images of
// its own. resvg 2.6 draws no WebP or AVIF, so those are refused by name
// rather than drawn blank.

import { crc32 } from 'node:zlib';
import { decodeBase64 } from 'hono/utils/encode';

export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/svg+xml';

export interface ImageInfo {
  type: ImageType;
  /** Pixels the decoder allocates: width × height; 0 for SVG, drawn at the size it is shown. */
  pixels: number;
  /** Width and height as decoded, for PNG and JPEG. */
  size?: [width: number, height: number];
}

/** Why the bytes are not an image the renderer can draw. */
export class ImageFault extends Error {}

const fault = (why: string) => new ImageFault(why);

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** PNG: IHDR first, every chunk whole with a matching CRC (the png crate checks them), image data, IEND. */
function png(b: Uint8Array): [number, number] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 8;
  let size: [number, number] = [0, 0];
  let data = false;
  for (let first = true; ; first = false) {
    if (at + 12 > b.length) throw fault('PNG is truncated (no IEND chunk)');
    const length = v.getUint32(at);
    const type = ascii(b, at + 4, 4);
    const end = at + 8 + length;
    if (length > 0x7fffffff || end + 4 > b.length) throw fault(`PNG is truncated (chunk ${type} runs past the end)`);
    if (crc32(b.subarray(at + 4, end)) !== v.getUint32(end)) throw fault(`PNG is corrupt (chunk ${type} fails its CRC)`);
    if (first) {
      if (type !== 'IHDR' || length !== 13) throw fault('PNG does not start with IHDR');
      const width = v.getUint32(at + 8);
      const height = v.getUint32(at + 12);
      if (!width || !height) throw fault('PNG declares a zero size');
      size = [width, height];
    }
    if (type === 'IDAT') data = true;
    if (type === 'IEND') break;
    at = end + 4;
  }
  if (!data) throw fault('PNG has no image data (IDAT)');
  return size;
}

/**
 * JPEG: markers up to the frame header (satori reads sizes from SOF0–2
 * only: baseline, extended, progressive), then an end-of-image marker,
 * which a truncated file lacks.
 */
function jpeg(b: Uint8Array): [number, number] {
  let at = 2;
  let size: [number, number] | undefined;
  while (!size) {
    while (b[at] === 0xff && b[at + 1] === 0xff) at++; // fill bytes
    if (at + 4 > b.length || b[at] !== 0xff) throw fault('JPEG is truncated or corrupt before its frame header');
    const marker = b[at + 1]!;
    const length = (b[at + 2]! << 8) | b[at + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (marker > 0xc2) throw fault(`JPEG uses a coding the renderer cannot read (SOF${marker - 0xc0}; save it as baseline or progressive)`);
      if (at + 9 > b.length) throw fault('JPEG is truncated in its frame header');
      const height = (b[at + 5]! << 8) | b[at + 6]!;
      const width = (b[at + 7]! << 8) | b[at + 8]!;
      if (!width || !height) throw fault('JPEG declares a zero size');
      size = [width, height];
    } else if (marker === 0xda || marker === 0xd9) {
      throw fault('JPEG has no frame header');
    }
    at += 2 + length;
  }
  // The end-of-image marker (FF D9 appears nowhere else after the frame
  // header: entropy-coded data escapes FF), possibly followed by padding.
  let end = b.length - 1;
  while (end > at && !(b[end] === 0xd9 && b[end - 1] === 0xff)) end--;
  if (end <= at) throw fault('JPEG is truncated (no end-of-image marker)');
  return size;
}

/** GIF: the screen and first frame sizes, and every block up to the trailer. */
function gif(b: Uint8Array): number {
  const u16 = (at: number) => b[at]! | (b[at + 1]! << 8);
  let pixels = u16(6) * u16(8);
  const colorTable = (flags: number) => (flags & 0x80 ? 3 << ((flags & 7) + 1) : 0);
  let at = 13 + colorTable(b[10]!);
  const subBlocks = () => {
    while (at < b.length && b[at] !== 0) at += b[at]! + 1;
    at++; // the terminator
  };
  let frames = 0;
  for (;;) {
    if (at >= b.length) throw fault('GIF is truncated (no trailer)');
    const block = b[at]!;
    if (block === 0x3b) break;
    if (block === 0x21) {
      at += 2;
      subBlocks();
    } else if (block === 0x2c) {
      if (at + 10 > b.length) throw fault('GIF is truncated in a frame header');
      if (frames++ === 0) pixels = Math.max(pixels, u16(at + 5) * u16(at + 7));
      at += 10 + colorTable(b[at + 9]!) + 1; // descriptor, local colour table, LZW code size
      subBlocks();
    } else {
      throw fault(`GIF is corrupt (unknown block 0x${block.toString(16)})`);
    }
  }
  if (!frames) throw fault('GIF has no frame');
  if (!pixels) throw fault('GIF declares a zero size');
  return pixels;
}

const SVG_START = /^\uFEFF?\s*(?:<\?xml[^>]*>\s*)?(?:(?:<!--[^]*?-->|<!DOCTYPE[^>]*>)\s*)*<svg[\s>]/i;

/** The bytes of a `data:` URL, or undefined when it is malformed. */
export function dataUrlBytes(url: string): Uint8Array | undefined {
  const comma = url.indexOf(',');
  if (!/^\s*data:/i.test(url) || comma < 0) return undefined;
  const data = url.slice(comma + 1);
  try {
    if (/;\s*base64\s*$/i.test(url.slice(0, comma))) {
      return decodeBase64(data.replace(/\s+/g, ''));
    }
    return new TextEncoder().encode(decodeURIComponent(data));
  } catch {
    return undefined;
  }
}

const sized = (type: ImageType, size: [number, number]): ImageInfo => ({ type, pixels: size[0] * size[1], size });

/**
 * The type of `bytes` by their magic numbers, and the pixels they decode to.
 * Throws ImageFault when they are not a whole image the renderer draws.
 */
export function inspectImage(bytes: Uint8Array): ImageInfo {
  if (startsWith(bytes, PNG_SIGNATURE)) return sized('image/png', png(bytes));
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return sized('image/jpeg', jpeg(bytes));
  const head = ascii(bytes, 0, 12);
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return { type: 'image/gif', pixels: gif(bytes) };
  if (head.startsWith('RIFF') && head.endsWith('WEBP')) throw fault('it is WebP, which the renderer (resvg 2.6) cannot draw; use PNG or JPEG');
  if (/^....ftyp(avif|avis)/.test(head)) throw fault('it is AVIF, which the renderer (resvg 2.6) cannot draw; use PNG or JPEG');
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // not text: not SVG either
  }
  if (text !== undefined && SVG_START.test(text)) {
    // resvg loads an SVG image with image loading off (as browsers do for
    // external files): its own <image>s would be holes in the card.
    if (/<(?:image|feImage)\b/i.test(text)) throw fault(`it is an SVG with <image> elements, which the renderer does not draw inside an SVG image`);
    return { type: 'image/svg+xml', pixels: 0 };
  }
  const what = text !== undefined && /^\s*</.test(text) ? 'markup that is not SVG' : 'not PNG, JPEG, GIF or SVG';
  throw fault(`its bytes are ${what}`);
}
