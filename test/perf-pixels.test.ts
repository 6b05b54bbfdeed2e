// Every raster speed-up (src/render/emoji.ts, photos.ts, blurs.ts, svg.ts's
// borders, png.ts's filter choice, backgrounds.ts) against a plain
// satori → resvg render of the same SVG, on the bench's six cards
// (bench/cards.mjs) inside workerd: the pixels must match within the golden
// tolerance (test/golden.test.ts), and each rewrite must have happened.
import { encode } from 'fast-png';
import pixelmatch from 'pixelmatch';
import { describe, expect, it, vi } from 'vitest';
import {
  BLOG_POST,
  blogCard,
  EMOJI_POST,
  emojiCard,
  GRADIENT_POST,
  gradientCard,
  INTL_POST,
  intlCard,
  PHOTO_POST,
  photoCard,
  REPO,
  statsCard,
} from '../bench/cards.mjs';
import { inlineSvgImages } from '../src/render/emoji';
import { toDataUrl } from '../src/render/images';
import { isSmooth, keptBackgroundBytes } from '../src/render/backgrounds';
import { rasteriseCard } from '../src/render/index';
import { ByteLru } from '../src/render/lru';
import { predrawBlurs } from '../src/render/blurs';
import { drawLayer, liftTopPhoto, predrawPhotos, scaledHere } from '../src/render/photos';
import { ensureWasm } from '../src/render/wasm';
import { encodePng } from '../src/render/png';
import { inlineGradientPatterns, splitBackground, unclipBorders } from '../src/render/svg';
import { plainRaster, svgOf } from './helpers/render';
// The bench's 720×477 JPEG photo, as a data: URL (vite inlines it).
import benchJpeg from '../bench/assets/photo.jpg?inline';

// Whole cards drawn several times each, on a shared 2-core machine.
vi.setConfig({ testTimeout: 120_000 });

const W = 1200;
const H = 630;

/** createElement with what the service adds before satori (src/render/images.ts): border-box. */
const h = (type: string, props: Record<string, unknown> | null, ...children: unknown[]) => ({
  type,
  props: { ...props, style: { boxSizing: 'border-box', ...(props?.style as object) }, children: children.length === 1 ? children[0] : children },
});

/**
 * A photo-like PNG: smooth light and colour with grain, 1600×1000, so that
 * drawing it means decoding a large image and scaling it down.
 */
function photo(seed = 7, w = 1600, ht = 1000, alpha = false): string {
  const channels = alpha ? 4 : 3;
  const data = new Uint8Array(w * ht * channels);
  const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) / 255 - 0.5;
  for (let y = 0; y < ht; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * channels;
      const light = 0.5 + 0.3 * Math.sin(x / 170) * Math.cos(y / 120);
      data[i] = Math.max(0, Math.min(255, 255 * light * (0.8 + 0.2 * Math.sin(y / 60)) + 30 * noise()));
      data[i + 1] = Math.max(0, Math.min(255, 200 * light + 30 * noise()));
      data[i + 2] = Math.max(0, Math.min(255, 160 * (1 - light) + 30 * noise()));
      // Translucent in patches, with sharp edges and fully clear holes.
      if (alpha) data[i + 3] = (x >> 4) % 5 === 0 ? 0 : Math.max(0, Math.min(255, 128 + 127 * Math.sin(x / 23 + y / 31)));
    }
  }
  return toDataUrl('image/png', encode({ width: w, height: ht, data, channels }));
}

/** A JPEG data: URL with an EXIF block saying the picture is rotated 90° (orientation 6), which resvg may or may not honour. */
function rotatedExif(url: string): string {
  const comma = url.indexOf(',') + 1;
  const jpeg = atob(url.slice(comma));
  const tiff = 'MM\x00\x2a\x00\x00\x00\x08' + '\x00\x01' + '\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00' + '\x00\x00\x00\x00';
  const body = `Exif\x00\x00${tiff}`;
  const app1 = `\xff\xe1${String.fromCharCode((body.length + 2) >> 8, (body.length + 2) & 255)}${body}`;
  return url.slice(0, comma) + btoa(jpeg.slice(0, 2) + app1 + jpeg.slice(2));
}

/** Share of pixels that differ at the golden tests' threshold, and the largest channel difference. */
function compare(a: Uint8Array, b: Uint8Array, width = W, height = H) {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return { ratio: pixelmatch(a, b, undefined, width, height, { threshold: 0.1 }) / (width * height), max };
}
const GOLDEN_TOLERANCE = 0.001;

const count = (s: string, what: string) => s.split(what).length - 1;

describe('the bench cards drawn fast match the plain render', () => {
  const cases: [string, () => unknown][] = [
    ['blog card', () => blogCard(h, BLOG_POST)],
    ['per-post gradient', () => gradientCard(h, GRADIENT_POST, 211)],
    ['photo', () => photoCard(h, PHOTO_POST, photo())],
    ['emoji-heavy title', () => emojiCard(h, EMOJI_POST)],
    ['Japanese + Arabic title', () => intlCard(h, INTL_POST)],
    ['stats card with bordered boxes', () => statsCard(h, REPO)],
  ];
  for (const [name, element] of cases) {
    it(`${name}: first and second render within the golden tolerance`, async () => {
      const svg = await svgOf(element());
      const reference = plainRaster(svg);
      // The first render fills the per-isolate caches, the second reads them.
      for (const pass of ['first', 'second']) {
        const { ratio, max } = compare(reference, rasteriseCard(svg, W, H));
        expect(ratio, `${pass} render: ${ratio} of pixels differ (largest channel difference ${max})`).toBeLessThanOrEqual(GOLDEN_TOLERANCE);
      }
    });
  }

  it('draws a card no rewrite applies to byte for byte as resvg does, at its own size (resvg left uncropped)', async () => {
    // Under 256×256 nothing is split off; no border, gradient, photo, blur or emoji.
    const element = h('div', { style: { display: 'flex', width: '100%', height: '100%', background: '#fef3c7', color: '#78350f', fontSize: 28, padding: 12 } }, 'Uncropped: 255×97');
    const svg = await svgOf(element, 255, 97);
    const ours = rasteriseCard(svg, 255, 97);
    expect(ours.length).toBe(255 * 97 * 4);
    expect(compare(plainRaster(svg), ours, 255, 97).max).toBe(0);
  });
});

describe('emoji as inline SVG (emoji.ts)', () => {
  it('replaces every Twemoji image with the same drawing inline, to 3 in a channel', async () => {
    const svg = await svgOf(emojiCard(h, EMOJI_POST));
    expect(count(svg, '<image ')).toBeGreaterThanOrEqual(12);
    const inline = inlineSvgImages(svg);
    expect(count(inline, '<image ')).toBe(0);
    const { ratio, max } = compare(plainRaster(svg), plainRaster(inline));
    expect(max).toBeLessThanOrEqual(3);
    expect(ratio).toBe(0);
  });

  it('keeps ids apart when emoji with ids (gradients, clip paths) appear more than once', async () => {
    const svg = await svgOf(h('div', { style: { display: 'flex', width: '100%', height: '100%', background: '#fff', fontSize: 90 } }, '🪇🛜🪇🫨🛜'), 600, 200);
    const inline = inlineSvgImages(svg);
    const ids = [...inline.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [, ref] of inline.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref);
    expect(compare(plainRaster(svg), plainRaster(inline), 600, 200).max).toBeLessThanOrEqual(3);
  });

  it('leaves an SVG image that is not safe to inline (a <style>, a script) as an image', () => {
    const styled = btoa('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>path{fill:red}</style><path d="M0 0h10v10z"/></svg>');
    const scripted = btoa('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="x()"><path d="M0 0h10v10z"/></svg>');
    for (const b64 of [styled, scripted]) {
      const svg = `<svg width="20" height="20" viewBox="0 0 20 20" xmlns="http://www.w3.org/2000/svg"><image href="data:image/svg+xml;base64,${b64}" x="0" y="0" width="20" height="20"/></svg>`;
      expect(inlineSvgImages(svg)).toBe(svg);
    }
  });
});

describe('photos drawn once per isolate (photos.ts)', () => {
  it('replaces the photo with its drawn footprint, 1:1, and reuses it', async () => {
    const src = photo(8); // not the one drawn above, so nothing is kept yet
    const svg = await svgOf(photoCard(h, PHOTO_POST, src));
    expect(svg).toContain(src);
    const seen: string[] = [];
    const rasterise = (s: string) => (seen.push(s), plainRaster(s));
    const once = predrawPhotos(svg, W, H, rasterise);
    const twice = predrawPhotos(svg, W, H, rasterise);
    expect(once).toBe(twice);
    // Decoded once by resvg, 1:1 (1600×1000), and scaled to its footprint
    // (520×590 at 660,20) here; not again.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^<svg width="1600" height="1000"/);
    expect(once).not.toContain(src); // the 1600×1000 original
    expect(once).toMatch(/<image x="660" y="20" width="520" height="590" href="data:image\/png;base64,[^"]+" preserveAspectRatio="none" clip-path=/);
  });

  it('scales a photo as resvg does, to 1 in a channel: down, up, at fractional offsets, with alpha, JPEGs with EXIF', async () => {
    await ensureWasm();
    type Box = [x: number, y: number, width: number, height: number];
    const cases: [string, string, Box, number, number][] = [
      // [source, its box in the footprint, footprint width, height]
      ['1600×1000 down to 0.59, cropped left', photo(11), [-100.4, 0, 944, 590], 520, 590],
      ['200×125 up to 2.6, fractional', photo(12, 200, 125), [-0.37, -1.5, 520.74, 327.55], 520, 325],
      ['1600×1000 to 0.5, both axes fractional', photo(13), [-3.25, -7.6, 800.9, 500.55], 790, 490],
      ['1:1, shifted a fraction', photo(14, 400, 300), [-0.5, -0.25, 400, 300], 399, 299],
      ['translucent, down to 0.8', photo(15, 640, 400, true), [0, 0, 512, 320], 512, 320],
      ['translucent, up to 1.7', photo(16, 300, 200, true), [-10, -4.2, 510, 340], 490, 330],
      ['the bench’s JPEG, as its cover card draws it', benchJpeg, [-185.28, 0, 890.566037735849, 590], 520, 590],
      ['the same JPEG marked as rotated (EXIF orientation 6)', rotatedExif(benchJpeg), [-185.28, 0, 890.566037735849, 590], 520, 590],
    ];
    for (const [what, src, box, fw, fh] of cases) {
      const ours = scaledHere({ box, stretched: true, href: src, fw, fh }, plainRaster);
      expect(ours, what).toBeDefined();
      const [x, y, w, ht] = box;
      const place = `x="${x}" y="${y}" width="${w}" height="${ht}" preserveAspectRatio="none"`;
      const reference = plainRaster(`<svg width="${fw}" height="${fh}" viewBox="0 0 ${fw} ${fh}" xmlns="http://www.w3.org/2000/svg"><image ${place} href="${src}"/></svg>`);
      const { ratio, max } = compare(reference, ours!, fw, fh);
      expect(max, `${what}: largest channel difference`).toBeLessThanOrEqual(1);
      expect(ratio, what).toBe(0);
    }
  });

  it('leaves to resvg a photo that does not cover its footprint, or keeps its aspect ratio', async () => {
    await ensureWasm();
    const src = photo(17, 400, 300);
    expect(scaledHere({ box: [10.5, 0, 400, 300], stretched: true, href: src, fw: 411, fh: 300 }, plainRaster)).toBeUndefined();
    expect(scaledHere({ box: [0, 0, 400, 400], stretched: false, href: src, fw: 400, fh: 400 }, plainRaster)).toBeUndefined();
    // object-fit: contain, as a card writes it: satori letterboxes the photo
    // to a 500×375 box at y = 62.5, whose edge lies inside its footprint:
    // resvg draws the footprint itself (500×376), no 1:1 decode (400×300).
    const svg = await svgOf(h('div', { style: { display: 'flex', width: '100%', height: '100%' } },
      h('img', { src, width: 500, height: 500, style: { objectFit: 'contain' } })), 600, 600);
    const seen: string[] = [];
    predrawPhotos(svg, 600, 600, (s) => (seen.push(s), plainRaster(s)));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^<svg width="500" height="376"/);
  });

  it('takes a photo drawn last out of the SVG and composites it through its rounded clip, to 1 in a channel', async () => {
    const svg = inlineGradientPatterns(await svgOf(photoCard(h, PHOTO_POST, photo(9))));
    const lifted = liftTopPhoto(svg, W, H, plainRaster);
    expect(lifted).toBeDefined();
    expect(lifted!.svg).not.toContain('<image ');
    expect(lifted!.layer).toMatchObject({ left: 660, top: 20, width: 520, height: 590 });
    // The rounded corners: some of the clip's coverage partial, most full.
    const mask = lifted!.layer.mask!;
    expect(mask.filter((m) => m > 0 && m < 255).length).toBeGreaterThan(100);
    expect(mask.filter((m) => m === 255).length).toBeGreaterThan(mask.length * 0.98);
    const reference = plainRaster(svg);
    const { ratio, max } = compare(reference, drawLayer(plainRaster(lifted!.svg), W, lifted!.layer));
    expect(ratio).toBe(0);
    expect(max).toBeLessThanOrEqual(1);
  });

  it('leaves a photo in the SVG when anything is drawn after it (a caption over a full-bleed photo)', async () => {
    const card = h(
      'div',
      { style: { display: 'flex', width: '100%', height: '100%', alignItems: 'flex-end', background: '#000' } },
      h('img', { src: photo(10), width: W, height: H, style: { position: 'absolute', objectFit: 'cover' } }),
      // Positioned too: satori, like CSS, paints positioned boxes after the others, in order.
      h('div', { style: { display: 'flex', position: 'absolute', left: 0, bottom: 0, padding: 48, fontSize: 64, color: '#fff' } }, 'A caption over the photo'),
    );
    const svg = inlineGradientPatterns(await svgOf(card));
    expect(svg.slice(svg.lastIndexOf('<image '))).toContain('<path'); // the caption, drawn after the photo
    expect(liftTopPhoto(svg, W, H, plainRaster)).toBeUndefined();
    expect(compare(plainRaster(svg), rasteriseCard(svg, W, H)).ratio).toBeLessThanOrEqual(GOLDEN_TOLERANCE);
  });

  it('leaves photos alone in a card with a transform', async () => {
    const svg = await svgOf(h('div', { style: { display: 'flex', width: '100%', height: '100%' } }, h('img', { src: photo(), width: 400, height: 300, style: { transform: 'rotate(3deg)' } })), 600, 400);
    expect(svg).toContain('transform=');
    expect(predrawPhotos(svg, 600, 400, () => {
      throw new Error('drawn');
    })).toBe(svg);
  });
});

describe('borders without clip paths (svg.ts)', () => {
  it('draws the stats card’s eight rounded borders as rings', async () => {
    const svg = await svgOf(statsCard(h, REPO));
    const before = count(svg, 'clip-path="url(#satori_bc-');
    expect(before).toBe(8);
    const out = unclipBorders(svg);
    expect(count(out, 'clip-path="url(#satori_bc-')).toBe(0);
    expect(count(out, 'fill-rule="evenodd"')).toBe(8);
    expect(compare(plainRaster(svg), plainRaster(out)).ratio).toBeLessThanOrEqual(GOLDEN_TOLERANCE);
  });

  it('draws square borders whose sides differ as rings: one side, two colours, uneven widths', async () => {
    const box = (style: Record<string, unknown>) => h('div', { style: { display: 'flex', width: 141.5, height: 80.25, ...style } });
    const svg = await svgOf(
      h('div', { style: { display: 'flex', flexWrap: 'wrap', gap: 9.5, padding: 7.25, width: '100%', height: '100%', background: '#fff', borderTop: '16px solid #dc2626' } },
        box({ borderBottom: '3px solid #f00' }),
        box({ borderLeft: '6px solid rgba(0, 0, 255, 0.5)', background: '#eee' }),
        box({ borderTop: '5px solid #0a0', borderBottom: '5px solid #0a0' }),
        box({ borderWidth: '2px 8px 4px 12px', borderStyle: 'solid', borderColor: '#333' }),
        box({ borderWidth: 6, borderStyle: 'solid', borderColor: '#f00 #0f0 #00f #fa0' }),
        box({ borderLeft: '10px solid #000', borderTop: '3px solid #999' })),
      600,
      200,
    );
    const out = unclipBorders(svg);
    expect(count(svg, 'satori_br-')).toBeGreaterThan(0);
    // No stroke is left inside a ring clip; one clip at most per group of sides.
    expect(count(out, 'clip-path="url(#satori_br-')).toBe(0);
    expect(count(out, 'clip-path="url(#satori_bs-')).toBeLessThan(count(svg, 'clip-path="url(#satori_bs-'));
    const { ratio, max } = compare(plainRaster(svg), plainRaster(out), 600, 200);
    expect(ratio, `${ratio} of pixels differ (largest channel difference ${max})`).toBeLessThanOrEqual(GOLDEN_TOLERANCE);
  });

  it('leaves dashed, rounded-and-uneven and overflow-clipped borders clipped', async () => {
    const box = (style: Record<string, unknown>) => h('div', { style: { display: 'flex', width: 150, height: 80, ...style } });
    const svg = await svgOf(
      h('div', { style: { display: 'flex', gap: 10, width: '100%', height: '100%', background: '#fff' } },
        box({ border: '2px dashed #00f' }),
        box({ border: '2px solid #333', borderTopLeftRadius: 20 }),
        box({ borderLeft: '4px solid #333', borderRadius: 12 })),
      600,
      120,
    );
    const out = unclipBorders(svg);
    expect(count(out, 'fill-rule="evenodd"')).toBe(0);
    expect(compare(plainRaster(svg), plainRaster(out), 600, 120).max).toBe(0);
  });
});

describe('wide blurs drawn at a fraction of the resolution (blurs.ts)', () => {
  // The glow look (blurred blobs behind a translucent panel with Tailwind's
  // shadow-2xl), a drop-shadow and a blurred photo-like layer; a slight blur
  // under the threshold stays as it is.
  const glow = () =>
    h('div', { style: { display: 'flex', width: '100%', height: '100%', alignItems: 'center', justifyContent: 'center', background: '#020617' } },
      h('div', { style: { position: 'absolute', left: -100, top: -150, width: 600, height: 600, borderRadius: 300, background: '#7c3aed', filter: 'blur(100px)' } }),
      h('div', { style: { position: 'absolute', right: -100, bottom: -200, width: 600, height: 600, borderRadius: 300, background: '#0ea5e9', filter: 'blur(100px)' } }),
      h('div', { style: { position: 'absolute', left: 450, top: 200, width: 300, height: 300, borderRadius: 150, background: '#f43f5e', filter: 'blur(40px) brightness(1.2)' } }),
      h('div', { style: { display: 'flex', flexDirection: 'column', width: 1000, height: 430, padding: 56, borderRadius: 32, background: 'rgba(15, 23, 42, 0.85)', boxShadow: '0 25px 50px -12px rgba(0, 0, 0, 0.25)', color: '#f8fafc' } },
        h('div', { style: { display: 'flex', fontSize: 72, fontWeight: 700 } }, 'Edge images, cached by id'),
        h('div', { style: { display: 'flex', marginTop: 40, width: 200, height: 80, background: '#22c55e', borderRadius: 16, filter: 'drop-shadow(0 10px 24px rgba(34, 197, 94, 0.6))' } }),
        h('div', { style: { display: 'flex', marginTop: 20, width: 300, height: 40, background: '#fff', filter: 'blur(3px)' } })));

  it('replaces the wide blurs and shadows with scaled-down rasters, within the golden tolerance', async () => {
    const svg = await svgOf(glow());
    const out = predrawBlurs(svg, W, H, plainRaster);
    expect(count(svg, 'filter="url(#')).toBe(6);
    // The blur(3px) and the drop-shadow (which merges the sharp element
    // back in) stay; the rest are images, the shadow's mask still on its group.
    expect(count(out, 'filter="url(#')).toBe(2);
    // The three blobs one after the other are one image, the shadow another.
    expect(count(out, '<image ')).toBe(2);
    expect(out).toMatch(/<g mask="url\(#satori_ms-[\w-]+\)"><image /);
    const { ratio, max } = compare(plainRaster(svg), rasteriseCard(svg, W, H));
    expect(ratio, `${ratio} of pixels differ (largest channel difference ${max})`).toBeLessThanOrEqual(GOLDEN_TOLERANCE);
    // Where they differ, by a few levels in the soft parts.
    expect(max).toBeLessThanOrEqual(16);
  });

  it('leaves a card with a transform, and a filter reading the backdrop, as they are', async () => {
    const turned = await svgOf(h('div', { style: { display: 'flex', width: '100%', height: '100%', background: '#fff' } },
      h('div', { style: { width: 300, height: 300, background: '#f00', filter: 'blur(40px)', transform: 'rotate(10deg)' } })));
    expect(predrawBlurs(turned, W, H, plainRaster)).toBe(turned);
    const backdrop = '<svg width="10" height="10" viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg"><filter id="f"><feGaussianBlur in="BackgroundImage" stdDeviation="40"/></filter><g filter="url(#f)"><rect width="5" height="5"/></g></svg>';
    expect(predrawBlurs(backdrop, 10, 10, plainRaster)).toBe(backdrop);
  });
});

describe('PNG filter per image (png.ts)', () => {
  /** The filter type byte of each scanline, from the inflated IDAT. */
  async function filters(png: Uint8Array): Promise<Set<number>> {
    const view = new DataView(png.buffer, png.byteOffset);
    const [width, colourType] = [view.getUint32(16), png[25]!];
    const parts: Uint8Array[] = [];
    for (let at = 8; at < png.length; ) {
      const len = view.getUint32(at);
      if (new TextDecoder().decode(png.subarray(at + 4, at + 8)) === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + len));
      at += 12 + len;
    }
    const raw = new Uint8Array(await new Response(new Blob(parts as Uint8Array<ArrayBuffer>[]).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer());
    const stride = 1 + width * (colourType === 2 ? 3 : 4);
    const out = new Set<number>();
    for (let i = stride; i < raw.length; i += stride) out.add(raw[i]!); // rows after the first
    return out;
  }

  it('leaves a diagonal gradient unfiltered, and filters a vertical one Up', async () => {
    const diagonal = plainRaster(inlineGradientPatterns(await svgOf(gradientCard(h, GRADIENT_POST, 30)))); // 120deg
    const vertical = plainRaster(
      inlineGradientPatterns(await svgOf(h('div', { style: { display: 'flex', width: '100%', height: '100%', background: 'linear-gradient(180deg, #0f172a, #f59e0b 50%, #4c1d95)' } }))),
    );
    expect(await filters(await encodePng(diagonal, W, H))).toEqual(new Set([0]));
    expect(await filters(await encodePng(vertical, W, H))).toEqual(new Set([2]));
  });
});

describe('per-isolate budgets', () => {
  it('ByteLru evicts the least recently used entry past its budget', () => {
    const lru = new ByteLru<string>(100);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    expect(lru.get('a')).toBe('A'); // a is now the most recent
    lru.set('c', 'C', 40);
    expect(lru.has('b')).toBe(false);
    expect(lru.has('a') && lru.has('c')).toBe(true);
    expect(lru.bytes).toBe(80);
    lru.set('huge', 'H', 101);
    expect(lru.has('huge')).toBe(false);
  });

  /** A card over a two-tone split of its own hue (a hard stop): a background not smooth enough to scale up (backgrounds.ts). */
  const splitCard = (hue: number) =>
    h(
      'div',
      {
        style: {
          display: 'flex',
          width: '100%',
          height: '100%',
          padding: 72,
          fontSize: 64,
          color: '#fff',
          background: `linear-gradient(135deg, hsl(${hue}, 70%, 35%) 0%, hsl(${hue}, 70%, 25%) 50%, #0b1020 50%, #111827 100%)`,
        },
      },
      'A two-tone card behind the title',
    );

  it('keeps a full-size background only once it repeats (per-post ones keep none), and draws a card the same either way', async () => {
    const before = keptBackgroundBytes();
    for (const hue of [11, 12, 13]) rasteriseCard(await svgOf(splitCard(hue)), W, H);
    expect(keptBackgroundBytes()).toBe(before);
    const repeated = await svgOf(splitCard(99));
    const first = rasteriseCard(repeated, W, H);
    expect(keptBackgroundBytes()).toBe(before);
    const second = rasteriseCard(repeated, W, H);
    expect(keptBackgroundBytes()).toBe(before + W * H * 4);
    const third = rasteriseCard(repeated, W, H);
    // Drawn, drawn and kept, then over the kept raster: the same pixels (a render depends on the card alone).
    // (Counted, not toEqual: vitest's deep equality takes seconds on 3 MB.)
    const differ = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + (v === b[i] ? 0 : 1), 0);
    expect(differ(second, first)).toBe(0);
    expect(differ(third, first)).toBe(0);
    expect(compare(plainRaster(repeated), first).ratio).toBeLessThanOrEqual(GOLDEN_TOLERANCE);
  });

  it('lays a card over its plain background colour, to 1 in a channel on anti-aliased edges', async () => {
    const textOnly = h('div', { style: { display: 'flex', flexDirection: 'column', width: '100%', height: '100%', padding: 64, background: '#fafaf9', color: '#1c1917', fontSize: 56 } },
      h('div', { style: { display: 'flex' } }, 'Plain backgrounds, 1.5 ms less'),
      h('div', { style: { display: 'flex', fontSize: 28, color: '#78716c' } }, 'Text straight on the colour, anti-aliased'));
    // Translucent, rounded and overlapping boxes with text over them, on a dark colour.
    const layered = h('div', { style: { display: 'flex', width: '100%', height: '100%', background: 'rgb(15, 23, 42)', padding: 48, gap: 24 } },
      ...[0.35, 0.6, 1].map((alpha, i) =>
        h('div', { style: { display: 'flex', width: 320, height: 300, marginTop: i * 40, borderRadius: 28, background: `rgba(56, 189, 248, ${alpha})`, color: '#f8fafc', fontSize: 36, padding: 24 } }, `Box ${i + 1}`)));
    for (const [name, element] of [['text', textOnly], ['intl', intlCard(h, INTL_POST)], ['layered', layered]] as const) {
      const svg = await svgOf(element);
      expect(splitBackground(unclipBorders(svg), W, H)?.colour, name).toBeDefined();
      const { ratio, max } = compare(plainRaster(svg), rasteriseCard(svg, W, H));
      expect(ratio, name).toBe(0);
      expect(max, name).toBeLessThanOrEqual(1);
    }
  });

  it('draws a smooth linear gradient from a quarter-size raster: to 2 in a channel, nothing kept full size', async () => {
    const before = keptBackgroundBytes();
    for (const [hue, card] of [
      [211, gradientCard(h, GRADIENT_POST, 211)],
      [0, blogCard(h, BLOG_POST)],
      // Three stops, a steep angle, a narrow canvas.
      [1, h('div', { style: { display: 'flex', width: '100%', height: '100%', background: 'linear-gradient(10deg, #f00 0%, #0f0 30%, #00f 100%)', color: '#fff', fontSize: 40 } }, 'Stops')],
    ] as const) {
      const svg = inlineGradientPatterns(await svgOf(card));
      const layers = splitBackground(svg, W, H)!;
      expect(isSmooth(layers.background), `card ${hue}`).toBe(true);
      const { ratio, max } = compare(plainRaster(svg), rasteriseCard(svg, W, H));
      expect(ratio).toBe(0);
      expect(max, `card ${hue}`).toBeLessThanOrEqual(2);
    }
    expect(keptBackgroundBytes()).toBe(before);
  });

  it('scales up only gradients it can: not radial, repeating or with hard stops', async () => {
    // Whether the background splits off and is smooth; undefined when it does not split.
    const smooth = async (css: string) => {
      const layers = splitBackground(inlineGradientPatterns(await svgOf(h('div', { style: { display: 'flex', width: '100%', height: '100%', backgroundImage: css } }, ' '))), W, H);
      return layers && isSmooth(layers.background);
    };
    expect(await smooth('linear-gradient(90deg, #000, #fff)')).toBe(true);
    expect(await smooth('linear-gradient(90deg, #000 50%, #fff 50%)')).toBe(false);
    expect(await smooth('radial-gradient(#000, #fff)')).not.toBe(true);
    expect(await smooth('repeating-linear-gradient(45deg, #000 0px, #000 10px, #fff 10px, #fff 20px)')).not.toBe(true);
  });
});
