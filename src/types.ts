// The route-module contract: what a file in routes/ exports, and what the
// service hands it. Modelled on Next.js's generateImageMetadata + Image.

/** The Worker's bindings and vars, as declared in wrangler.toml. */
export interface Env {
  /** D1 database of the example `blog` segment. */
  DB?: D1Database;
  /** Optional persistent cache tier shared by every location. */
  IMAGES?: R2Bucket;
  /** Static assets (wrangler.toml [assets]): fonts for other scripts, emoji, public/ images. */
  ASSETS?: Fetcher;
  /** `development` shows stack traces in error bodies. */
  ENVIRONMENT?: string;
  /** Absolute origin for image URLs in metadata, when behind a proxy. */
  PUBLIC_URL?: string;
  /** Overrides the build id that versions image URLs. */
  BUILD_ID?: string;
  MAX_WIDTH?: string;
  MAX_HEIGHT?: string;
  MAX_PIXELS?: string;
  CACHE_CONTROL_IMMUTABLE?: string;
  CACHE_CONTROL_UNVERSIONED?: string;
  CACHE_CONTROL_METADATA?: string;
  CORS_ORIGINS?: string;
  MEMORY_CACHE_BYTES?: string;
  /** Secret that signs image URLs (`wrangler secret put SIGNING_SECRET`). */
  SIGNING_SECRET?: string;
  /** The previous secret, still accepted while URLs signed with it are out. */
  SIGNING_SECRET_PREVIOUS?: string;
  ROUTE_TIMEOUT_MS?: string;
  /** The one deadline of an image request, everything included (then 504). */
  REQUEST_TIMEOUT_MS?: string;
  /** Largest body a route's own Response may have. */
  ROUTE_RESPONSE_MAX_BYTES?: string;
  /** Comma-separated hosts card images may load from: `host`, `host:port`, `*.example.com`. */
  IMAGE_HOSTS?: string;
  IMAGE_TIMEOUT_MS?: string;
  IMAGE_MAX_BYTES?: string;
  /** Decoded pixels per image, and for all the images of one render. */
  IMAGE_MAX_PIXELS?: string;
  RENDER_MAX_IMAGE_PIXELS?: string;
  /** Limits on one card's work (src/render/limits.ts). */
  MAX_TEXT_LENGTH?: string;
  MAX_ELEMENTS?: string;
  MAX_DEPTH?: string;
  MAX_BLUR_PIXELS?: string;
  /** Seconds a signed URL stays valid (its `exp`); unset: no expiry. */
  SIGNATURE_TTL?: string;
  /** Bearer key `/metadata` requires (`wrangler secret put METADATA_KEY`). */
  METADATA_KEY?: string;
  /** Without PUBLIC_URL: the hosts (`host[:port]`, `*.example.com`) the Worker answers for. */
  PUBLIC_HOSTS?: string;
  /** "off": no background render of a page's images when its metadata is read (default on). */
  PRERENDER?: string;
  /** Fonts and emoji kept per isolate (bytes), renders at once, and what one render may load. */
  FONT_CACHE_BYTES?: string;
  EMOJI_CACHE_BYTES?: string;
  RENDER_CONCURRENCY?: string;
  RENDER_MAX_FONT_FILES?: string;
  RENDER_MAX_EMOJI?: string;
  /** Optional rate limit on uncached renders per client ([[ratelimits]] binding). */
  RENDER_LIMITER?: RateLimit;
  /** `on` serves the gallery at `/`; `off` the JSON index. Unset: on in development only. */
  GALLERY?: string;
  /** Inject mode, JSON (docs/inject.md): `{ pages: { "/blog/:slug": "blog" }, origin?, replace? }`. */
  INJECT?: string | Record<string, unknown>;
  [binding: string]: unknown;
}

export type ImageId = string | number;
export interface Size {
  width: number;
  height: number;
}
/**
 * A page's dynamic params, named by its folders' brackets: `[id]` a string,
 * `[...slug]` and `[[...slug]]` arrays. Legacy one-file segments get `{ slug }`.
 */
export type Params = Record<string, string | string[]>;

/** One image a page has, as `generateImageMetadata` returns it. */
export interface ImageMetadataItem {
  id: ImageId;
  alt?: string;
  size?: Size;
  contentType?: string;
  /**
   * Anything that changes when the image does (e.g. a post's `updatedAt`).
   * It goes into the image URL's version, so a changed image gets a new URL.
   */
  version?: string | number;
}

/**
 * `params` works both ways: read directly (Next.js 14/15) or awaited
 * (Next.js 16, where it is a promise).
 */
// `any` values: a module declares the params its folders give (`{ id: string }`).
export type AwaitableParams = Record<string, any> & PromiseLike<Record<string, any>>;

export interface MetadataProps<E = Env> {
  params: AwaitableParams;
  env: E;
}

export interface ImageProps<E = Env> {
  /** The item's id as `generateImageMetadata` returned it. `await id` works too. */
  id: ImageId;
  params: AwaitableParams;
  env: E;
}

/**
 * What a file in routes/ exports. Parameter types are loose on purpose: a
 * module written for Next.js 16 declares `id: Promise<string>`, one for
 * Next.js 14 `id: string`, and both are called with the same values.
 */
export interface RouteModule {
  generateImageMetadata?: (props: any) => unknown;
  default?: (props: any) => unknown;
  alt?: string;
  size?: Size;
  contentType?: string;
  /**
   * Slugs the gallery (and `npm run render` without a slug) shows for this
   * segment. Without it the gallery tries the slug `example`.
   */
  examples?: readonly string[];
  /**
   * What the images are for, which decides the tags a page puts in its
   * `<head>`: `image` (Open Graph and Twitter cards), `icon` (`<link
   * rel="icon">`) or `apple-icon` (`<link rel="apple-touch-icon">`). Without
   * it, an item that is square and at most 512 px is an icon, any other an image.
   */
  kind?: ImageKind;
}

export const IMAGE_KINDS = ['image', 'icon', 'apple-icon'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

export interface RegistryEntry {
  module: RouteModule;
  /** Hash of the module's code and the service's; part of every image URL version. */
  codeVersion: string;
}

/** Next.js's image file conventions; the file's name gives its kind. */
export const FILE_KINDS = ['opengraph-image', 'twitter-image', 'icon', 'apple-icon'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** One image file of routes/, as scripts/routes.mjs found it. */
export interface RouteFile {
  /** Path from the project root; errors name it. */
  file: string;
  /** Folders below routes/, `(groups)` and `[params]` as written. */
  folder: string[];
  /** The file's base name (`opengraph-image`, `icon1`): its part of image URLs. */
  name: string;
  kind: FileKind;
  /** A one-file segment (`routes/<segment>.tsx`): its name, and URLs /<segment>/<slug>/…. */
  legacy?: string;
  codeVersion: string;
  /** A module file: loaded on first use, so one that fails to load fails only its pages. */
  load?: () => Promise<RouteModule>;
  /** A static image file (icon.png): its bytes and what Next.js reads from it. */
  static?: { bytes: ArrayBuffer; contentType: string; size?: Size; alt?: string };
  /** Why the module cannot be bundled (an import that does not resolve). */
  broken?: string;
}

export interface Registry {
  files: RouteFile[];
  /** Folders that are pages: those with image files or a page.* file. */
  pages: string[][];
}

/** A metadata item after validation, as the service uses and returns it. */
export interface ResolvedImage {
  id: ImageId;
  /** As the module gave it: Next.js writes no alt tag when it is undefined. */
  alt?: string;
  /** The size it renders at (the module's, else ImageResponse's default). */
  size: Size;
  /** Whether the module declared the size: Next.js writes width/height only then. */
  sized: boolean;
  /** Any string, as Next.js takes it; it is also what the tags say. */
  contentType: string;
  /** URL version: build, code and item. */
  version: string;
}

/** The formats the renderer writes; any other contentType renders as PNG, as next/og does. */
export const CONTENT_TYPES = ['image/png', 'image/svg+xml', 'image/webp'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];
