// Reads PNG bytes for assertions: signature, dimensions, and pixels (decoded
// with the Web-standard DecompressionStream, so no decoder library is needed
// inside workerd for the few pixel checks the tests make).
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // IHDR is always the first chunk: width and height at bytes 16 and 20.
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
