// Declared bounds on the work one card may ask of satori and resvg, checked
// on the element tree before either runs. Each is a knob (src/config.ts);
// a card over one is refused with a 500 `limit_exceeded` naming the route,
// the image and the limit, since it is the route's card, not the request,
// that asks for too much.
//
// What they bound, as measured (docs/security.md has the figures):
// - text: satori's memory grows with the glyphs it lays out, faster than
//   linearly for one long unbreakable run (40,000 characters: ~1.8 GiB peak);
// - elements: each box costs satori tens of KB while it lays out (20,000: ~0.5 GiB);
// - depth: satori and yoga recurse per level; ~700 levels overflow the stack;
// - blurred pixels: resvg blurs every pixel of a filter's region, and the
//   regions satori writes grow with the radius (`filter: blur(σ)`: the canvas
//   plus 3σ on each side; `boxShadow`/`textShadow`: the box plus blur²/4 on
//   each side). resvg does not clip them to the canvas, so their total area
//   is what a render pays for.
import { limitExceeded } from '../errors';
import type { ImageId, Size } from '../types';

export interface RenderLimits {
  /** Characters of text in the tree. */
  text: number;
  /** Elements (boxes, images, SVG nodes). */
  elements: number;
  /** Levels of nesting. */
  depth: number;
  /** Total area, in pixels, of the regions resvg blurs. */
  blurPixels: number;
}

/** The config variable behind each limit, for messages. */
const VARS: Record<keyof RenderLimits, string> = {
  text: 'MAX_TEXT_LENGTH',
  elements: 'MAX_ELEMENTS',
  depth: 'MAX_DEPTH',
  blurPixels: 'MAX_BLUR_PIXELS',
};

type Style = Record<string, unknown>;
type Node = { type?: unknown; props?: { style?: Style; children?: unknown } };

/** satori's default font size, for em and rem lengths. */
const ROOT_FONT_SIZE = 16;

/** A CSS length in px (`40`, `'40px'`, `'2.5rem'`, `'10vw'`), or undefined. */
function px(v: unknown, canvas: Size, fontSize = ROOT_FONT_SIZE): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)(px|em|rem|vw|vh)?$/i.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]?.toLowerCase()) {
    case 'em':
      return n * fontSize;
    case 'rem':
      return n * ROOT_FONT_SIZE;
    case 'vw':
      return (n * canvas.width) / 100;
    case 'vh':
      return (n * canvas.height) / 100;
    default:
      return n;
  }
}

/** Splits a CSS value at top-level `sep` (commas or spaces), not inside parentheses. */
function split(value: string, sep: RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let part = '';
  for (const ch of value) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && sep.test(ch)) {
      if (part.trim()) out.push(part.trim());
      part = '';
    } else part += ch;
  }
  if (part.trim()) out.push(part.trim());
  return out;
}

/** The lengths of one shadow (`x y blur spread`, colour and `inset` skipped). */
function shadowLengths(shadow: string, canvas: Size, fontSize: number): number[] {
  return split(shadow, /\s/)
    .map((token) => px(token, canvas, fontSize))
    .filter((n): n is number => n !== undefined);
}

/** Area of `w`×`h` grown by `margin` on each side. */
const grown = (w: number, h: number, margin: number) => (w + 2 * margin) * (h + 2 * margin);

/**
 * Pixels resvg blurs for one element's own style (not its children's),
 * following the filter regions satori writes for each property.
 */
function blurredPixels(style: Style, box: Size, canvas: Size, fontSize: number, text: boolean, inheritedTextShadow: unknown): number {
  let total = 0;
  // `filter` on an element: satori's region is the canvas plus 3σ each side
  // (drop-shadow: plus its offset).
  for (const [prop, area] of [
    ['filter', canvas],
    ['backdropFilter', box],
  ] as const) {
    const value = style[prop];
    if (typeof value !== 'string') continue;
    for (const fn of value.matchAll(/(blur|drop-shadow)\(([^()]*(?:\([^()]*\)[^()]*)*)\)/gi)) {
      if (fn[1]!.toLowerCase() === 'blur') {
        const sigma = px(fn[2]!.trim() || '0', canvas, fontSize) ?? 0;
        if (sigma > 0) total += grown(area.width, area.height, 3 * sigma);
      } else {
        const [dx = 0, dy = 0, blur = 0] = shadowLengths(fn[2]!, canvas, fontSize);
        if (blur > 0) total += (area.width + 6 * blur + Math.abs(dx)) * (area.height + 6 * blur + Math.abs(dy));
      }
    }
  }
  // boxShadow: the box plus blur²/4 + spread on each side, per shadow.
  if (typeof style.boxShadow === 'string') {
    for (const shadow of split(style.boxShadow, /,/)) {
      const [, , blur = 0, spread = 0] = shadowLengths(shadow, canvas, fontSize);
      if (blur > 0) total += grown(box.width, box.height, (blur * blur) / 4 + Math.max(0, spread));
    }
  }
  // textShadow is inherited, and satori writes one filter per element that
  // holds text: the text box plus blur²/4 on each side, times 1.1.
  const textShadow = style.textShadow ?? inheritedTextShadow;
  if (text && typeof textShadow === 'string') {
    for (const shadow of split(textShadow, /,/)) {
      const [, , blur = 0] = shadowLengths(shadow, canvas, fontSize);
      if (blur > 0) total += grown(box.width, box.height, (blur * blur) / 4) * 1.21;
    }
  }
  return total;
}

/**
 * The element's box as far as the tree tells before layout: its declared
 * width and height (px, or % of its parent's); else, for an element of text
 * alone, about its text's extent (0.6 em a character, 1.2 em a line); else
 * its parent's box, the canvas at the root. Estimates err large.
 */
function boxOf(style: Style, parent: Size, canvas: Size, fontSize: number, chars: number): Size {
  const side = (v: unknown, of: number) =>
    typeof v === 'string' && /^\d+(\.\d+)?%$/.test(v.trim()) ? (parseFloat(v) / 100) * of : px(v, canvas, fontSize);
  const pad = (px(style.padding, canvas, fontSize) ?? 0) * 2;
  let width = side(style.width, parent.width);
  let height = side(style.height, parent.height);
  if (chars > 0) {
    const line = chars * fontSize * 0.6;
    width ??= Math.min(parent.width, line + pad);
    height ??= Math.ceil(line / Math.max(1, width - pad)) * fontSize * 1.2 + pad;
  }
  return { width: Math.max(0, width ?? parent.width), height: Math.max(0, height ?? parent.height) };
}

/**
 * The first limit the card passes, if any (counting stops there).
 * Iterative, so a tree of any depth is measured, not overflowed.
 */
export function overLimit(element: unknown, canvas: Size, limits: RenderLimits): keyof RenderLimits | undefined {
  const usage: RenderLimits = { text: 0, elements: 0, depth: 0, blurPixels: 0 };
  type Frame = { node: unknown; depth: number; box: Size; fontSize: number; textShadow: unknown };
  const stack: Frame[] = [{ node: element, depth: 1, box: canvas, fontSize: ROOT_FONT_SIZE, textShadow: undefined }];
  while (stack.length) {
    const frame = stack.pop()!;
    const { node, depth } = frame;
    if (typeof node === 'string' || typeof node === 'number') {
      usage.text += String(node).length;
      if (usage.text > limits.text) return 'text';
      continue;
    }
    if (Array.isArray(node)) {
      for (const child of node) stack.push({ ...frame, node: child });
      continue;
    }
    if (node === null || typeof node !== 'object' || !('type' in node)) continue;
    const { props } = node as Node;
    usage.elements++;
    usage.depth = Math.max(usage.depth, depth);
    if (usage.elements > limits.elements) return 'elements';
    if (usage.depth > limits.depth) return 'depth';
    const style: Style = props?.style && typeof props.style === 'object' ? props.style : {};
    const children = props?.children;
    const kids: unknown[] = Array.isArray(children) ? children.flat(Infinity) : [children];
    const chars = kids.reduce<number>((n, k) => n + (typeof k === 'string' ? k.trim().length : typeof k === 'number' ? 1 : 0), 0);
    const fontSize = px(style.fontSize, canvas, frame.fontSize) ?? frame.fontSize;
    const box = boxOf(style, frame.box, canvas, fontSize, chars);
    usage.blurPixels += blurredPixels(style, box, canvas, fontSize, chars > 0, frame.textShadow);
    if (usage.blurPixels > limits.blurPixels) return 'blurPixels';
    const textShadow = style.textShadow ?? frame.textShadow;
    for (const child of kids) stack.push({ node: child, depth: depth + 1, box, fontSize, textShadow });
  }
  return undefined;
}

const DESCRIBE: Record<keyof RenderLimits, (limit: string) => string> = {
  text: (n) => `more than ${n} characters of text`,
  elements: (n) => `more than ${n} elements`,
  depth: (n) => `elements nested more than ${n} deep`,
  blurPixels: (n) => `more than ${n} pixels to blur (filter, backdropFilter, boxShadow, textShadow)`,
};

/** Throws 500 `limit_exceeded` when the card asks for more than `limits`. */
export function checkLimits(element: unknown, canvas: Size, limits: RenderLimits, segment: string, id: ImageId): void {
  const over = overLimit(element, canvas, limits);
  if (!over) return;
  const what = DESCRIBE[over](limits[over].toLocaleString('en'));
  throw limitExceeded(segment, `the card for "${id}" has ${what}`, VARS[over]);
}
