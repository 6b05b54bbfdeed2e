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

export function pixels(bytes: Uint8Array): Pixels {
  const img = decode(bytes);
  const channels = img.channels;
  const data = img.data;
  return {
    width: img.width,
    height: img.height,
    at(x, y) {
      const i = (y * img.width + x) * channels;
      const px = [data[i], data[i + 1], data[i + 2], channels === 4 ? data[i + 3] : 255];
      return px as [number, number, number, number];
    },
  };
}

/** True when two colours are within `tolerance` on every channel. */
export const near = (a: number[], b: number[], tolerance = 24) => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);
