#!/usr/bin/env node
// Builds the Worker's static assets (wrangler.toml [assets], bound as ASSETS)
// and the small index the Worker bundles to find things in them:
//
//   .assets/                        (generated, ignored by git)
//     fonts/<package>/<file>.woff2  Noto Sans subsets from @fontsource/*, 400 and 700
//     emoji/twemoji/<code points>.svg  from @twemoji/svg
//     …                             everything under public/ (a site's own images)
//   src/generated/assets.ts         per font: its unicode-range subsets → file
//
// Runs before every build and dev reload (wrangler.toml [build]) and before
// the tests (vitest.config.ts). Fonts and emoji are copied only when the
// packages or this script change (a stamp file); public/ is synced every run.
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
];
export const WEIGHTS = [400, 700];
export const EMOJI_SETS = [{ name: 'twemoji', pkg: '@twemoji/svg', dir: '.' }];

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
export function buildAssets({ outDir = '.assets', indexOut = 'src/generated/assets.ts', publicDir = 'public', quiet = false } = {}) {
  const log = quiet ? () => {} : (m) => console.log(`[assets] ${m}`);
  const require = createRequire(join(ROOT, 'package.json'));
  const out = resolve(ROOT, outDir);
  const pkgDir = (name) => dirname(require.resolve(`${name}/package.json`));
  const versions = [...FONTS.map((f) => `@fontsource/${f.pkg}`), ...EMOJI_SETS.map((e) => e.pkg)].map(
    (name) => `${name}@${JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8')).version}`,
  );
  const stamp = hashOf([...versions, readFileSync(fileURLToPath(import.meta.url))]);
  const stampFile = join(out, '.stamp');
  const fresh = !(existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && existsSync(resolve(ROOT, indexOut)));

  const index = [];
  let fontBytes = 0;
  let fontFiles = 0;
  for (const font of FONTS) {
    const dir = pkgDir(`@fontsource/${font.pkg}`);
    const unicode = JSON.parse(readFileSync(join(dir, 'unicode.json'), 'utf8'));
    const subsets = Object.entries(unicode).filter(([name]) => font.subsets.test(name));
    if (!subsets.length) throw new Error(`assets: @fontsource/${font.pkg} has no subset matching ${font.subsets}`);
    const entry = { family: font.family, langs: font.langs, weights: WEIGHTS, subsets: [] };
    for (const [name, range] of subsets) {
      const id = name.replace(/^\[(\d+)\]$/, '$1'); // "[12]" → "12", "arabic" stays
      for (const w of WEIGHTS) {
        const file = `${font.pkg}-${id}-${w}-normal.woff2`;
        const src = join(dir, 'files', file);
        if (!existsSync(src)) throw new Error(`assets: @fontsource/${font.pkg} lacks ${file} (its layout changed?)`);
        fontBytes += statSync(src).size;
        fontFiles++;
        if (fresh) {
          mkdirSync(join(out, 'fonts', font.pkg), { recursive: true });
          copyFileSync(src, join(out, 'fonts', font.pkg, file));
        }
      }
      entry.subsets.push([id, encodeRanges(range)]);
    }
    // Path pattern: fonts/<pkg>/<pkg>-<subset>-<weight>-normal.woff2
    index.push({ ...entry, path: `fonts/${font.pkg}/${font.pkg}-{subset}-{weight}-normal.woff2` });
  }

  let emojiFiles = 0;
  for (const set of EMOJI_SETS) {
    const dir = join(pkgDir(set.pkg), set.dir);
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

  const text = [
    '// Generated by scripts/assets.mjs from ' + versions.join(', ') + '. Do not edit.',
    '// Each font: satori language codes, weights, and its subsets as [id, ranges]',
    '// (ranges: "gap.len" pairs in base 36, gaps from the previous range end).',
    `export const FONT_INDEX = ${JSON.stringify(index)} as const;`,
    `export const EMOJI_SETS = ${JSON.stringify(EMOJI_SETS.map((e) => e.name))} as const;`,
    '',
  ].join('\n');
  const absIndex = resolve(ROOT, indexOut);
  mkdirSync(dirname(absIndex), { recursive: true });
  if (!existsSync(absIndex) || readFileSync(absIndex, 'utf8') !== text) writeFileSync(absIndex, text);
  mkdirSync(out, { recursive: true });
  // wrangler uploads every file in the folder except those listed here.
  writeFileSync(join(out, '.assetsignore'), '.stamp\n.assetsignore\n');
  if (fresh) writeFileSync(stampFile, stamp);
  log(
    `${fresh ? 'wrote' : 'up to date:'} ${outDir}/ — ${fontFiles} font files (${(fontBytes / 1048576).toFixed(1)} MiB), ` +
      `${emojiFiles} emoji, ${publicFiles.length} from ${publicDir}/; index ${indexOut} (${text.length} B)`,
  );
  return { fontFiles, fontBytes, emojiFiles, publicFiles: publicFiles.length, indexBytes: text.length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildAssets();
}
