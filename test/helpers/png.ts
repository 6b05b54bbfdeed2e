// PNG assertions: signature, dimensions, pixels.
import { decode } from 'fast-png';

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Width and height from the IHDR chunk, which always comes first. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export interface Pixels {
  width: number;
  height: number;
  /** RGBA at (x, y). */
  at(x: number, y: number): [number, number, number, number];
}

/**
 * 8-bit RGBA of any 8-bit PNG: the service writes RGB when every pixel is
 * opaque and a palette when there are at most 256 colours (src/render/png.ts).
 */
export function rgbaOf(bytes: Uint8Array): Uint8Array {
  const img = decode(bytes);
  if (img.depth !== 8) throw new Error(`expected bit depth 8, got ${img.depth}`);
  const n = img.width * img.height;
  if (img.channels === 4 && !img.palette) return img.data as Uint8Array;
  const out = new Uint8Array(n * 4);
  const data = img.data;
  for (let i = 0; i < n; i++) {
    if (img.palette) {
      const entry = img.palette[data[i]!]!;
      out.set([entry[0]!, entry[1]!, entry[2]!, entry[3] ?? 255], i * 4);
    } else if (img.channels === 3) {
      out.set([data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!, 255], i * 4);
    } else {
      const g = data[i * img.channels]!;
      out.set([g, g, g, img.channels === 2 ? data[i * 2 + 1]! : 255], i * 4);
    }
  }
  return out;
}

export function pixels(bytes: Uint8Array): Pixels {
  const { width, height } = pngSize(bytes);
  const data = rgbaOf(bytes);
  return {
    width,
    height,
    at(x, y) {
      const i = (y * width + x) * 4;
      return [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    },
  };
}

/** True when two colours are within `tolerance` on every channel. */
export const near = (a: number[], b: number[], tolerance = 24) => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);
