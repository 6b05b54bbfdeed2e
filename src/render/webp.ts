// WebP for items that ask for `contentType: 'image/webp'`: libwebp from
// @jsquash/webp (Squoosh's build, with wasm SIMD), lossless.
//
// Lossless, because a card is text and flat colour or gradients: libwebp's
// lossless mode at its fastest setting (method 0) writes the blog card in
// ~39 KB, a fifth of resvg's PNG, in ~18 ms, and decodes to exactly the PNG's
// pixels; lossy (quality 75) is ~22 KB but blurs text edges and takes longer
// at the default method.
//
// workerd forbids compiling wasm from bytes, so the SIMD binary is imported as
// a module (a compiled WebAssembly.Module) and handed to the Emscripten glue,
// which instantiates it; @jsquash's own init() would first probe for SIMD and
// could pick the non-SIMD glue. It is started at the first WebP request only,
// and once per isolate.
import { initEmscriptenModule } from '@jsquash/webp/utils.js';
import factory from '@jsquash/webp/codec/enc/webp_enc_simd.js';
import webpWasm from '@jsquash/webp/codec/enc/webp_enc_simd.wasm';
import { defaultOptions } from '@jsquash/webp/meta.js';

type Encoder = Awaited<ReturnType<typeof factory>>;
let encoder: Promise<Encoder> | undefined;

const OPTIONS = { ...defaultOptions, lossless: 1, method: 0, quality: 50 };

/** `rgba` is straight-alpha RGBA (see pixels.ts's demultiply). */
export async function encodeWebp(rgba: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  encoder ??= initEmscriptenModule(factory, webpWasm).catch((e) => {
    encoder = undefined;
    throw e;
  });
  const module = await encoder;
  const data = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  const out = module.encode(data, width, height, OPTIONS);
  if (!out) throw new Error('WebP encoding failed');
  return new Uint8Array(out);
}
