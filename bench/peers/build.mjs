// Bundles a peer Worker (bench/peers/workers/<name>.mjs) with esbuild, the
// way wrangler would: .wasm and font files stay separate module imports
// (Miniflare loads them as CompiledWasm and Data modules; workerd refuses to
// compile wasm from bytes at run time).
//
// The fonts reach the Worker through a virtual module, `bench:fonts`, made
// from bench/fonts.mjs: { [card]: [{ name, weight, style, data }] }, one
// constant array per card (satori caches parsed fonts by array identity);
// with them ASSETS: the photo as a data: URL, and the emoji card's Twemoji
// files by grapheme (the bench is offline: no CDN).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { CARDS, EMOJI_TEXT } from '../cards.mjs';
import { emojiIn, twemojiNames } from '../lib/emoji.mjs';

const require = createRequire(import.meta.url);
import { cardFonts, fontPath } from '../fonts.mjs';

export const MODULE_RULES = [
  { type: 'CompiledWasm', include: ['**/*.wasm'] },
  { type: 'Data', include: ['**/*.woff', '**/*.woff2'] },
];

function fontsModule(ext) {
  const files = new Map(); // path → import name, shared across cards
  const lists = Object.keys(CARDS).map((card) => {
    const items = cardFonts(card).map((spec) => {
      const path = fontPath(spec, ext);
      if (!files.has(path)) files.set(path, `f${files.size}`);
      return `{ name: ${JSON.stringify(spec.name)}, weight: ${spec.weight}, style: 'normal', data: ${files.get(path)} }`;
    });
    return `  ${JSON.stringify(card)}: [\n    ${items.join(',\n    ')},\n  ],`;
  });
  const imports = [...files].map(([path, id]) => `import ${id} from ${JSON.stringify(path)};`);
  const photo = `data:image/jpeg;base64,${readFileSync(new URL('../assets/photo.jpg', import.meta.url)).toString('base64')}`;
  const emoji = {};
  for (const g of emojiIn(EMOJI_TEXT)) {
    for (const name of twemojiNames(g)) {
      try {
        emoji[g] = readFileSync(require.resolve(`@twemoji/svg/${name}.svg`), 'utf8');
        break;
      } catch {}
    }
  }
  return `${imports.join('\n')}\nexport const FONTS = {\n${lists.join('\n')}\n};\nexport const ASSETS = ${JSON.stringify({ photo, emoji })};\n`;
}

/** Builds peer `name` into `outdir`; `fontExt` is the font format it reads. Returns the entry path. */
export async function buildPeer(name, outdir, fontExt) {
  await build({
    entryPoints: { index: fileURLToPath(new URL(`./workers/${name}.mjs`, import.meta.url)) },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    loader: { '.wasm': 'copy', '.woff': 'copy', '.woff2': 'copy' },
    assetNames: '[name]-[hash]',
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'bench-fonts',
        setup(b) {
          b.onResolve({ filter: /^bench:fonts$/ }, () => ({ path: 'bench:fonts', namespace: 'bench-fonts' }));
          b.onLoad({ filter: /.*/, namespace: 'bench-fonts' }, () => ({
            contents: fontsModule(fontExt),
            loader: 'js',
            resolveDir: fileURLToPath(new URL('.', import.meta.url)),
          }));
        },
      },
    ],
  });
  return `${outdir}/index.js`;
}
