// Peer: @takumi-rs/wasm (a Rust renderer) inside workerd. GET /card/<key>
// draws a card from bench/cards.mjs. The wasm arrives as a compiled module
// (initSync); fonts are registered once per isolate, on the first request,
// as our service sets up its engines. Takumi rejects WOFF 1, so it gets the
// same fonts as WOFF2 (see bench/peers/build.mjs).
import React from 'react';
import { initSync, Renderer } from '@takumi-rs/wasm';
import wasmModule from '@takumi-rs/wasm/takumi_wasm_bg.wasm';
import { fromJsx } from '@takumi-rs/helpers/jsx';
import { CARDS } from '../../cards.mjs';
import { FONTS } from 'bench:fonts';

let ready;
function renderer() {
  ready ??= (async () => {
    initSync({ module: wasmModule });
    const r = new Renderer();
    // Registration order is the fallback order: Inter first, as for satori.
    const seen = new Set();
    for (const font of Object.values(FONTS).flat()) {
      if (seen.has(font.data)) continue;
      seen.add(font.data);
      await r.registerFont(font);
    }
    return r;
  })();
  return ready;
}

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === '/ping') return new Response('ok');
    const card = CARDS[pathname.replace(/^\/card\//, '')];
    if (!card) return new Response('not found', { status: 404 });
    const r = await renderer();
    const { node, css } = await fromJsx(card.element(React.createElement));
    const png = await r.render(node, { width: card.width, height: card.height, css, format: 'png' });
    return new Response(png, { headers: { 'content-type': 'image/png' } });
  },
};
