// Emoji drawn as inline SVG rather than as nested SVG images.
//
// satori draws each emoji grapheme as an <image> whose href is the emoji's SVG
// as a base64 data: URL. resvg handles every such image as a separate SVG
// document: it decodes, parses and converts it, then renders it on its own
// pixmap and draws that onto the canvas. For a title with a dozen emoji that
// is most of the render (hundreds of ms). The same drawing written inline, as
// a nested <svg> with the image's box, viewBox and preserveAspectRatio, is
// one tree that resvg converts once and paints directly, with the same
// pixels (test/perf-pixels.test.ts compares the two renders).
//
// Only what is safe to inline is: an <image> with nothing but its box (and
// preserveAspectRatio), holding an SVG whose root carries no more than its
// size and namespaces, and with no <style> (selectors would reach the whole
// card), <script>, nested images, entities or foreign content. Ids inside are
// prefixed per occurrence, so two emoji (or the same one twice) never share
// one, and every reference to them (url(#…), href="#…") follows.
import { decodeBase64 } from 'hono/utils/encode';

const IMAGE = /<image href="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"((?: (?:x|y|width|height|preserveAspectRatio)="[^"<>]*")*)\/>/g;
const ROOT = /^\s*(?:<\?xml[^>]*\?>\s*)?<svg((?:\s+[\w:-]+="[^"<>]*")*)\s*>([\s\S]*)<\/svg>\s*$/;
const ROOT_ATTRS = new Set(['xmlns', 'xmlns:xlink', 'viewBox', 'width', 'height', 'version', 'id']);
const UNSAFE = /<(?:style|script|image|foreignObject|svg|!)|\son\w+=/i;
const NUM = /^-?\d+(?:\.\d+)?$/;

const decoder = new TextDecoder();

interface Inlinable {
  viewBox: string;
  body: string;
  ids: string[];
}

/** The viewBox and content of an emoji SVG, or undefined when it is not safe to inline. */
function parse(base64: string): Inlinable | undefined {
  let text: string;
  try {
    text = decoder.decode(decodeBase64(base64));
  } catch {
    return undefined;
  }
  const m = ROOT.exec(text);
  if (!m) return undefined;
  const attrs = new Map([...m[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
  if ([...attrs.keys()].some((k) => !ROOT_ATTRS.has(k))) return undefined;
  const body = m[2]!;
  if (UNSAFE.test(body)) return undefined;
  let viewBox = attrs.get('viewBox');
  if (!viewBox) {
    const w = attrs.get('width');
    const h = attrs.get('height');
    if (!w || !h || !NUM.test(w) || !NUM.test(h)) return undefined;
    viewBox = `0 0 ${w} ${h}`;
  }
  if (!/^\s*-?[\d.]+(?:[\s,]+-?[\d.]+){3}\s*$/.test(viewBox)) return undefined;
  const ids = [...body.matchAll(/\sid="([^"]+)"/g)].map((i) => i[1]!);
  return { viewBox, body, ids };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The content with every id prefixed, and the references to them. */
function prefixIds({ body, ids }: Inlinable, prefix: string): string {
  if (!ids.length) return body;
  const names = new RegExp(`(\\sid="|url\\(#|href="#)(${ids.map(escapeRe).join('|')})(?=[")])`, 'g');
  return body.replace(names, (_, lead: string, id: string) => `${lead}${prefix}${id}`);
}

/** Replaces satori's emoji <image> elements with inline <svg> (see above); returns the SVG unchanged otherwise. */
export function inlineSvgImages(svg: string): string {
  if (!svg.includes('data:image/svg+xml;base64,')) return svg;
  let n = 0;
  return svg.replace(IMAGE, (whole, base64: string, box: string) => {
    const parsed = parse(base64);
    if (!parsed) return whole;
    return `<svg${box} overflow="visible" viewBox="${parsed.viewBox}">${prefixIds(parsed, `og-emoji-${n++}-`)}</svg>`;
  });
}
