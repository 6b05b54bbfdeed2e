// The render pipeline's own steps, on real satori output inside workerd:
// the gradient rewrite (src/render/svg.ts) must not change a pixel that
// matters, our PNG encoder must decode to exactly resvg's pixels, and WebP
// to the PNG's.
import { env } from 'cloudflare:test';
import { Resvg } from '@resvg/resvg-wasm';
import { initEmscriptenModule } from '@jsquash/webp/utils.js';
import webpDecoder from '@jsquash/webp/codec/dec/webp_dec.js';
import webpDecoderWasm from '@jsquash/webp/codec/dec/webp_dec.wasm';
import { inflateSync } from 'node:zlib';
import pixelmatch from 'pixelmatch';
import { describe, expect, it, vi } from 'vitest';
import { rasteriseLayers } from '../src/render/index';
import { overColour } from '../src/render/pixels';
import { encodePng } from '../src/render/png';
import { compositeOver, inlineGradientPatterns, splitBackground } from '../src/render/svg';
import { body, get } from './helpers/http';
import { rgbaOf } from './helpers/png';
import { plainRaster, svgOf } from './helpers/render';

// Whole cards rendered and encoded several times, on a shared 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;

async function decodeWebp(bytes: Uint8Array) {
  const decoder = await initEmscriptenModule(webpDecoder, webpDecoderWasm);
  const image = decoder.decode(bytes);
  if (!image) throw new Error('not a WebP libwebp can decode');
  return { width: image.width, height: image.height, data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
}

/** A minimal createElement: satori takes React-shaped objects. */
const h = (type: string, style: Record<string, unknown>, ...children: unknown[]) => ({
  type,
  props: { style, children: children.length === 1 ? children[0] : children },
});

/** routes/blog.tsx's card, written out (no D1 needed), with a gradient on a rounded logo too. */
const card = (background: string) =>
  h(
    'div',
    { width: '100%', height: '100%', display: 'flex', flexDirection: 'column', justifyContent: 'space-between', padding: 72, background, color: '#f8fafc' },
    h(
      'div',
      { display: 'flex', alignItems: 'center', gap: 16, fontSize: 28 },
      h('div', { width: 40, height: 40, borderRadius: 10, background: 'linear-gradient(90deg, #8b5cf6, #ec4899)', display: 'flex' }),
      h('span', { fontWeight: 700 }, 'The Edge Blog'),
    ),
    h('div', { display: 'flex', fontSize: 72, fontWeight: 700 }, 'Hello from the edge'),
  );

const GRADIENT = 'linear-gradient(135deg, #0f172a 0%, #1e1b4b 55%, #4c1d95 100%)';

/** Pixels that differ at pixelmatch's strictest useful threshold, as a share. */
function differing(a: Uint8Array, b: Uint8Array, width: number, height: number) {
  return pixelmatch(a, b, undefined, width, height, { threshold: 0.01 }) / (width * height);
}

describe('gradient backgrounds (src/render/svg.ts)', () => {
  it('satori still writes a full-box linear gradient as a pattern (the shape the rewrite expects)', async () => {
    const svg = await svgOf(card(GRADIENT));
    expect(svg).toMatch(/<pattern id="satori_pattern_[\w-]+" x="0" y="0" width="1" height="1" patternUnits="objectBoundingBox"><linearGradient /);
  });

  it('fills the shapes with the gradients themselves, with the same pixels', async () => {
    const svg = await svgOf(card(GRADIENT));
    const out = inlineGradientPatterns(svg);
    // Both gradients (the card's rect and the rounded logo's path) are inlined.
    expect(svg.match(/<pattern /g)).toHaveLength(2);
    expect(out).not.toContain('<pattern');
    expect(out).not.toMatch(/url\(#satori_pattern_/);
    expect(out.match(/<linearGradient /g)).toHaveLength(2);
    expect(differing(plainRaster(svg), plainRaster(out), 1200, 630)).toBe(0);
  });

  it('leaves tiled and radial backgrounds alone', async () => {
    const tiled = await svgOf(
      h('div', { display: 'flex', width: '100%', height: '100%', backgroundImage: GRADIENT, backgroundSize: '100px 100px' }),
      300,
      200,
    );
    expect(tiled).toContain('<pattern');
    expect(inlineGradientPatterns(tiled)).toBe(tiled);
    const radial = await svgOf(h('div', { display: 'flex', width: '100%', height: '100%', backgroundImage: 'radial-gradient(circle, #fff, #000)' }), 300, 200);
    expect(inlineGradientPatterns(radial)).toBe(radial);
  });

  it('is a no-op without patterns', () => {
    const svg = '<svg width="2" height="2" xmlns="http://www.w3.org/2000/svg"><rect width="2" height="2" fill="#000"/></svg>';
    expect(inlineGradientPatterns(svg)).toBe(svg);
  });
});

describe('output formats', () => {
  it('image/webp: a lossless WebP of the same pixels as the PNG', async () => {
    const slug = `formats-${crypto.randomUUID().slice(0, 8)}`;
    const [png, webp, svg] = await Promise.all(['png', 'webp', 'svg'].map((id) => get(`/formats/${slug}/image/${id}`)));
    expect(png!.headers.get('Content-Type')).toBe('image/png');
    expect(webp!.headers.get('Content-Type')).toBe('image/webp');
    expect(svg!.headers.get('Content-Type')).toBe('image/svg+xml');
    const pngBytes = await body(png!);
    const webpBytes = await body(webp!);
    const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
    expect(ascii(webpBytes, 0, 4)).toBe('RIFF');
    expect(ascii(webpBytes, 8, 12)).toBe('WEBP');
    expect(ascii(webpBytes, 12, 16)).toBe('VP8L'); // lossless
    const view = new DataView(webpBytes.buffer, webpBytes.byteOffset);
    expect(view.getUint32(4, true)).toBe(webpBytes.length - 8); // RIFF size
    expect(webpBytes[20]).toBe(0x2f); // VP8L signature
    const bits = view.getUint32(21, true);
    expect([(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1]).toEqual([400, 210]);
    // Decoded, the same picture as the PNG (to 1 in a channel: the two were
    // rendered apart); a lossy WebP would move far more.
    const decoded = await decodeWebp(webpBytes);
    expect([decoded.width, decoded.height]).toEqual([400, 210]);
    const fromPng = rgbaOf(pngBytes);
    let max = 0;
    for (let i = 0; i < fromPng.length; i++) max = Math.max(max, Math.abs(fromPng[i]! - decoded.data[i]!));
    expect(max).toBeLessThanOrEqual(1);
    expect(pixelmatch(fromPng, decoded.data, undefined, 400, 210, { threshold: 0.1 })).toBe(0);
    expect(webpBytes.length).toBeLessThan(pngBytes.length);
  });
});

describe('PNG encoding (src/render/png.ts)', () => {
  it('lays the pixels on a plain background colour as it encodes: the same PNG as laying them first, palette or not', async () => {
    // card('#1e1b4b') has a palette; with a gradient panel it has thousands of colours.
    const panel = h('div', { width: '100%', height: '100%', display: 'flex', padding: 60, background: 'rgb(15, 23, 42)' }, h('div', { width: 700, height: 400, display: 'flex', background: 'linear-gradient(135deg, #ff0000, #00ff00, #0000ff)' }));
    for (const [element, colourType] of [[card('#1e1b4b'), 3], [panel, 2]] as const) {
      const { pixels, under } = rasteriseLayers(await svgOf(element), 1200, 630);
      expect(under).toBeDefined();
      const asItEncodes = await encodePng(pixels.slice(), 1200, 630, under);
      const laidFirst = await encodePng(overColour(pixels.slice(), under!), 1200, 630);
      expect(asItEncodes[25]).toBe(colourType);
      expect(asItEncodes.length).toBe(laidFirst.length);
      expect(asItEncodes.every((b, i) => b === laidFirst[i])).toBe(true);
    }
  });

  /** resvg's own PNG and ours, from the same render. */
  async function both(element: unknown, width: number, height: number) {
    const svg = inlineGradientPatterns(await svgOf(element, width, height));
    const resvg = new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } });
    const image = resvg.render();
    const theirs = image.asPng();
    const ours = await encodePng(image.pixels, width, height);
    image.free();
    resvg.free();
    return { theirs, ours };
  }

  const cases: [string, unknown, number, number, number][] = [
    // name, element, width, height, PNG colour type expected
    ['an opaque gradient card: RGB', card(GRADIENT), 1200, 630, 2],
    ['a flat card with text: palette', card('#1e1b4b'), 1200, 630, 3],
    [
      'a rounded 512 px icon (translucent corners) with a gradient: RGBA',
      h('div', { width: '100%', height: '100%', display: 'flex', borderRadius: 64, background: 'linear-gradient(135deg, #ff0000, #00ff00, #0000ff)' }),
      512,
      512,
      6,
    ],
    ['a rounded flat icon: palette with transparency', h('div', { width: '100%', height: '100%', display: 'flex', borderRadius: 16, background: '#7c3aed' }), 72, 72, 3],
  ];
  for (const [name, element, width, height, colourType] of cases) {
    it(`${name}, decoding to exactly resvg's pixels`, async () => {
      const { theirs, ours } = await both(element, width, height);
      expect(ours[25]).toBe(colourType); // IHDR colour type
      const [a, b] = [rgbaOf(ours), rgbaOf(theirs)];
      expect(a.length).toBe(b.length);
      let differ = 0;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
      expect(differ).toBe(0);
    });
  }

  /** Premultiplied RGBA of `width`×`height`, from a seeded generator: `pixel(x, y, random)` gives straight [r, g, b, a]. */
  function synthetic(width: number, height: number, pixel: (x: number, y: number, random: () => number) => number[]) {
    let seed = 0x2545f491;
    const random = () => ((seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
    const px = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const [r, g, b, a] = pixel(x, y, random);
        // Premultiplied as tiny-skia stores it: c * a / 255, rounded.
        px.set([r, g, b].map((c) => Math.round((c! * a!) / 255)).concat(a!), (y * width + x) * 4);
      }
    }
    return px;
  }
  /** What resvg's asPng() writes for premultiplied pixels: tiny-skia's demultiply. */
  const straightened = (px: Uint8Array) => {
    const out = px.slice();
    for (let i = 0; i < px.length; i += 4) {
      const a = px[i + 3]!;
      for (let c = 0; c < 3; c++) out[i + c] = a === 0 ? px[i + c]! : Math.min(255, Math.trunc(px[i + c]! / (a / 255) + 0.5));
    }
    return out;
  };
  // Sizes that cross the encoder's bands of rows and widths that are not a
  // multiple of 4; each colour type and each filter.
  /** The filter types of a PNG's scanlines (8-bit, one IDAT). */
  const filtersOf = (png: Uint8Array, width: number, height: number) => {
    const view = new DataView(png.buffer, png.byteOffset);
    let at = 8;
    while (String.fromCharCode(...png.subarray(at + 4, at + 8)) !== 'IDAT') at += 12 + view.getUint32(at);
    const raw = inflateSync(png.subarray(at + 8, at + 8 + view.getUint32(at)));
    const line = raw.length / height;
    expect(Number.isInteger(line) && line > width).toBe(true);
    return new Set(Array.from({ length: height }, (_, y) => raw[y * line]));
  };
  /** A hash of n that is not linear in n (Up would turn a linear one into a constant). */
  const noise = (n: number) => {
    const h = Math.imul(n ^ (n >>> 3), 0x9e3779b1);
    return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  };
  // name, width, height, straight pixel, colour type, filter (None 0, Up 2)
  const images: [string, number, number, (x: number, y: number, random: () => number) => number[], number, number?][] = [
    ['noise, opaque: RGB', 333, 1001, (_x, _y, r) => [r() * 256, r() * 256, r() * 256, 255], 2],
    ['a vertical gradient, opaque: RGB, Up', 1201, 900, (x, y) => [y % 256, (y * 3 + (x >> 4)) % 256, 255 - (y % 256), 255], 2, 2],
    // Dots of many colours on white: Up writes each dot twice (itself, and its negative below).
    ['sparse dots, opaque: RGB, None', 333, 900, (x, y) => (noise(y * 333 + x) % 40 ? [255, 255, 255] : [0, 8, 16].map((k) => (noise(x + y) >>> k) & 255)).concat(255), 2, 0],
    ['noise with every alpha: RGBA', 257, 700, (_x, _y, r) => [r() * 256, r() * 256, r() * 256, r() * 256], 6],
    ['240 colours, some translucent: palette', 999, 1100, (x, y) => [(x * 7) % 120, 40, 0, (x + y) % 200 < 20 ? 128 : 255], 3, 0],
    ['one colour: palette', 5, 3, () => [12, 34, 56, 255], 3, 0],
  ];
  for (const [name, width, height, pixel, colourType, filter] of images) {
    it(`${name}: decodes to resvg's straight-alpha pixels`, async () => {
      const px = synthetic(width, height, (x, y, r) => pixel(x, y, r).map((c) => Math.min(255, Math.floor(c))));
      const png = await encodePng(px, width, height);
      expect(png[25]).toBe(colourType);
      const decoded = rgbaOf(png);
      const want = straightened(px);
      let differ = 0;
      for (let i = 0; i < want.length; i++) if (decoded[i] !== want[i]) differ++;
      expect(differ).toBe(0);
      if (filter !== undefined) expect(filtersOf(png, width, height)).toEqual(new Set([filter]));
    });
  }

  it('halves the blog card', async () => {
    const { theirs, ours } = await both(card(GRADIENT), 1200, 630);
    expect(ours.length).toBeLessThan(theirs.length / 2);
  });
});

describe('gradient background kept per isolate (splitBackground, compositeOver)', () => {
  it('text drawn over the kept background matches drawing it all at once, to 1 in a channel', async () => {
    const svg = inlineGradientPatterns(await svgOf(card(GRADIENT)));
    const layers = splitBackground(svg, 1200, 630);
    expect(layers).toBeDefined();
    expect(layers!.background).toContain('<linearGradient');
    expect(layers!.background).not.toContain('<path');
    expect(layers!.foreground).not.toMatch(/<rect x="0" y="0" width="1200" height="630" fill="url/);
    const whole = plainRaster(svg);
    const layered = compositeOver(plainRaster(layers!.foreground), plainRaster(layers!.background));
    let differ = 0;
    let max = 0;
    for (let i = 0; i < whole.length; i++) {
      const d = Math.abs(whole[i]! - layered[i]!);
      if (d) differ++;
      max = Math.max(max, d);
    }
    // Only rounding on anti-aliased text edges (≈1% of channels on this card), never visible.
    expect(max).toBeLessThanOrEqual(1);
    expect(differ / whole.length).toBeLessThan(0.02);
    expect(differing(whole, layered, 1200, 630)).toBe(0);
  });

  it('splits only a canvas-sized gradient or plain opaque colour, and never with blend modes or filters', async () => {
    const flat = inlineGradientPatterns(await svgOf(card('#1e1b4b')));
    expect(splitBackground(flat, 1200, 630)?.colour).toBe(0x4b1b1e);
    // Colours as satori writes them: as given, hsl() as rgb(); translucent ones stay in the SVG.
    const colourOf = async (background: string) =>
      splitBackground(await svgOf(h('div', { display: 'flex', width: '100%', height: '100%', background }, 'x'), 300, 300), 300, 300)?.colour;
    expect(await colourOf('white')).toBe(0xffffff);
    expect(await colourOf('#fff')).toBe(0xffffff);
    expect(await colourOf('rgb(10, 20, 30)')).toBe(0x1e140a);
    expect(await colourOf('hsl(200 50% 50%)')).toBe(0xbf9540);
    for (const translucent of ['rgba(10,20,30,0.5)', '#ffffff80', 'transparent', 'rgb(10 20 30 / 50%)']) expect(await colourOf(translucent), translucent).toBeUndefined();
    const blended = inlineGradientPatterns(
      await svgOf(
        h('div', { display: 'flex', width: '100%', height: '100%', background: GRADIENT },
          h('div', { display: 'flex', width: 200, height: 200, background: '#f00', mixBlendMode: 'multiply' })),
        400,
        300,
      ),
    );
    expect(blended).toContain('mix-blend-mode');
    expect(splitBackground(blended, 400, 300)).toBeUndefined();
  });
});
