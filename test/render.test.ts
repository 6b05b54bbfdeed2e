// The render pipeline's own steps, on real satori output inside workerd:
// the gradient rewrite (src/render/svg.ts) must not change a pixel that
// matters, and every output format must decode to the same picture.
import { env } from 'cloudflare:test';
import { Resvg } from '@resvg/resvg-wasm';
import pixelmatch from 'pixelmatch';
import { describe, expect, it } from 'vitest';
import { renderImage } from '../src/render/index';
import { inlineGradientPatterns } from '../src/render/svg';

const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;

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

async function svgOf(element: unknown, width = 1200, height = 630) {
  const { bytes } = await renderImage(element, { width, height, format: 'image/svg+xml', assets });
  return new TextDecoder().decode(bytes);
}

function raster(svg: string): Uint8Array {
  const resvg = new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } });
  const image = resvg.render();
  const px = image.pixels.slice();
  image.free();
  resvg.free();
  return px;
}

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
    expect(differing(raster(svg), raster(out), 1200, 630)).toBe(0);
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
