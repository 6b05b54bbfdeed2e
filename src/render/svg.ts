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
