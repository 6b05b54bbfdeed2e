// The fonts every renderer gets, as package paths without extension, so one
// list serves WOFF (satori-based peers, like our service) and WOFF2 (takumi,
// which rejects WOFF 1).
//
// Inter: exactly what our service bundles (src/render/fonts.ts): every
// @fontsource/inter subset, regular and bold, one family per subset, Latin
// first. Noto Sans SC: only the @fontsource unicode-range subsets that the
// Chinese card's text needs (as a browser would load them), regular and bold.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { ZH_TEXT } from './cards.mjs';

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

/** The Noto Sans SC subsets (e.g. "118") whose unicode-range covers any character of `text`. */
export function notoSubsetsFor(text) {
  const table = JSON.parse(readFileSync(require.resolve('@fontsource/noto-sans-sc/unicode.json'), 'utf8'));
  const ranges = Object.entries(table).map(([key, list]) => [
    key.replace(/[[\]]/g, ''),
    list.split(',').map((r) => r.replace('U+', '').split('-').map((x) => parseInt(x, 16))),
  ]);
  const needed = new Set();
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    if (cp < 0x2e80) continue; // Latin and punctuation come from Inter
    const hit = ranges.find(([, rs]) => rs.some(([a, b = a]) => cp >= a && cp <= b));
    if (hit) needed.add(hit[0]);
  }
  return [...needed].sort();
}

/** @returns {FontSpec[]} */
export function notoSansSc(text) {
  return notoSubsetsFor(text).flatMap((subset) =>
    WEIGHTS.map((weight) => ({
      name: `Noto Sans SC ${subset}`,
      weight,
      file: `@fontsource/noto-sans-sc/files/noto-sans-sc-${subset}-${weight}-normal`,
    })),
  );
}

/**
 * The fonts the peers get for each card. Our service always uses its bundled
 * Inter and has no way to take Noto Sans SC without a route change, so on the
 * Chinese card it draws boxes until the satori 0.63 work lands (see results).
 */
export const cardFonts = (key) => (key === 'zh' ? [...INTER, ...notoSansSc(ZH_TEXT)] : INTER);

/** Absolute path of a spec's file in the given format. */
export const fontPath = (spec, ext) => require.resolve(`${spec.file}.${ext}`);

/** Node side: satori-style font options with the bytes read from disk. */
export function loadFonts(specs, ext = 'woff') {
  return specs.map((spec) => {
    const buf = readFileSync(fontPath(spec, ext));
    return { name: spec.name, weight: spec.weight, style: 'normal', data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) };
  });
}
