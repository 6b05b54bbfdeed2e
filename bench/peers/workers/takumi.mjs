// Peer: @takumi-rs/wasm (a Rust renderer) inside workerd. GET /card/<key>?i=<n>
// draws a card from bench/cards.mjs. The wasm arrives as a compiled module
// (initSync); fonts are registered once per isolate, on the first request,
// as our service sets up its engines. Takumi rejects WOFF 1, so it gets the
// same fonts as WOFF2 (see bench/peers/build.mjs). Emoji: takumi's own
// extractEmojis turns them into Twemoji <img>s (CDN URLs), whose bytes are
// handed over with the render (`images`), as a site would after fetching them.
import React from 'react';
import { initSync, Renderer } from '@takumi-rs/wasm';
import wasmModule from '@takumi-rs/wasm/takumi_wasm_bg.wasm';
import { fromJsx } from '@takumi-rs/helpers/jsx';
import { extractEmojis } from '@takumi-rs/helpers/emoji';
import { CARDS } from '../../cards.mjs';
import { twemojiNames } from '../../lib/emoji.mjs';
import { ASSETS, FONTS } from 'bench:fonts';

const encoder = new TextEncoder();
const twemoji = new Map(Object.entries(ASSETS.emoji).flatMap(([g, svg]) => twemojiNames(g).map((name) => [name, encoder.encode(svg)])));

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

/** Every Twemoji image the node tree asks for, with its bytes. */
function emojiImages(node, out = new Map()) {
  const src = node?.src;
  if (typeof src === 'string' && src.endsWith('.svg')) {
    const data = twemoji.get(src.slice(src.lastIndexOf('/') + 1, -4));
    if (data) out.set(src, { src, data });
  }
  for (const child of node?.children ?? []) emojiImages(child, out);
  return out;
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/ping') return new Response('ok');
    const key = url.pathname.replace(/^\/card\//, '');
    const card = CARDS[key];
    if (!card) return new Response('not found', { status: 404 });
    const r = await renderer();
    const { node: raw, css } = await fromJsx(card.element(React.createElement, ASSETS, url.searchParams.get('i') ?? '0'));
    const node = extractEmojis(raw, 'twemoji');
    const png = await r.render(node, { width: card.width, height: card.height, css, format: 'png', images: [...emojiImages(node).values()] });
    return new Response(png, { headers: { 'content-type': 'image/png' } });
  },
};
