// The tags a site puts in its page's <head> for the images og-edge serves:
// Open Graph and Twitter card tags for images, <link rel="icon"> for icons.
// One function, used by `GET /:segment/:slug/metadata?format=html` and by
// the gallery, so what the gallery shows is what the API answers.
import type { ImageKind, RouteModule, Size } from '../types';

export interface TaggedImage {
  url: string;
  alt: string;
  size: Size;
  contentType: string;
  kind: ImageKind;
}

/** Largest side of a square item that counts as an icon when the module does not say. */
export const ICON_MAX_SIDE = 512;

/** A module's `kind` export wins; else small square items are icons. */
export function kindOf(mod: RouteModule, size: Size): ImageKind {
  if (mod.kind !== undefined) return mod.kind;
  return size.width === size.height && size.width <= ICON_MAX_SIDE ? 'icon' : 'image';
}

/** Twitter's cap on image alt text; Open Graph sets none. */
export const MAX_ALT_LENGTH = 420;

/**
 * Alt text as one plain line for tags and metadata: control characters, line
 * and paragraph separators and lone surrogates become spaces, bidi embedding,
 * override and isolate controls (which can flip the text around them) go,
 * whitespace runs collapse to one space, and anything past MAX_ALT_LENGTH
 * characters is cut at a character boundary with an ellipsis. ZWJ, ZWNJ and
 * direction marks stay: emoji and right-to-left text need them.
 */
export function plainAlt(alt: string): string {
  const line = alt
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/gu, ' ')
    .replace(/[\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...line];
  return chars.length <= MAX_ALT_LENGTH ? line : `${chars.slice(0, MAX_ALT_LENGTH - 1).join('').trimEnd()}…`;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);

const tag = (name: string, attrs: [string, string | number][]) =>
  `<${name} ${attrs.map(([k, v]) => `${k}="${escapeHtml(String(v))}"`).join(' ')} />`;

/**
 * The tag block for a page's images, one tag a line, every value
 * HTML-escaped. Images get `og:image…` tags, then one `twitter:card` and
 * `twitter:image…` tags (a 1.5:1 or wider first image makes it
 * `summary_large_image`); icons get `<link rel="icon">` (`apple-touch-icon`
 * for `apple-icon`), with `sizes="any"` for SVG as Next.js does.
 */
export function headTags(items: readonly TaggedImage[]): string {
  const lines: string[] = [];
  const images = items.filter((i) => i.kind === 'image');
  // Open Graph names its tags in `property`, Twitter in `name`; the rest is the same.
  const imageTags = (attr: 'property' | 'name', prefix: string, i: TaggedImage) => {
    const meta = (key: string, value: string | number) => lines.push(tag('meta', [[attr, `${prefix}${key}`], ['content', value]]));
    meta('', i.url);
    meta(':type', i.contentType);
    meta(':width', i.size.width);
    meta(':height', i.size.height);
    if (i.alt) meta(':alt', i.alt);
  };
  for (const i of images) imageTags('property', 'og:image', i);
  if (images.length > 0) {
    const first = images[0]!;
    const card = first.size.width >= first.size.height * 1.5 ? 'summary_large_image' : 'summary';
    lines.push(tag('meta', [['name', 'twitter:card'], ['content', card]]));
    for (const i of images) imageTags('name', 'twitter:image', i);
  }
  for (const i of items) {
    if (i.kind === 'image') continue;
    const sizes = i.contentType === 'image/svg+xml' ? 'any' : `${i.size.width}x${i.size.height}`;
    const rel = i.kind === 'apple-icon' ? 'apple-touch-icon' : 'icon';
    lines.push(tag('link', [['rel', rel], ['href', i.url], ['type', i.contentType], ['sizes', sizes]]));
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}
