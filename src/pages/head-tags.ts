// The tags a site puts in its page's <head> for the images og-edge serves,
// as Next.js writes them for the same files (lib/metadata/generate/*): Open
// Graph tags, then the Twitter card, then icons and apple-touch-icons. Each
// image's fields come in the order Next.js's image loader builds them, and
// attributes are escaped as React escapes them. One function, used by
// `GET /…/metadata?format=html` and by the gallery.
import type { ImageKind, RouteModule, Size } from '../types';

/** What the tags say of an image: `kind` `image` is an opengraph-image. */
export interface TaggedImage {
  url: string;
  alt?: string;
  size: Size;
  /** False when the module declared no size: then no width/height (or sizes) tag. */
  sized?: boolean;
  contentType: string;
  kind: ImageKind | 'twitter-image';
  /** A static file (icon.png): Next.js lists its fields in another order. */
  static?: boolean;
}

/** Largest side of a square item that counts as an icon when a one-file segment does not say. */
export const ICON_MAX_SIDE = 512;

/** A one-file segment's `kind` export wins; else small square items are icons. */
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

// React's attribute escaping (escapeTextForBrowser), so tags match byte for byte.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);

type Fields = [string, string | number | undefined][];

const tag = (name: string, attrs: Fields) =>
  `<${name} ${attrs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${escapeHtml(String(v))}"`)
    .join(' ')}/>`;

/**
 * An image's fields in next-metadata-image-loader's order: a module's are
 * alt, type, url, then width/height (social) or sizes (icons) when it has a
 * size; a static file's are type, width/height or sizes, alt, url.
 */
function fields(i: TaggedImage, social: boolean): Fields {
  const sized = i.sized !== false;
  const dims: Fields = !sized
    ? i.static
      ? [['sizes', 'any']]
      : []
    : social
      ? [['width', i.size.width], ['height', i.size.height]]
      : [['sizes', i.static && i.contentType === 'image/svg+xml' ? 'any' : `${i.size.width}x${i.size.height}`]];
  if (i.static) return [['type', i.contentType], ...dims, ['alt', i.alt], ['url', i.url]];
  return [['alt', i.alt], ['type', i.contentType], ['url', i.url], ...dims];
}

/** `og:image` for the url, `og:image:<field>` for the rest (generate/meta.tsx). */
const socialTags = (attr: 'property' | 'name', prefix: string, i: TaggedImage) =>
  fields(i, true)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => tag('meta', [[attr, k === 'url' ? prefix : `${prefix}:${k}`], ['content', v]]));

/**
 * The tag block for a page's images, one tag a line. Open Graph images also
 * fill the Twitter card when the page has no twitter-image (Next.js's
 * inheritance); any image makes the card `summary_large_image`.
 */
export function headTags(items: readonly TaggedImage[]): string {
  const og = items.filter((i) => i.kind === 'image');
  const own = items.filter((i) => i.kind === 'twitter-image');
  const twitter = own.length > 0 ? own : og;
  const lines: string[] = [];
  for (const i of og) lines.push(...socialTags('property', 'og:image', i));
  if (twitter.length > 0) {
    lines.push(tag('meta', [['name', 'twitter:card'], ['content', 'summary_large_image']]));
    for (const i of twitter) lines.push(...socialTags('name', 'twitter:image', i));
  }
  for (const rel of ['icon', 'apple-icon'] as const) {
    for (const i of items.filter((x) => x.kind === rel)) {
      const f = fields(i, false);
      const url = f.find(([k]) => k === 'url')![1];
      lines.push(tag('link', [['rel', rel === 'icon' ? 'icon' : 'apple-touch-icon'], ['href', url], ...f.filter(([k]) => k !== 'url')]));
    }
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}
