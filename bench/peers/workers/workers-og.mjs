// Peer: workers-og's ImageResponse inside workerd. GET /card/<key>?i=<n>
// draws a card from bench/cards.mjs. Fonts are always passed: with none,
// workers-og fetches a Google font on every render, which fails offline (as
// do its emoji, which come from a CDN).
import React from 'react';
import { ImageResponse } from 'workers-og';
import { CARDS } from '../../cards.mjs';
import { ASSETS, FONTS } from 'bench:fonts';

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/ping') return new Response('ok');
    const key = url.pathname.slice('/card/'.length);
    const card = CARDS[key];
    if (!card) return new Response('not found', { status: 404 });
    const element = card.element(React.createElement, ASSETS, url.searchParams.get('i') ?? '0');
    return new ImageResponse(element, { width: card.width, height: card.height, fonts: FONTS[key] });
  },
};
