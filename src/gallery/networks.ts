// How each network lays out a shared link's image, and what it refuses.
// Documented numbers, from each network's own pages (read 2026-11):
//
// - X summary_large_image: "aspect ratio of 2:1 with minimum dimensions of
//   300x157 or maximum of 4096x4096 pixels. Images must be less than 5MB in
//   size. JPG, PNG, WEBP and GIF formats are supported … SVG is not
//   supported." https://developer.x.com/en/docs/x-for-websites/cards/overview/summary-card-with-large-image
// - X summary: "aspect ratio of 1:1 with minimum dimensions of 144x144 or
//   maximum of 4096x4096 pixels … The image will be cropped to a square on
//   all platforms." https://developer.x.com/en/docs/x-for-websites/cards/overview/summary
//   twitter:image:alt: "Maximum 420 characters."
//   https://developer.x.com/en/docs/x-for-websites/cards/overview/markup
// - Facebook: "The minimum allowed image dimension is 200 x 200 pixels. The
//   size of the image file must not exceed 8 MB. Use images that are at least
//   1200 x 630 pixels … images that are 600 x 315 pixels to display link page
//   posts with larger images … keep your images as close to 1.91:1 aspect
//   ratio as possible." https://developers.facebook.com/docs/sharing/webmasters/images
// - LinkedIn: image "1200 (w) x 627 (h) pixels", 1.91:1, at most 5 MB.
//   https://www.linkedin.com/help/linkedin/answer/a521928
// - Slack, Discord and iMessage publish no image limits. Slack's crawler
//   (https://api.slack.com/robots) and Discord's unfurl the image scaled to
//   fit, without cropping; Discord shows it large only when twitter:card is
//   summary_large_image, else as a thumbnail beside the text. Apple's TN3156
//   (https://developer.apple.com/documentation/technotes/tn3156-create-rich-previews-for-messages)
//   says only that the image is shown large and an icon stands in without
//   one. Their layouts here are as observed, and marked so.
//
// None of these accept SVG. Crawlers cache an image by its URL (Facebook
// and LinkedIn for days), so a URL without a version keeps a stale image.

export type NetworkId = 'x-large' | 'x-summary' | 'facebook' | 'linkedin' | 'slack' | 'discord' | 'imessage';

export interface Network {
  id: NetworkId;
  name: string;
  /** Width ÷ height the image is cropped to; undefined: scaled to fit, uncropped. */
  crop?: number;
  minWidth: number;
  minHeight: number;
  maxWidth?: number;
  maxHeight?: number;
  maxBytes?: number;
  /** Below this size the image is shown as a small thumbnail rather than large. */
  large?: { width: number; height: number };
  /** Whether the network reads the image's alt text (og:image:alt / twitter:image:alt). */
  readsAlt: boolean;
  altMax?: number;
  /** Layout from observation rather than documentation. */
  observed: boolean;
}

const MB = 1024 * 1024;
const RASTER = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

export const NETWORKS: readonly Network[] = [
  { id: 'x-large', name: 'X · summary_large_image', crop: 2, minWidth: 300, minHeight: 157, maxWidth: 4096, maxHeight: 4096, maxBytes: 5 * MB, readsAlt: true, altMax: 420, observed: false },
  { id: 'x-summary', name: 'X · summary', crop: 1, minWidth: 144, minHeight: 144, maxWidth: 4096, maxHeight: 4096, maxBytes: 5 * MB, readsAlt: true, altMax: 420, observed: false },
  { id: 'facebook', name: 'Facebook', crop: 1.91, minWidth: 200, minHeight: 200, maxBytes: 8 * MB, large: { width: 600, height: 315 }, readsAlt: true, observed: false },
  { id: 'linkedin', name: 'LinkedIn', crop: 1200 / 627, minWidth: 200, minHeight: 200, maxBytes: 5 * MB, readsAlt: false, observed: false },
  { id: 'slack', name: 'Slack', minWidth: 1, minHeight: 1, readsAlt: false, observed: true },
  { id: 'discord', name: 'Discord', minWidth: 1, minHeight: 1, readsAlt: false, observed: true },
  { id: 'imessage', name: 'iMessage', crop: 1.91, minWidth: 1, minHeight: 1, readsAlt: false, observed: true },
];

export interface Flag {
  /** `reject`: the network will not show the image; `warn`: it will, not as made. */
  level: 'reject' | 'warn';
  message: string;
}

export interface PreviewImage {
  url: string;
  alt: string;
  width: number;
  height: number;
  contentType: string;
}

/** How much of the image (0–1) a crop to `ratio` cuts away. */
export function cropLoss(width: number, height: number, ratio: number): number {
  const own = width / height;
  return own > ratio ? 1 - ratio / own : 1 - own / ratio;
}

/** Share of the image a crop may cut before it is worth a flag (1200×630 at 2:1 cuts 4.8%). */
const CROP_TOLERANCE = 0.1;

/** A version in the query (`?v=`) or a content hash in the file name. */
export const isVersioned = (url: string) => /[?&]v=[^&]+/.test(url) || /[.-][0-9a-f]{8,}\.\w+$/i.test(url.split('?')[0]!);

const ratio = (r: number) => (Number.isInteger(r) ? `${r}:1` : `${r.toFixed(2)}:1`);

/**
 * What `network` would make of `image`, from its tags alone. The byte size
 * is known only once the image is fetched: the gallery's script checks it
 * against `maxBytes` in the browser.
 */
export function checkImage(network: Network, image: PreviewImage): Flag[] {
  const flags: Flag[] = [];
  const { width, height } = image;
  if (!RASTER.includes(image.contentType)) {
    flags.push({ level: 'reject', message: `${image.contentType || 'no type'} is not shown: PNG, JPEG, WebP or GIF only` });
  }
  if (width < network.minWidth || height < network.minHeight) {
    flags.push({ level: 'reject', message: `${width}×${height} is under the ${network.minWidth}×${network.minHeight} minimum` });
  }
  if ((network.maxWidth && width > network.maxWidth) || (network.maxHeight && height > network.maxHeight)) {
    flags.push({ level: 'reject', message: `${width}×${height} is over the ${network.maxWidth}×${network.maxHeight} maximum` });
  }
  if (network.large && (width < network.large.width || height < network.large.height)) {
    flags.push({ level: 'warn', message: `under ${network.large.width}×${network.large.height}: shown as a small thumbnail` });
  }
  if (network.crop) {
    const loss = cropLoss(width, height, network.crop);
    if (loss > CROP_TOLERANCE) {
      flags.push({ level: 'warn', message: `cropped to ${ratio(network.crop)}: ${Math.round(loss * 100)}% of the image is cut` });
    }
  }
  if (network.readsAlt && !image.alt) flags.push({ level: 'warn', message: 'no alt text: screen-reader users get nothing' });
  if (network.altMax && image.alt.length > network.altMax) {
    flags.push({ level: 'warn', message: `alt text is ${image.alt.length} characters; ${network.name.split(' ')[0]} keeps ${network.altMax}` });
  }
  if (!isVersioned(image.url)) {
    flags.push({ level: 'warn', message: 'URL has no version: after a change the network keeps its cached image' });
  }
  return flags;
}

export interface SharedLink {
  /** twitter:card as the tags set it. */
  card?: string;
  /** The first og:image: the one every network shows. */
  image?: PreviewImage;
}

const ENTITY: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

/**
 * What a network reads from a tag block (as head-tags.ts writes it, one
 * `<meta property|name="…" content="…"/>` a line): the previews are drawn
 * from the same tags a crawler gets, not from the metadata beside them.
 * Next.js's order puts an image's alt and type before its og:image (a static
 * file's width and height too), so the first image's group is every
 * og:image tag up to the first key seen twice.
 */
export function readTags(tags: string): SharedLink {
  const link: SharedLink = {};
  const image: PreviewImage = { url: '', alt: '', width: 0, height: 0, contentType: '' };
  const seen = new Set<string>();
  let closed = false;
  for (const m of tags.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)" ?\/>/g)) {
    const key = m[1]!;
    const value = m[2]!.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (e) => ENTITY[e]!);
    if (key === 'twitter:card') link.card = value;
    if (closed || !key.startsWith('og:image')) continue;
    if (seen.has(key)) {
      closed = true;
      continue;
    }
    seen.add(key);
    if (key === 'og:image') image.url = value;
    if (key === 'og:image:alt') image.alt = value;
    if (key === 'og:image:type') image.contentType = value;
    if (key === 'og:image:width') image.width = Number(value);
    if (key === 'og:image:height') image.height = Number(value);
  }
  if (image.url) link.image = image;
  return link;
}
