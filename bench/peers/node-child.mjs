// One Node peer in this process, rendering on request: each stdin line
// { key, i, png } is answered by one stdout line { ms, cpu, png? } (ms timed
// in-process with performance.now(), cpu from process.cpuUsage()).
//   node bench/peers/node-child.mjs <vercel-og|resvg-js>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import React from 'react';
import { CARDS } from '../cards.mjs';
import { cardFonts, loadFonts } from '../fonts.mjs';
import { twemojiNames } from '../lib/emoji.mjs';

const require = createRequire(import.meta.url);
const [peer] = process.argv.slice(2);
const assets = { photo: `data:image/jpeg;base64,${readFileSync(new URL('../assets/photo.jpg', import.meta.url)).toString('base64')}` };

// One constant font array per card: satori caches parsed fonts by array identity.
const fonts = Object.fromEntries(Object.keys(CARDS).map((key) => [key, loadFonts(cardFonts(key), 'woff')]));

/** Twemoji from @twemoji/svg on disk, as our service reads it from its assets. */
function twemoji(grapheme) {
  for (const name of twemojiNames(grapheme)) {
    try {
      return `data:image/svg+xml;base64,${readFileSync(require.resolve(`@twemoji/svg/${name}.svg`)).toString('base64')}`;
    } catch {}
  }
  return undefined;
}

async function renderer() {
  if (peer === 'resvg-js') {
    // The same satori as our service, with resvg's native build and its
    // default PNG encoding: the floor of this algorithm on this CPU.
    // satori 0.63 lays out content-box by default; og-edge (src/render/images.ts)
    // makes every element without a boxSizing border-box, as next/og cards
    // expect, so this peer gets the same default.
    const { default: satori } = await import('satori');
    const h = (type, props, ...children) =>
      React.createElement(type, { ...props, style: { boxSizing: 'border-box', ...props?.style } }, ...children);
    const { Resvg } = await import('@resvg/resvg-js');
    return async (key, i) => {
      const card = CARDS[key];
      const svg = await satori(card.element(h, assets, i), {
        width: card.width,
        height: card.height,
        fonts: fonts[key],
        loadAdditionalAsset: async (code, segment) => (code === 'emoji' ? twemoji(segment) : []),
      });
      return new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } }).render().asPng();
    };
  }
  if (peer === 'vercel-og') {
    // The Node entry (dist/index.node.js): its bundled satori and resvg-wasm.
    // It loads emoji from a CDN, which the offline bench cannot reach.
    const { ImageResponse } = await import('@vercel/og');
    return async (key, i) => {
      const card = CARDS[key];
      const res = new ImageResponse(card.element(React.createElement, assets, i), { width: card.width, height: card.height, fonts: fonts[key] });
      return new Uint8Array(await res.arrayBuffer());
    };
  }
  throw new Error(`unknown Node peer ${peer}`);
}

const render = await renderer();
for await (const line of createInterface({ input: process.stdin })) {
  const { key, i, png } = JSON.parse(line);
  try {
    const t = performance.now();
    const c = process.cpuUsage();
    const out = await render(key, i);
    const ms = performance.now() - t;
    const { user, system } = process.cpuUsage(c);
    const cpu = (user + system) / 1000;
    process.stdout.write(`${JSON.stringify({ ms, cpu, png: png ? Buffer.from(out).toString('base64') : undefined })}\n`);
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ error: String(e?.stack ?? e) })}\n`);
  }
}
