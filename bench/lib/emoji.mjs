// Emoji for the peers that draw Twemoji from files rather than a CDN (the
// bench is offline): the graphemes of a text and their @twemoji/svg files.
// No Node APIs: build.mjs runs it in Node, its output goes into peer bundles.

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const PICTO = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/** Twemoji's file names for a grapheme: with U+FE0F kept for ZWJ sequences, and without. */
export function twemojiNames(grapheme) {
  const hex = [...grapheme].map((c) => c.codePointAt(0).toString(16));
  const stripped = hex.filter((h) => h !== 'fe0f').join('-');
  return [...new Set([grapheme.includes('\u200d') ? hex.join('-') : stripped, stripped])];
}

export const emojiIn = (text) => [...new Set([...segmenter.segment(text)].map((s) => s.segment).filter((g) => PICTO.test(g)))];
