// Runs one Node peer in this fresh process and prints one JSON line:
//   { firstMs, cards: { [key]: { samples: [ms], png: base64 } } }
// Timing is in-process with performance.now() (no HTTP hop, unlike the
// workerd figures): these are the floors the others are compared with.
//   node bench/peers/node-child.mjs <vercel-og|resvg-js> <warmup> <n>
// With n = 0 only the first render (the blog card) is made and timed.
import { performance } from 'node:perf_hooks';
import React from 'react';
import { CARDS } from '../cards.mjs';
import { cardFonts, loadFonts } from '../fonts.mjs';

const [peer, warmupArg, nArg] = process.argv.slice(2);
const warmup = Number(warmupArg);
const n = Number(nArg);

// One constant font array per card: satori caches parsed fonts by array identity.
const fonts = Object.fromEntries(Object.keys(CARDS).map((key) => [key, loadFonts(cardFonts(key), 'woff')]));

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
    return async (key) => {
      const card = CARDS[key];
      const svg = await satori(card.element(h), { width: card.width, height: card.height, fonts: fonts[key] });
      return new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } }).render().asPng();
    };
  }
  if (peer === 'vercel-og') {
    // The Node entry (dist/index.node.js): its bundled satori and resvg-wasm.
    const { ImageResponse } = await import('@vercel/og');
    return async (key) => {
      const card = CARDS[key];
      const res = new ImageResponse(card.element(React.createElement), { width: card.width, height: card.height, fonts: fonts[key] });
      return new Uint8Array(await res.arrayBuffer());
    };
  }
  throw new Error(`unknown Node peer ${peer}`);
}

const render = await renderer();
let t = performance.now();
await render('blog');
const firstMs = performance.now() - t;
const cards = {};
if (n > 0) {
  for (const key of Object.keys(CARDS)) {
    const samples = [];
    let png;
    for (let i = 0; i < warmup + n; i++) {
      t = performance.now();
      png = await render(key);
      if (i >= warmup) samples.push(performance.now() - t);
    }
    cards[key] = { samples, png: Buffer.from(png).toString('base64') };
  }
}
process.stdout.write(`${JSON.stringify({ firstMs, cards })}\n`);
