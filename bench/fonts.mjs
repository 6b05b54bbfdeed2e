// The fonts every renderer gets, as package paths without extension, so one
// list serves WOFF (satori-based peers, like our service) and WOFF2 (takumi,
// which rejects WOFF 1).
//
// Inter: exactly what our service bundles (src/render/fonts.ts): every
// @fontsource/inter subset, regular and bold, one family per subset, Latin
// first. Noto Sans JP / Arabic / SC: only the @fontsource unicode-range
// subsets a card's text needs (as a browser would load them), regular and bold.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { INTL_POST, ZH_TEXT } from './cards.mjs';

const require = createRequire(import.meta.url);

const INTER_SUBSETS = [
  ['Inter', 'latin'],
  ['Inter Latin Ext', 'latin-ext'],
  ['Inter Cyrillic', 'cyrillic'],
  ['Inter Cyrillic Ext', 'cyrillic-ext'],
  ['Inter Greek', 'greek'],
  ['Inter Greek Ext', 'greek-ext'],
  ['Inter Vietnamese', 'vietnamese'],
];
const WEIGHTS = [400, 700];

/** @typedef {{ name: string, weight: 400 | 700, file: string }} FontSpec */

/** @type {FontSpec[]} */
export const INTER = INTER_SUBSETS.flatMap(([name, subset]) =>
  WEIGHTS.map((weight) => ({ name, weight, file: `@fontsource/inter/files/inter-${subset}-${weight}-normal` })),
);

/**
 * The @fontsource/<pkg> subsets (e.g. "118", "arabic") whose unicode-range
 * covers a character of `text` at or above `from` (below it, Inter draws).
 */
export function notoSubsetsFor(text, pkg = 'noto-sans-sc', from = 0x2e80) {
  const table = JSON.parse(readFileSync(require.resolve(`@fontsource/${pkg}/unicode.json`), 'utf8'));
  const ranges = Object.entries(table).map(([key, list]) => [
    key.replace(/[[\]]/g, ''),
    list.split(',').map((r) => r.replace('U+', '').split('-').map((x) => parseInt(x, 16))),
  ]);
  const needed = new Set();
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    if (cp < from) continue;
    const hit = ranges.find(([, rs]) => rs.some(([a, b = a]) => cp >= a && cp <= b));
    if (hit) needed.add(hit[0]);
  }
  return [...needed].sort();
}

/** @returns {FontSpec[]} */
export function noto(text, pkg = 'noto-sans-sc', family = 'Noto Sans SC', from = 0x2e80) {
  return notoSubsetsFor(text, pkg, from).flatMap((subset) =>
    WEIGHTS.map((weight) => ({
      name: `${family} ${subset}`,
      weight,
      file: `@fontsource/${pkg}/files/${pkg}-${subset}-${weight}-normal`,
    })),
  );
}

/**
 * The fonts the peers get for each card: Inter, plus for other scripts the
 * Noto subsets their text needs (as a browser would load them), which our
 * service finds in its static assets by itself.
 */
export const cardFonts = (key) =>
  key === 'zh'
    ? [...INTER, ...noto(ZH_TEXT)]
    : key === 'intl'
      ? [...INTER, ...noto(INTL_POST.title + INTL_POST.author, 'noto-sans-jp', 'Noto Sans JP'), ...noto(INTL_POST.subtitle, 'noto-sans-arabic', 'Noto Sans Arabic', 0x0600)]
      : INTER;

/** Absolute path of a spec's file in the given format. */
export const fontPath = (spec, ext) => require.resolve(`${spec.file}.${ext}`);

/** Node side: satori-style font options with the bytes read from disk. */
export function loadFonts(specs, ext = 'woff') {
  return specs.map((spec) => {
    const buf = readFileSync(fontPath(spec, ext));
    return { name: spec.name, weight: spec.weight, style: 'normal', data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) };
  });
}
