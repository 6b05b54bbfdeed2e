#!/usr/bin/env node
// Builds the Worker's static assets (wrangler.toml [assets], bound as ASSETS)
// and the small index the Worker bundles to find things in them:
//
//   .assets/                        (generated, ignored by git)
//     fonts/<package>/<file>.ttf    Noto Sans subsets from @fontsource/*, 400 and 700,
//                                   unwrapped from its WOFF files
//     emoji/twemoji/<code points>.svg  from @twemoji/svg
//     …                             everything under public/ (a site's own images)
//   generated/assets.ts             per font: its subsets and the code points each has
//   generated/fonts/*.ttf           the bundled Geist and Inter (src/render/fonts.ts),
//                                   unwrapped from @fontsource's WOFF files
//
// Runs before every build and dev reload (wrangler.toml [build]) and before
// the tests (vitest.config.ts). Fonts and emoji are copied only when the
// packages or this script change (a stamp file); public/ is synced every run.
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The fonts shipped for scripts the bundled Inter does not cover. `langs` are
 * satori's language codes (what loadAdditionalAsset is called with); `subsets`
 * picks the @fontsource subsets to ship (CJK packages split their script into
 * ~100 numbered subsets, "[0]" … "[119]"; their latin/cyrillic ones are left
 * out, as Inter covers those).
 */
export const FONTS = [
  { pkg: 'noto-sans-sc', family: 'Noto Sans SC', langs: ['zh-CN'], subsets: /^\[\d+\]$/ },
  { pkg: 'noto-sans-tc', family: 'Noto Sans TC', langs: ['zh-TW', 'zh-HK'], subsets: /^\[\d+\]$/ },
  { pkg: 'noto-sans-jp', family: 'Noto Sans JP', langs: ['ja-JP'], subsets: /^\[\d+\]$/ },
  { pkg: 'noto-sans-kr', family: 'Noto Sans KR', langs: ['ko-KR'], subsets: /^\[\d+\]$/ },
  { pkg: 'noto-sans-arabic', family: 'Noto Sans Arabic', langs: ['ar-AR'], subsets: /^arabic$/ },
  { pkg: 'noto-sans-hebrew', family: 'Noto Sans Hebrew', langs: ['he-IL'], subsets: /^hebrew$/ },
  { pkg: 'noto-sans-devanagari', family: 'Noto Sans Devanagari', langs: ['devanagari'], subsets: /^devanagari$/ },
  { pkg: 'noto-sans-thai', family: 'Noto Sans Thai', langs: ['th-TH'], subsets: /^thai$/ },
  { pkg: 'noto-sans-bengali', family: 'Noto Sans Bengali', langs: ['bn-IN'], subsets: /^bengali$/ },
  { pkg: 'noto-sans-tamil', family: 'Noto Sans Tamil', langs: ['ta-IN'], subsets: /^tamil$/ },
  { pkg: 'noto-sans-telugu', family: 'Noto Sans Telugu', langs: ['te-IN'], subsets: /^telugu$/ },
  { pkg: 'noto-sans-kannada', family: 'Noto Sans Kannada', langs: ['kannada'], subsets: /^kannada$/ },
  { pkg: 'noto-sans-malayalam', family: 'Noto Sans Malayalam', langs: ['ml-IN'], subsets: /^malayalam$/ },
  // Scripts satori has no language code for (it asks with "unknown"): found by coverage.
  { pkg: 'noto-sans-gujarati', family: 'Noto Sans Gujarati', langs: [], subsets: /^gujarati$/ },
  { pkg: 'noto-sans-gurmukhi', family: 'Noto Sans Gurmukhi', langs: [], subsets: /^gurmukhi$/ },
  { pkg: 'noto-sans-sinhala', family: 'Noto Sans Sinhala', langs: [], subsets: /^sinhala$/ },
  { pkg: 'noto-sans-khmer', family: 'Noto Sans Khmer', langs: [], subsets: /^khmer$/ },
  { pkg: 'noto-sans-lao', family: 'Noto Sans Lao', langs: [], subsets: /^lao$/ },
  { pkg: 'noto-sans-myanmar', family: 'Noto Sans Myanmar', langs: [], subsets: /^myanmar$/ },
  { pkg: 'noto-sans-georgian', family: 'Noto Sans Georgian', langs: [], subsets: /^georgian$/ },
  { pkg: 'noto-sans-armenian', family: 'Noto Sans Armenian', langs: [], subsets: /^armenian$/ },
  { pkg: 'noto-sans-ethiopic', family: 'Noto Sans Ethiopic', langs: [], subsets: /^ethiopic$/ },
  // Symbols, arrows and math, as next/og asks Google Fonts for them.
  { pkg: 'noto-sans-symbols', family: 'Noto Sans Symbols', langs: ['symbol'], subsets: /^symbols$/ },
  { pkg: 'noto-sans-symbols-2', family: 'Noto Sans Symbols 2', langs: ['symbol'], subsets: /^(symbols|math|braille|mayan-numerals)$/, weights: [400] },
  // One file, labelled "latin", that holds the whole font.
  { pkg: 'noto-sans-math', family: 'Noto Sans Math', langs: ['math'], subsets: /^latin$/, weights: [400] },
];
export const WEIGHTS = [400, 700];
/**
 * The emoji sets next/og names, from npm. Twemoji is one SVG file per emoji;
 * the others come as Iconify JSON (an SVG body per emoji and a code point
 * map) and are written as a few hundred chunks of ~256 KB each, keyed by a
 * hash of the code points: one file per emoji for every set would pass the
 * 20,000 files Workers' static assets allow. Blobmoji has no SVG package on
 * npm, so it is not shipped (asking for it is an error naming the others).
 * Licences: Twemoji CC-BY 4.0, Noto Apache 2.0, OpenMoji CC BY-SA 4.0, Fluent MIT.
 */
export const EMOJI_SETS = [
  { name: 'twemoji', pkg: '@twemoji/svg', dir: '.' },
  { name: 'noto', pkg: '@iconify-json/noto' },
  { name: 'openmoji', pkg: '@iconify-json/openmoji' },
  // The colour Fluent set has no code point map of its own; the flat one's names match.
  { name: 'fluent', pkg: '@iconify-json/fluent-emoji', chars: '@iconify-json/fluent-emoji-flat' },
  { name: 'fluentFlat', pkg: '@iconify-json/fluent-emoji-flat' },
];
const CHUNK_BYTES = 256 * 1024;

/** An emoji's key in the chunks: its code points in hex, without U+FE0F (src/render/assets.ts has the same). */
export const emojiKey = (codePoints) => codePoints.filter((cp) => cp !== 0xfe0f).map((cp) => cp.toString(16)).join('-');

/** FNV-1a of a string, for the chunk an emoji is in (src/render/assets.ts has the same). */
export function chunkOf(key, chunks) {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h % chunks;
}

/** An Iconify emoji set as { key: svg }. */
function iconifySet(dir, charsDir) {
  const set = JSON.parse(readFileSync(join(dir, 'icons.json'), 'utf8'));
  const chars = JSON.parse(readFileSync(join(charsDir, 'chars.json'), 'utf8'));
  const out = {};
  for (const [hex, name] of Object.entries(chars)) {
    const alias = set.aliases?.[name];
    // Aliases that flip or rotate their parent are left out (none are emoji with their own code points).
    const icon = set.icons[name] ?? (alias && Object.keys(alias).length === 1 ? set.icons[alias.parent] : undefined);
    if (!icon) continue;
    const [w, h, x, y] = [icon.width ?? set.width ?? 16, icon.height ?? set.height ?? 16, icon.left ?? 0, icon.top ?? 0];
    // Clipped to its box: some draw outside it (Noto's ❤️‍🔥), which resvg would show.
    out[emojiKey(hex.split('-').map((c) => parseInt(c, 16)))] =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="${x} ${y} ${w} ${h}">` +
      `<clipPath id="og-edge-box"><rect x="${x}" y="${y}" width="${w}" height="${h}"/></clipPath><g clip-path="url(#og-edge-box)">${icon.body}</g></svg>`;
  }
  return out;
}


/**
 * "U+4e00-4e0f,U+4e11" → sorted [start, end] pairs, delta-encoded in base 36
 * ("gap.len" pairs joined by ","), which keeps ~200 KB of CSS ranges small.
 */
export function encodeRanges(unicodeRange) {
  const pairs = unicodeRange
    .split(',')
    .map((r) => r.trim().replace(/^U\+/i, ''))
    .filter(Boolean)
    .map((r) => {
      const [a, b = a] = r.split('-');
      if (a.includes('?')) throw new Error(`assets: wildcard unicode-range "${r}" is not supported`);
      return [parseInt(a, 16), parseInt(b, 16)];
    })
    .sort((x, y) => x[0] - y[0]);
  let prev = 0;
  return pairs
    .map(([a, b]) => {
      const s = `${(a - prev).toString(36)}${b > a ? '.' + (b - a).toString(36) : ''}`;
      prev = b;
      return s;
    })
    .join(',');
}

/** Sorted code points → the same "gap.len" encoding as encodeRanges. */
export function encodeCodePoints(cps) {
  const pairs = [];
  for (const cp of cps) {
    const last = pairs[pairs.length - 1];
    if (last && cp === last[1] + 1) last[1] = cp;
    else pairs.push([cp, cp]);
  }
  return encodeRanges(pairs.map(([a, b]) => `U+${a.toString(16)}-${b.toString(16)}`).join(','));
}

/**
 * The code points a font really maps (its cmap, formats 4 and 12). A subset's
 * unicode-range says what it is for, not what it has (Noto Sans Math is one
 * file labelled "latin"), and the Worker reports a code point no font has.
 */
export function cmapCodePoints(sfnt) {
  const v = new DataView(sfnt.buffer, sfnt.byteOffset, sfnt.byteLength);
  let cmap = -1;
  for (let i = 0, n = v.getUint16(4); i < n; i++) {
    if (v.getUint32(12 + i * 16) === 0x636d6170) cmap = v.getUint32(12 + i * 16 + 8);
  }
  if (cmap < 0) throw new Error('assets: font has no cmap');
  const out = new Set();
  let best = -1;
  for (let i = 0, n = v.getUint16(cmap + 2); i < n; i++) {
    const [platform, encoding, offset] = [v.getUint16(cmap + 4 + i * 8), v.getUint16(cmap + 6 + i * 8), v.getUint32(cmap + 8 + i * 8)];
    const format = v.getUint16(cmap + offset);
    if ((platform === 3 && (encoding === 1 || encoding === 10)) || platform === 0) {
      if (format === 12 || (format === 4 && best < 0)) best = cmap + offset;
    }
  }
  if (best < 0) throw new Error('assets: font has no Unicode cmap');
  if (v.getUint16(best) === 12) {
    for (let g = 0, n = v.getUint32(best + 12); g < n; g++) {
      const o = best + 16 + g * 12;
      const [start, end, glyph] = [v.getUint32(o), v.getUint32(o + 4), v.getUint32(o + 8)];
      for (let cp = start; cp <= end; cp++) if (glyph + cp - start) out.add(cp);
    }
  } else {
    const segX2 = v.getUint16(best + 6);
    const ends = best + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffsets = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      const [end, start, delta, ro] = [v.getUint16(ends + s), v.getUint16(starts + s), v.getInt16(deltas + s), v.getUint16(rangeOffsets + s)];
      for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
        const glyph = ro ? v.getUint16(rangeOffsets + s + ro + (cp - start) * 2) : (cp + delta) & 0xffff;
        if (glyph && (!ro || (glyph + delta) & 0xffff)) out.add(cp);
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}

function hashOf(parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
}

/** Every file below `dir`, relative to it. */
function files(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)],
  );
}

/**
 * Copies what the fonts and emoji need into `outDir` and writes the index
 * module to `indexOut`. Throws when a package lacks what is expected (a
 * subset file named in its unicode.json, the emoji folder), so a package
 * upgrade that changes its layout stops the build.
 */
export function buildAssets({ outDir = '.assets', indexOut = 'generated/assets.ts', publicDir = 'public', quiet = false } = {}) {
  const log = quiet ? () => {} : (m) => console.log(`[assets] ${m}`);
  const require = createRequire(join(ROOT, 'package.json'));
  const out = resolve(ROOT, outDir);
  const pkgDir = (name) => dirname(require.resolve(`${name}/package.json`));
  const versions = [...FONTS.map((f) => `@fontsource/${f.pkg}`), ...BUNDLED.map((f) => `@fontsource/${f.pkg}`), ...EMOJI_SETS.map((e) => e.pkg)].map(
    (name) => `${name}@${JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8')).version}`,
  );
  const stamp = hashOf([...versions, readFileSync(fileURLToPath(import.meta.url))]);
  const stampFile = join(out, '.stamp');
  const fresh = !(existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && existsSync(resolve(ROOT, indexOut)));

  // Reading ~1,000 cmaps takes a second: the index is kept with the stamp.
  const indexCache = join(out, '.index.json');
  const cached = !fresh && existsSync(indexCache) ? JSON.parse(readFileSync(indexCache, 'utf8')) : undefined;
  const index = cached?.index ?? [];
  let fontBytes = 0;
  let fontFiles = 0;
  if (fresh) rmSync(join(out, 'fonts'), { recursive: true, force: true }); // no file of an older layout stays behind
  for (const font of FONTS) {
    const dir = pkgDir(`@fontsource/${font.pkg}`);
    const unicode = JSON.parse(readFileSync(join(dir, 'unicode.json'), 'utf8'));
    const subsets = Object.entries(unicode).filter(([name]) => font.subsets.test(name));
    if (!subsets.length) throw new Error(`assets: @fontsource/${font.pkg} has no subset matching ${font.subsets}`);
    const weights = font.weights ?? WEIGHTS;
    const entry = { family: font.family, langs: font.langs, weights, subsets: [] };
    for (const [name] of subsets) {
      const id = name.replace(/^\[(\d+)\]$/, '$1'); // "[12]" → "12", "arabic" stays
      for (const w of weights) {
        // Shipped as TrueType, unwrapped from the WOFF 1.0 twin of each WOFF2:
        // satori decodes WOFF2 (Brotli, then the glyf transform) in wasm on
        // every file's first use in an isolate, ~100 ms of the first Japanese
        // card. An sfnt is also less to keep: satori's decoded copy was held
        // beside the file.
        const file = `${font.pkg}-${id}-${w}-normal`;
        const src = join(dir, 'files', `${file}.woff`);
        if (!existsSync(src)) throw new Error(`assets: @fontsource/${font.pkg} lacks ${file}.woff (its layout changed?)`);
        const sfnt = fresh || (!cached && w === weights[0]) ? woffToSfnt(readFileSync(src), src) : undefined;
        if (sfnt && sfnt.readUInt32BE(0) !== 0x00010000) throw new Error(`assets: ${src} is not TrueType`);
        fontFiles++;
        if (fresh) {
          mkdirSync(join(out, 'fonts', font.pkg), { recursive: true });
          writeFileSync(join(out, 'fonts', font.pkg, `${file}.ttf`), sfnt);
        }
        fontBytes += sfnt ? sfnt.length : statSync(join(out, 'fonts', font.pkg, `${file}.ttf`)).size;
        if (!cached && w === weights[0]) entry.subsets.push([id, encodeCodePoints(cmapCodePoints(sfnt))]);
      }
    }
    // Path pattern: fonts/<pkg>/<pkg>-<subset>-<weight>-normal.ttf
    if (!cached) index.push({ ...entry, path: `fonts/${font.pkg}/${font.pkg}-{subset}-{weight}-normal.ttf` });
  }
  if (!cached) {
    mkdirSync(out, { recursive: true });
    writeFileSync(indexCache, JSON.stringify({ index }));
  }

  let emojiFiles = 0;
  const emojiChunks = {};
  for (const set of EMOJI_SETS) {
    const dir = join(pkgDir(set.pkg), set.dir ?? '.');
    if (!set.dir) {
      const emoji = iconifySet(dir, set.chars ? pkgDir(set.chars) : dir);
      const keys = Object.keys(emoji);
      if (keys.length < 1000) throw new Error(`assets: ${set.pkg} has only ${keys.length} emoji with code points (layout changed?)`);
      emojiFiles += keys.length;
      const bytes = keys.reduce((n, k) => n + emoji[k].length, 0);
      const chunks = (emojiChunks[set.name] = Math.max(1, Math.ceil(bytes / CHUNK_BYTES)));
      if (fresh) {
        const parts = Array.from({ length: chunks }, () => ({}));
        for (const k of keys) parts[chunkOf(k, chunks)][k] = emoji[k];
        rmSync(join(out, 'emoji', set.name), { recursive: true, force: true });
        mkdirSync(join(out, 'emoji', set.name), { recursive: true });
        parts.forEach((part, i) => writeFileSync(join(out, 'emoji', set.name, `${i}.json`), JSON.stringify(part)));
      }
      continue;
    }
    const svgs = readdirSync(dir).filter((f) => /^[0-9a-f]+(-[0-9a-f]+)*\.svg$/.test(f));
    if (svgs.length < 1000) throw new Error(`assets: ${set.pkg} has only ${svgs.length} emoji SVGs in ${dir} (layout changed?)`);
    emojiFiles += svgs.length;
    if (fresh) {
      rmSync(join(out, 'emoji', set.name), { recursive: true, force: true });
      mkdirSync(join(out, 'emoji', set.name), { recursive: true });
      for (const f of svgs) copyFileSync(join(dir, f), join(out, 'emoji', set.name, f));
    }
  }

  // A site's own files (local images in cards), copied every run: they are
  // few and small, and an edit must show up in `wrangler dev`.
  const pub = resolve(ROOT, publicDir);
  const publicFiles = files(pub);
  for (const f of publicFiles) {
    if (/^(fonts|emoji)[\\/]/.test(f)) throw new Error(`assets: public/${f} would shadow the generated ${f.split(/[\\/]/)[0]}/ folder`);
  }
  if (publicFiles.length) cpSync(pub, out, { recursive: true });

  const bundled = buildBundledFonts(pkgDir);

  const text = [
    '// Generated by scripts/assets.mjs from ' + versions.join(', ') + '. Do not edit.',
    '// Each font: satori language codes, weights, and its subsets as [id, ranges]',
    '// (ranges: "gap.len" pairs in base 36, gaps from the previous range end).',
    `export const FONT_INDEX = ${JSON.stringify(index)} as const;`,
    `export const EMOJI_SETS = ${JSON.stringify(EMOJI_SETS.map((e) => e.name))} as const;`,
    '// Sets written as chunks (emoji/<set>/<n>.json): how many; the others are one SVG per emoji.',
    `export const EMOJI_CHUNKS: Record<string, number> = ${JSON.stringify(emojiChunks)};`,
    '// The code points each bundled font (generated/fonts/<pkg>-<subset>-*.ttf) maps.',
    `export const BUNDLED_COVERAGE: Record<string, string> = ${JSON.stringify(bundled)};`,
    '',
  ].join('\n');
  const absIndex = resolve(ROOT, indexOut);
  mkdirSync(dirname(absIndex), { recursive: true });
  if (!existsSync(absIndex) || readFileSync(absIndex, 'utf8') !== text) writeFileSync(absIndex, text);
  mkdirSync(out, { recursive: true });
  // wrangler uploads every file in the folder except those listed here.
  writeFileSync(join(out, '.assetsignore'), '.stamp\n.assetsignore\n.index.json\n');
  if (fresh) writeFileSync(stampFile, stamp);
  log(
    `${fresh ? 'wrote' : 'up to date:'} ${outDir}/ — ${fontFiles} font files (${(fontBytes / 1048576).toFixed(1)} MiB), ` +
      `${emojiFiles} emoji, ${publicFiles.length} from ${publicDir}/; index ${indexOut} (${text.length} B); ` +
      `${Object.keys(bundled).length * WEIGHTS.length} bundled fonts as TTF in ${BUNDLED_OUT}/`,
  );
  return { fontFiles, fontBytes, emojiFiles, publicFiles: publicFiles.length, indexBytes: text.length };
}

/**
 * The Inter files the Worker bundles (src/render/fonts.ts), as plain TrueType.
 * @fontsource ships them as WOFF 1.0, whose tables are zlib-compressed: satori
 * (opentype.js) inflates every table in JavaScript when it parses a font, and
 * parsing all 14 took ~85 ms of an isolate's first render. Unwrapped here,
 * once, they parse in a few ms. The bundle barely grows once compressed (the
 * Worker upload is gzipped; the WOFF files were already deflated).
 */
const BUNDLED_OUT = 'generated/fonts';
/** Geist first (next/og's default since @vercel/og 1.0), then Inter for what Geist lacks (Greek). */
export const BUNDLED = [
  { pkg: 'geist', subsets: ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'vietnamese'] },
  { pkg: 'inter', subsets: ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek', 'greek-ext', 'vietnamese'] },
];

/** Writes the bundled TTFs; returns each file's name (without .ttf) and the code points it maps. */
function buildBundledFonts(pkgDir) {
  const out = resolve(ROOT, BUNDLED_OUT);
  mkdirSync(out, { recursive: true });
  const coverage = {};
  for (const { pkg, subsets } of BUNDLED) {
    const dir = pkgDir(`@fontsource/${pkg}`);
    for (const subset of subsets) {
      for (const w of WEIGHTS) {
        const name = `${pkg}-${subset}-${w}-normal`;
        const src = join(dir, 'files', `${name}.woff`);
        if (!existsSync(src)) throw new Error(`assets: @fontsource/${pkg} lacks ${name}.woff (its layout changed?)`);
        const ttf = woffToSfnt(readFileSync(src), name);
        const dest = join(out, `${name}.ttf`);
        // Written only when different: src/ is watched by wrangler dev.
        if (!existsSync(dest) || !readFileSync(dest).equals(ttf)) writeFileSync(dest, ttf);
        if (w === WEIGHTS[0]) coverage[`${pkg}-${subset}`] = encodeCodePoints(cmapCodePoints(ttf));
      }
    }
  }
  return coverage;
}

/** WOFF 1.0 → sfnt: each table inflated (if it was compressed), the table directory rewritten. */
export function woffToSfnt(woff, what = 'font') {
  const v = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (v.getUint32(0) !== 0x774f4646) throw new Error(`assets: ${what} is not WOFF 1.0`);
  const flavor = v.getUint32(4);
  const numTables = v.getUint16(12);
  const tables = [];
  for (let i = 0; i < numTables; i++) {
    const o = 44 + i * 20;
    const [tag, offset, compLength, origLength, checksum] = [0, 4, 8, 12, 16].map((k) => v.getUint32(o + k));
    let data = woff.subarray(offset, offset + compLength);
    if (compLength < origLength) data = inflateSync(data);
    if (data.length !== origLength) throw new Error(`assets: ${what}: table ${i} inflates to ${data.length} B, not ${origLength}`);
    tables.push({ tag, checksum, data });
  }
  let entrySelector = 0;
  while (2 << entrySelector <= numTables) entrySelector++;
  const searchRange = (1 << entrySelector) * 16;
  const headerLength = 12 + numTables * 16;
  const total = tables.reduce((sum, t) => sum + ((t.data.length + 3) & ~3), headerLength);
  const out = Buffer.alloc(total); // zero-filled: tables are padded to 4 bytes
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange, 10);
  let at = headerLength;
  tables.forEach((t, i) => {
    const o = 12 + i * 16;
    out.writeUInt32BE(t.tag, o);
    out.writeUInt32BE(t.checksum, o + 4);
    out.writeUInt32BE(at, o + 8);
    out.writeUInt32BE(t.data.length, o + 12);
    out.set(t.data, at);
    at += (t.data.length + 3) & ~3;
  });
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildAssets();
}
