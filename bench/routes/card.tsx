// The bench's cards besides the blog card, as a route module a site would
// write: /card/<card>-<n>/image/og, where <card> is a key of bench/cards.mjs
// (gradient, photo, cover, emoji, intl, stats) and <n> any tag, so every request can
// name a card no one has rendered yet. Bundled only into the bench's own
// Worker (bench/worker.ts), never into the service.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageResponse } from 'next/og';
import { notFound } from 'next/navigation';
import { emojiCard, EMOJI_POST, gradientCard, GRADIENT_POST, hueOf, INTL_POST, intlCard, ownPhoto, PHOTO_POST, photoCard, REPO, statsCard } from '../cards.mjs';
import type { ImageProps, MetadataProps } from '../../src/types';

// The per-post cover: the bench's photo read as a Next.js app reads a local
// file (bundled at build time), made a different file for every post.
const photoBytes = new Uint8Array(readFileSync(join(process.cwd(), 'bench/assets/photo.jpg')));
const PHOTO_URL = `data:image/jpeg;base64,${btoa(Array.from(photoBytes, (b) => String.fromCharCode(b)).join(''))}`;

type H = (type: string, props: Record<string, unknown> | null, ...children: unknown[]) => unknown;
/** createElement for the shared card builders: satori reads React-shaped objects. */
const h: H = (type, props, ...children) => ({ type, props: { ...props, children: children.length === 1 ? children[0] : children } });

const CARDS: Record<string, (slug: string) => unknown> = {
  // The post's own hue, from its slug.
  gradient: (slug) => gradientCard(h, GRADIENT_POST, hueOf(slug)),
  // The cover photo from the static assets, as a site keeps it in public/.
  photo: () => photoCard(h, PHOTO_POST, '/images/bench-photo.jpg'),
  // Each post's own photo (the slug is `cover-<tag>`, as the peers name it).
  cover: (slug) => photoCard(h, PHOTO_POST, ownPhoto(PHOTO_URL, slug)),
  emoji: () => emojiCard(h, EMOJI_POST),
  intl: () => intlCard(h, INTL_POST),
  stats: () => statsCard(h, REPO),
};

const cardOf = (slug: string) => CARDS[slug.split('-')[0]!] ?? notFound();

export async function generateImageMetadata({ params }: MetadataProps) {
  const { slug } = await params;
  cardOf(slug);
  return [{ id: 'og', size: { width: 1200, height: 630 }, contentType: 'image/png', alt: slug, version: '1' }];
}

export default async function Image({ params }: ImageProps) {
  const { slug } = await params;
  return new ImageResponse(cardOf(slug)(slug) as never);
}
