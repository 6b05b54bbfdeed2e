// Every shipped script and emoji set, one card each, for the bench's memory
// mode: /samples/<indic|other|symbols>/image/og and
// /samples/emoji-<set>/image/og (the same cards as the golden images of
// test/golden.test.ts). Bundled only into the bench's Worker.
import { ImageResponse } from 'next/og';
import { notFound } from 'next/navigation';
import { emojiSamples, samplesCard, SCRIPT_SAMPLES } from '../cards.mjs';
import type { ImageProps, MetadataProps } from '../../src/types';

type H = (type: string, props: Record<string, unknown> | null, ...children: unknown[]) => unknown;
const h: H = (type, props, ...children) => ({ type, props: { ...props, children: children.length === 1 ? children[0] : children } });

type EmojiSet = ConstructorParameters<typeof ImageResponse>[1] extends infer O ? (O extends { emoji?: infer E } ? E : never) : never;

function card(slug: string): { rows: [string, string][]; emoji?: EmojiSet } {
  if (slug in SCRIPT_SAMPLES) return { rows: SCRIPT_SAMPLES[slug as keyof typeof SCRIPT_SAMPLES] };
  const set = slug.startsWith('emoji-') ? slug.slice('emoji-'.length) : undefined;
  return set ? { rows: emojiSamples(set), emoji: set as EmojiSet } : notFound();
}

export async function generateImageMetadata({ params }: MetadataProps) {
  const { slug } = await params;
  card(slug);
  return [{ id: 'og', size: { width: 1200, height: 630 }, alt: slug }];
}

export default async function Image({ params }: ImageProps) {
  const { slug } = await params;
  const { rows, emoji } = card(slug);
  return new ImageResponse(samplesCard(h, rows) as never, { emoji });
}
