// Peer: workers-og's ImageResponse inside workerd. GET /card/<key> draws a
// card from bench/cards.mjs. Fonts are always passed: with none, workers-og
// fetches a Google font on every render, which fails offline.
import React from 'react';
import { ImageResponse } from 'workers-og';
import { CARDS } from '../../cards.mjs';
import { FONTS } from 'bench:fonts';

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === '/ping') return new Response('ok');
    const card = CARDS[pathname.replace(/^\/card\//, '')];
    if (!card) return new Response('not found', { status: 404 });
    const key = pathname.slice('/card/'.length);
    return new ImageResponse(card.element(React.createElement), { width: card.width, height: card.height, fonts: FONTS[key] });
  },
};
