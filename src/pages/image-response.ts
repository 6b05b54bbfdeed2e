// `ImageResponse`, as `next/og` has it. A route's Image function returns one;
// the service reads the element and options back and renders with the item's
// size and content type. Read on its own (outside the service) it renders
// lazily as a 1200×630 PNG, like next/og's.
import { getConfig } from '../config';
import type { EmojiSet } from '../render/assets';
import type { FontOptions } from '../render/fonts';
import { prepareElement } from '../render/images';
import { renderImage } from '../render/index';

export interface ImageResponseOptions {
  width?: number;
  height?: number;
  fonts?: FontOptions[];
  /** Emoji set; only the shipped sets are drawn (Twemoji), others fall back to it. */
  emoji?: EmojiSet;
  debug?: boolean;
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

export const DEFAULT_SIZE = { width: 1200, height: 630 } as const;
const IMAGE = Symbol.for('og-edge.ImageResponse');

export interface ImageRequest {
  element: unknown;
  options: ImageResponseOptions;
}

// The ASSETS binding, remembered from the service's last request, so that an
// ImageResponse read on its own can still reach fonts, emoji and local images.
let defaultAssets: Fetcher | undefined;
export function setDefaultAssets(assets: Fetcher | undefined) {
  if (assets) defaultAssets = assets;
}

export class ImageResponse extends Response {
  readonly [IMAGE]: ImageRequest;

  constructor(element: unknown, options: ImageResponseOptions = {}) {
    // highWaterMark 0: nothing renders until someone reads the body, so the
    // service (which renders from [IMAGE] instead) never pays twice.
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          // Read on its own there is no Worker config: the default policy,
          // which allows no remote image host.
          const prepared = await prepareElement(element, {
            policy: getConfig({}).images,
            assets: defaultAssets,
            segment: '(ImageResponse)',
          });
          const { bytes } = await renderImage(prepared, {
            width: options.width ?? DEFAULT_SIZE.width,
            height: options.height ?? DEFAULT_SIZE.height,
            format: 'image/png',
            fonts: options.fonts,
            emoji: options.emoji,
            assets: defaultAssets,
            debug: options.debug,
          });
          controller.enqueue(bytes);
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const headers = new Headers(options.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'image/png');
    super(body, { status: options.status ?? 200, statusText: options.statusText, headers });
    this[IMAGE] = { element, options };
  }
}

/** The element and options behind a response, if it is one of ours. */
export function imageRequestOf(res: unknown): ImageRequest | undefined {
  return res instanceof Response ? (res as Partial<ImageResponse>)[IMAGE] : undefined;
}
