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
// A card's gradient background, split off to be drawn apart (backgrounds.ts).
//
// Even drawn directly, a full-canvas gradient is most of resvg's work on a
// card: on the 1200×630 blog card ~16 of ~22 ms, against ~5 ms for all the
// text. So when satori's SVG opens with a canvas-sized rect filled with a
// gradient (the root element's background), that rect is split off: the rest
// is rasterised over a transparent canvas and laid over the background
// (compositeOver below, or pixels.ts overUpscaled). A plain opaque colour
// is split off too: resvg fills a 1200×630 canvas in ~1.5 ms, and png.ts
// lays the rest on the colour in the pass over pixels it makes anyway.
//
// Painting A over B, then that over C, is painting A over (B over C), so the
// picture is the same; only rounding differs (resvg rounds each draw to 8
// bits, and the two-step version rounds once more where text is
// anti-aliased): a channel moves by at most 1 or 2 on edge pixels, by 1
// over a plain colour, text straight on it included (test/perf-pixels.test.ts).
// Blend modes other than normal, filters and backdrop effects are not
// associative like that, so an SVG using any of them is never split.

/** Non-painting elements satori writes ahead of the first shape. */
const NON_PAINTING = /^(?:<defs>[\s\S]*?<\/defs>|<mask id="[^"]*">[\s\S]*?<\/mask>)/;
const NOT_SPLITTABLE = /mix-blend-mode|<filter|filter="|backdrop|isolation/;

export interface Layers {
  /** The SVG with only its canvas-sized background. */
  background: string;
  /** The same SVG without it. */
  foreground: string;
  /** The background's colour when it is a plain opaque one, as 0xBBGGRR (R in the low byte). */
  colour?: number;
}

/** A fill satori writes (the CSS colour as given) as 0xBBGGRR when plainly opaque: hex, rgb() or white/black. */
export function opaqueColour(fill: string): number | undefined {
  let rgb: number[] | undefined;
  const hex = /^#([\da-f]{3}|[\da-f]{6})$/i.exec(fill)?.[1];
  if (hex) rgb = (hex.length === 3 ? [...hex].map((d) => d + d) : hex.match(/../g)!).map((d) => parseInt(d, 16));
  else if (fill === 'white' || fill === 'black') rgb = fill === 'white' ? [255, 255, 255] : [0, 0, 0];
  else rgb = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/.exec(fill)?.slice(1).map(Number);
  if (!rgb || rgb.some((c) => c > 255)) return undefined;
  return rgb[0]! | (rgb[1]! << 8) | (rgb[2]! << 16);
}

/** Splits off the SVG's canvas-sized gradient or plain colour background, or says it has none (undefined). */
export function splitBackground(svg: string, width: number, height: number): Layers | undefined {
  const open = /^<svg [^<>]*>/.exec(svg);
  if (!open || NOT_SPLITTABLE.test(svg)) return undefined;
  let at = open[0].length;
  for (let m; (m = NON_PAINTING.exec(svg.slice(at))); ) at += m[0].length;
  // At the origin and at least as large as the canvas (a content-box root is larger).
  const rect = new RegExp(String.raw`^<rect x="0" y="0" width="(${NUM})" height="(${NUM})" fill="([^"<>]+)"/>`).exec(svg.slice(at));
  if (!rect || +rect[1]! < width || +rect[2]! < height) return undefined;
  const head = svg.slice(0, at);
  const layers = { background: `${head}${rect[0]}</svg>`, foreground: head + svg.slice(at + rect[0].length) };
  const gradient = /^url\(#([\w-]+)\)$/.exec(rect[3]!)?.[1];
  if (gradient === undefined) {
    const colour = opaqueColour(rect[3]!);
    return colour === undefined ? undefined : { ...layers, colour };
  }
  // The fill must be a gradient (not a pattern, which could hold an image).
  if (!new RegExp(String.raw`<(?:linear|radial)Gradient id="${gradient}"`).test(head)) return undefined;
  return layers;
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

// ---------------------------------------------------------------------------
// Borders without clip paths.
//
// satori draws a box's uniform border as a stroke twice the border's width
// along the box's outline, clipped to the outline so only the inner half
// shows:
//
//   <defs><clipPath id="satori_bc-id-0"><rect x="254" y="20" width="202" height="102"/></clipPath></defs>
//   …<path width="202" height="102" clip-path="url(#satori_bc-id-0)" fill="none" stroke="#333" stroke-width="2" d="M254,20 …"/>
//
// resvg draws each clip path through a canvas-sized mask, so a card of
// bordered boxes pays a full-canvas pass per box. The visible part is the
// ring between the outline and the outline inset by the border's width (a
// rounded corner's inner radius is the outer one less the width, or square),
// so the ring is filled instead, even-odd, with no clip. Only a border on all
// four sides, solid, with a plain or uniformly rounded box, and a clip path
// used by nothing else, is rewritten; edges anti-alias the same way up to
// rounding (test/perf-pixels.test.ts).

const CLIP = new RegExp(
  String.raw`<defs><clipPath id="(satori_bc-[\w-]+)">` +
    String.raw`(?:<rect x="(${NUM})" y="(${NUM})" width="(${NUM})" height="(${NUM})"/>|<path x="(${NUM})" y="(${NUM})" width="(${NUM})" height="(${NUM})" d="([^"]+)"/>)` +
    String.raw`</clipPath></defs>`,
  'g',
);
const ARC = String.raw`a(${NUM}),(${NUM}) 0 0 1 -?[\d.]+,-?[\d.]+`;
const ROUNDED = new RegExp(String.raw`^M${NUM},${NUM} h${NUM} ${ARC} v${NUM} ${ARC} h-?${NUM} ${ARC} v-?${NUM} ${ARC}$`);

/** A rectangle's outline with corner radius `r` (0: square), clockwise. */
function outline(x: number, y: number, w: number, h: number, r: number): string {
  if (r <= 0) return `M${x},${y}h${w}v${h}h${-w}z`;
  return `M${x + r},${y}h${w - 2 * r}a${r},${r} 0 0 1 ${r},${r}v${h - 2 * r}a${r},${r} 0 0 1 ${-r},${r}` +
    `h${-(w - 2 * r)}a${r},${r} 0 0 1 ${-r},${-r}v${-(h - 2 * r)}a${r},${r} 0 0 1 ${r},${-r}z`;
}

/** Draws solid borders as filled rings instead of clipped strokes (see above and below). */
export function unclipBorders(svg: string): string {
  if (!svg.includes('satori_bc-')) return svg;
  let out = unclipSideBorders(svg);
  for (const m of svg.matchAll(CLIP)) {
    const [, id, rx, ry, rw, rh, px, py, pw, ph, d] = m;
    if (out.split(`url(#${id})`).length !== 2) continue; // used once, by the border
    const [x, y, w, h] = (rx !== undefined ? [rx, ry, rw, rh] : [px, py, pw, ph]).map(Number) as [number, number, number, number];
    let r = 0;
    if (d !== undefined) {
      const arcs = ROUNDED.exec(d);
      if (!arcs) continue;
      const radii = arcs.slice(1).map(Number);
      if (radii.some((v) => v !== radii[0])) continue;
      r = radii[0]!;
    }
    const stroke = new RegExp(
      String.raw`<path width="${escapeRe(String(w))}" height="${escapeRe(String(h))}" clip-path="url\(#${id}\)" fill="none" stroke="([^"<>]+)" stroke-width="(${NUM})" d="([^"]+)"/>`,
    ).exec(out);
    // The stroke goes around all four sides (h, v, h, v), not one side's segment.
    if (!stroke || (stroke[3]!.match(/[hv]-?[\d.]/g) ?? []).length < 4) continue;
    const b = +stroke[2]! / 2;
    const ring =
      w > 2 * b && h > 2 * b ? outline(x, y, w, h, r) + outline(x + b, y + b, w - 2 * b, h - 2 * b, Math.max(0, r - b)) : outline(x, y, w, h, r);
    out = out.replace(stroke[0], `<path fill="${stroke[1]}" fill-rule="evenodd" d="${ring}"/>`).replace(m[0], '');
  }
  return out;
}

// ---------------------------------------------------------------------------
// Borders whose sides differ (one side only: an accent bar, a divider; or
// sides of different widths or colours), with square corners.
//
// satori draws each group of alike sides as a stroke twice the widest side
// along their outer edge, inside three clip paths: the box (satori_bc), the
// ring between the box and its inner edge (satori_br, even-odd) and the
// group's region, split diagonally at the corners (satori_bs, a polygon):
//
//   <defs><clipPath id="satori_br-id"><path d="M0,0h1200v630h-1200z M0,16h1200v614h-1200z" clip-rule="evenodd"/></clipPath>
//     <clipPath id="satori_bs-id-0"><polygon points="0,0 1200,0 1200,630 0,630"/></clipPath></defs>
//   <g clip-path="url(#satori_bs-id-0)"><g clip-path="url(#satori_br-id)">
//     <path width="1200" height="630" clip-path="url(#satori_bc-id)" fill="none" stroke="#dc2626" stroke-width="32" d="M0,0 …"/></g></g>
//
// Three canvas-sized masks for a 16 px bar. With square corners the ring's
// part inside the region lies within the stroke (the stroke covers the
// widest side's width along the whole group, and the region's diagonals stay
// within each side's width), so the ring filled even-odd and clipped to the
// region is the same shape. When the group is the only one drawn (the other
// sides have no width), the ring lies inside its region: no clip is left.

const SQUARE_RING = new RegExp(String.raw`^M${NUM},${NUM}h${NUM}v${NUM}h-?${NUM}z M${NUM},${NUM}h${NUM}v${NUM}h-?${NUM}z$`);
const SIDE_GROUP = new RegExp(
  String.raw`<g clip-path="url\(#(satori_bs-([\w-]+)-(\d+))\)"><g clip-path="url\(#(satori_br-[\w-]+)\)">` +
    String.raw`<path width="${NUM}" height="${NUM}" clip-path="url\(#(satori_bc-[\w-]+)\)" fill="none" stroke="([^"<>]+)" stroke-width="${NUM}" d="[^"]+"/></g></g>`,
  'g',
);

function unclipSideBorders(svg: string): string {
  if (!svg.includes('satori_br-')) return svg;
  let out = svg;
  for (const m of svg.matchAll(SIDE_GROUP)) {
    const [whole, regionId, id, group, ringId, boxId, colour] = m;
    if (`satori_br-${id}` !== ringId || `satori_bc-${id}` !== boxId) continue;
    // The box clip is a plain rect (no radius, no clip of its own from an overflow: hidden parent).
    if (!new RegExp(String.raw`<clipPath id="${escapeRe(boxId!)}"><rect x="${NUM}" y="${NUM}" width="${NUM}" height="${NUM}"/></clipPath>`).test(out)) continue;
    const ring = new RegExp(String.raw`<clipPath id="${escapeRe(ringId!)}"><path d="([^"]+)" clip-rule="evenodd"/></clipPath>`).exec(out)?.[1];
    if (!ring || !SQUARE_RING.test(ring)) continue;
    const fill = `<path fill="${colour}" fill-rule="evenodd" d="${ring}"/>`;
    const alone = group === '0' && !out.includes(`"satori_bs-${id}-1"`);
    out = out.replace(whole, alone ? fill : `<g clip-path="url(#${regionId})">${fill}</g>`);
  }
  return out;
}
