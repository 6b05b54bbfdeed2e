// Post-processing of satori's SVG before resvg rasterises it.
//
// satori writes a CSS `linear-gradient` background as a <pattern> whose one
// tile is the whole box, holding a <linearGradient> and a rect of the box's
// size filled with it:
//
//   <pattern id="satori_pattern_id_0" x="0" y="0" width="1" height="1" patternUnits="objectBoundingBox">
//     <linearGradient id="satori_biid_0" x1=… spreadMethod="pad"><stop …/>…</linearGradient>
//     <rect x="0" y="0" width="1200" height="630" fill="url(#satori_biid_0)"/>
//   </pattern>
//   …<rect x="0" y="0" width="1200" height="630" fill="url(#satori_pattern_id_0)"/>
//
// resvg draws a pattern by rasterising its tile into a full-size pixmap and
// then filling the shape from that pixmap: for a 1200×630 card that is a
// second full-size raster pass (about 35 of the 55 ms the card's raster took).
// When the tile is exactly the shape's bounding box and the rect exactly the
// tile, filling the shape with the gradient itself is the same picture: the
// gradient's default units are the bounding box of what it fills, and that box
// is the same either way. So such a pattern is replaced by its gradient, and
// the shapes that used it point at the gradient.
//
// Only this exact shape is rewritten, and only when every element that
// references the pattern has the rect's width and height (satori writes x, y,
// width and height on the rect or path it fills, and a border-radius path
// spans that box). Anything else (tiled or offset backgrounds, radial
// gradients, which satori gives user-space units, images) is left as it is.

const NUM = String.raw`-?\d+(?:\.\d+)?(?:e[-+]?\d+)?`;
const PATTERN = new RegExp(
  String.raw`<pattern id="([\w-]+)" x="0" y="0" width="1" height="1" patternUnits="objectBoundingBox">` +
    String.raw`(<linearGradient id="([\w-]+)"(?: [\w-]+="[^"<>]*")*>(?:<stop(?: [\w-]+="[^"<>]*")*/>)*</linearGradient>)` +
    String.raw`<rect x="0" y="0" width="(${NUM})" height="(${NUM})" fill="url\(#\3\)"/></pattern>`,
  'g',
);

const attr = (tag: string, name: string) => tag.match(new RegExp(String.raw`\s${name}="(${NUM})"`))?.[1];
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces full-box gradient patterns with their gradient (see above); returns the SVG unchanged otherwise. */
export function inlineGradientPatterns(svg: string): string {
  if (!svg.includes('<pattern')) return svg;
  let out = svg;
  for (const m of svg.matchAll(PATTERN)) {
    const [whole, patternId, gradient, gradientId, width, height] = m;
    const ref = `fill="url(#${patternId})"`;
    // Every start tag that uses the pattern as its fill.
    const users = [...out.matchAll(new RegExp(String.raw`<(?:rect|path)\b[^<>]*\s${escapeRe(ref)}[^<>]*>`, 'g'))];
    const total = out.split(`url(#${patternId})`).length - 1;
    if (!users.length || users.length !== total) continue;
    const sameBox = users.every(([tag]) => {
      const w = attr(tag, 'width');
      const h = attr(tag, 'height');
      return w !== undefined && h !== undefined && Math.abs(+w - +width) < 1e-6 && Math.abs(+h - +height) < 1e-6;
    });
    if (!sameBox) continue;
    out = out.replace(whole, gradient).replaceAll(ref, `fill="url(#${gradientId})"`);
  }
  return out;
}

// ---------------------------------------------------------------------------
// A card's gradient background, rasterised once per isolate.
//
// Even drawn directly, a full-canvas gradient is most of resvg's work on a
// card: on the 1200×630 blog card ~16 of ~22 ms, against ~5 ms for all the
// text. And it is the same on every card of a route: only the text changes.
// So when satori's SVG opens with a canvas-sized rect filled with a gradient
// (the root element's background), that rect is rasterised on its own and
// kept, and each request rasterises the rest over a transparent canvas and
// lays it over the kept background (compositeOver below).
//
// Painting A over B, then that over C, is painting A over (B over C), so the
// picture is the same; only rounding differs (resvg rounds each draw to 8
// bits, and the two-step version rounds once more where text is
// anti-aliased): a channel moves by at most 1 or 2 on edge pixels. Blend modes
// other than normal, filters and backdrop effects are not associative like
// that, so an SVG using any of them is never split.

/** Non-painting elements satori writes ahead of the first shape. */
const NON_PAINTING = /^(?:<defs>[\s\S]*?<\/defs>|<mask id="[^"]*"><rect [^<>]*\/><\/mask>)/;
const NOT_SPLITTABLE = /mix-blend-mode|<filter|filter="|backdrop|isolation/;

export interface Layers {
  /** The SVG with only its canvas-sized gradient background. */
  background: string;
  /** The same SVG without it. */
  foreground: string;
}

/** Splits off the SVG's canvas-sized gradient background, or says it has none (undefined). */
export function splitBackground(svg: string, width: number, height: number): Layers | undefined {
  const open = /^<svg [^<>]*>/.exec(svg);
  if (!open || NOT_SPLITTABLE.test(svg)) return undefined;
  let at = open[0].length;
  for (let m; (m = NON_PAINTING.exec(svg.slice(at))); ) at += m[0].length;
  // At the origin and at least as large as the canvas (a content-box root is larger).
  const rect = new RegExp(String.raw`^<rect x="0" y="0" width="(${NUM})" height="(${NUM})" fill="url\(#([\w-]+)\)"/>`).exec(svg.slice(at));
  if (!rect || +rect[1]! < width || +rect[2]! < height) return undefined;
  // The fill must be a gradient (not a pattern, which could hold an image).
  if (!new RegExp(String.raw`<(?:linear|radial)Gradient id="${rect[3]}"`).test(svg.slice(0, at))) return undefined;
  const head = svg.slice(0, at);
  return { background: `${head}${rect[0]}</svg>`, foreground: head + svg.slice(at + rect[0].length) };
}

/**
 * `top` over `bottom`, both premultiplied RGBA of the same size, into `top`;
 * the same arithmetic as resvg's (tiny-skia's) source-over: s + (d·(255 − sa) + 255) >> 8.
 */
export function compositeOver(top: Uint8Array, bottom: Uint8Array): Uint8Array {
  for (let i = 0; i < top.length; i += 4) {
    const sa = top[i + 3]!;
    if (sa === 255) continue;
    if (sa === 0) {
      top[i] = bottom[i]!;
      top[i + 1] = bottom[i + 1]!;
      top[i + 2] = bottom[i + 2]!;
      top[i + 3] = bottom[i + 3]!;
      continue;
    }
    const inv = 255 - sa;
    top[i] = top[i]! + ((bottom[i]! * inv + 255) >> 8);
    top[i + 1] = top[i + 1]! + ((bottom[i + 1]! * inv + 255) >> 8);
    top[i + 2] = top[i + 2]! + ((bottom[i + 2]! * inv + 255) >> 8);
    top[i + 3] = sa + ((bottom[i + 3]! * inv + 255) >> 8);
  }
  return top;
}
