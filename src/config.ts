// Service settings, read from wrangler.toml [vars] with safe defaults.
import { readInject, type InjectConfig } from './inject/config';
import type { RenderLimits } from './render/limits';
import type { Env } from './types';

/** What images a card may show (src/render/images.ts). */
export interface ImagePolicy {
  /** Allowed hosts: `host`, `host:port`, `*.example.com`; no port allows the scheme's default only. Empty: none. */
  hosts: string[];
  timeoutMs: number;
  maxBytes: number;
  /** Pixels one image may decode to (read from its header). */
  maxPixels: number;
  /** Pixels all the images of one render may decode to together. */
  renderMaxPixels: number;
}

export interface Config {
  dev: boolean;
  publicUrl?: string;
  buildId: string;
  maxWidth: number;
  maxHeight: number;
  maxPixels: number;
  cacheControl: { immutable: string; unversioned: string; metadata: string };
  /** Bytes of recently served images kept in isolate memory; 0 turns it off. */
  memoryCacheBytes: number;
  corsOrigins: string[];
  /** HMAC secrets for signed image URLs: the first signs, any verifies. Empty: signing off. */
  signingKeys: string[];
  /** How long a route module's generateImageMetadata or Image may take. */
  routeTimeoutMs: number;
  /** Images in cards (see src/render/images.ts). */
  images: ImagePolicy;
  /** Inject mode (src/inject/config.ts): unset, its settings, or why INJECT cannot be read. */
  inject?: InjectConfig | { error: string };
  /** Work one card may ask of the renderer (src/render/limits.ts). */
  limits: RenderLimits;
  /** Seconds a signed URL stays valid; 0: signatures do not expire. */
  signatureTtl: number;
  /** Bearer key `/metadata` requires; undefined: open. */
  metadataKey?: string;
  /** Hosts (`host[:port]`, `*.example.com`) whose requests may name the origin in URLs. */
  publicHosts: string[];
  /** The one deadline of an image request: route calls, body, components, layout, raster. */
  requestTimeoutMs: number;
  /** Largest body a route's own Response may have. */
  routeResponseMaxBytes: number;
  /** Render a page's images in the background when its metadata is read (src/http/prerender.ts). */
  prerender: boolean;
  /** What one isolate keeps of fonts and emoji, how many renders run at once, what one render may load. */
  render: { fontBytes: number; emojiBytes: number; concurrency: number; maxFontFiles: number; maxEmoji: number };
}

const int = (v: unknown, fallback: number) => {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
};

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

const cache = new WeakMap<object, Config>();

/** Parsed once per env object (one per isolate in production). */
export function getConfig(env: Env): Config {
  let config = cache.get(env);
  if (config) return config;
  config = {
    dev: env.ENVIRONMENT === 'development',
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    // Each segment's code hash (scripts/routes.mjs) already versions URLs per
    // deployment; BUILD_ID is a manual override that renews every URL.
    buildId: env.BUILD_ID || '',
    // 2048² RGBA is 16 MiB of pixmap: comfortably inside a 128 MB isolate.
    maxWidth: int(env.MAX_WIDTH, 2048),
    maxHeight: int(env.MAX_HEIGHT, 2048),
    maxPixels: int(env.MAX_PIXELS, 2048 * 2048),
    cacheControl: {
      immutable: env.CACHE_CONTROL_IMMUTABLE || 'public, max-age=31536000, immutable',
      unversioned: env.CACHE_CONTROL_UNVERSIONED || 'public, max-age=300, stale-while-revalidate=86400',
      metadata: env.CACHE_CONTROL_METADATA || 'public, max-age=60, stale-while-revalidate=600',
    },
    memoryCacheBytes: env.MEMORY_CACHE_BYTES === '0' ? 0 : int(env.MEMORY_CACHE_BYTES, 16 * 1024 * 1024),
    corsOrigins: list(env.CORS_ORIGINS || '*'),
    // Set with `wrangler secret put SIGNING_SECRET`; during a rotation the old
    // one stays as SIGNING_SECRET_PREVIOUS so URLs already out keep working.
    signingKeys: [env.SIGNING_SECRET, env.SIGNING_SECRET_PREVIOUS].filter((k): k is string => typeof k === 'string' && k !== ''),
    routeTimeoutMs: int(env.ROUTE_TIMEOUT_MS, 5000),
    requestTimeoutMs: int(env.REQUEST_TIMEOUT_MS, 10000),
    routeResponseMaxBytes: int(env.ROUTE_RESPONSE_MAX_BYTES, 8 * 1024 * 1024),
    images: {
      hosts: list(env.IMAGE_HOSTS || '').map((h) => h.toLowerCase()),
      timeoutMs: int(env.IMAGE_TIMEOUT_MS, 3000),
      maxBytes: int(env.IMAGE_MAX_BYTES, 5 * 1024 * 1024),
      // resvg holds a decoded image twice (RGBA, then premultiplied): 2048²
      // is 32 MiB at the peak, and wasm memory never shrinks.
      maxPixels: int(env.IMAGE_MAX_PIXELS, 2048 * 2048),
      renderMaxPixels: int(env.RENDER_MAX_IMAGE_PIXELS, 2 * 2048 * 2048),
    },
    render: {
      // Weighed by what a font holds once drawn with: the file, its decoded
      // copies and the glyphs drawn (src/render/font-cost.ts).
      fontBytes: int(env.FONT_CACHE_BYTES, 24 * 1024 * 1024),
      emojiBytes: int(env.EMOJI_CACHE_BYTES, 4 * 1024 * 1024),
      concurrency: int(env.RENDER_CONCURRENCY, 1),
      maxFontFiles: int(env.RENDER_MAX_FONT_FILES, 240),
      maxEmoji: int(env.RENDER_MAX_EMOJI, 200),
    },
    inject: readInject(env.INJECT),
    // Chosen so every realistic card passes and the hostile ones measured in
    // docs/security.md are refused.
    limits: {
      text: int(env.MAX_TEXT_LENGTH, 5000),
      elements: int(env.MAX_ELEMENTS, 1000),
      depth: int(env.MAX_DEPTH, 100),
      blurPixels: int(env.MAX_BLUR_PIXELS, 4 * 2048 * 2048),
    },
    signatureTtl: env.SIGNATURE_TTL === '0' ? 0 : int(env.SIGNATURE_TTL, 0),
    metadataKey: env.METADATA_KEY || undefined,
    publicHosts: list(env.PUBLIC_HOSTS || '').map((h) => h.toLowerCase()),
    prerender: env.PRERENDER?.trim().toLowerCase() !== 'off',
  };
  cache.set(env, config);
  return config;
}

export const NOT_WHOLE_PIXELS = 'is not in whole pixels';

/**
 * Why `width`×`height` is not a size the service renders (not whole positive
 * pixels, or over the configured limits), or undefined when it is.
 */
export function sizeFault(width: unknown, height: unknown, config: Config): string | undefined {
  if (!Number.isInteger(width) || !Number.isInteger(height) || (width as number) < 1 || (height as number) < 1) {
    return NOT_WHOLE_PIXELS;
  }
  const [w, h] = [width as number, height as number];
  if (w > config.maxWidth || h > config.maxHeight || w * h > config.maxPixels) {
    return `is over the limit (${config.maxWidth}×${config.maxHeight}, ${config.maxPixels} pixels)`;
  }
  return undefined;
}
