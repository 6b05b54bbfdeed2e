// The reference renders the raster tests compare against: satori's SVG as
// the service lays it out, and that SVG drawn by resvg with nothing of ours
// in between (no gradient inlining, kept backgrounds, emoji or photo rewrites).
import { env } from 'cloudflare:test';
import { Resvg } from '@resvg/resvg-wasm';
import { renderImage } from '../../src/render/index';

const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;

/** A card's SVG, with the service's fonts and emoji. */
export async function svgOf(element: unknown, width = 1200, height = 630): Promise<string> {
  const { bytes } = await renderImage(element, { width, height, format: 'image/svg+xml', assets });
  return new TextDecoder().decode(bytes);
}

/** The plain render: satori's SVG straight into resvg, premultiplied RGBA. */
export function plainRaster(svg: string): Uint8Array {
  const resvg = new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } });
  const image = resvg.render();
  const px = image.pixels.slice();
  image.free();
  resvg.free();
  return px;
}
