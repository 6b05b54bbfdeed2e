// generated/resvg.wasm: @resvg/resvg-wasm's binary as the Worker runs it.
//
//  - memcpy and memset on bulk memory (bulk-memory.mjs): ~1 ms a card.
//  - The exports nothing here calls, and the code only they reach, removed:
//    the brotli crate's C API (exported by its #[no_mangle] functions; no
//    caller in resvg's glue) and the Resvg methods og-edge does not use
//    (toString, the bounding boxes, cropByBBox, image resolving). binaryen's
//    remove-unused-module-elements drops what they alone reach: 2.48 → 2.27
//    MB, 949 → 885 KB gzipped, a tenth less for workerd to compile at an
//    isolate's start and for the bundle's 2 MiB budget. Each name must be
//    there, so an upgrade that renames one stops the build.
//
// binaryen (~3 s) runs only when the input or these scripts change: a stamp
// beside the output records what it was built from.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bulkMemory } from './bulk-memory.mjs';

const require = createRequire(import.meta.url);

/** Exports og-edge never calls: the brotli C API (by prefix) and unused Resvg and BBox methods. */
export const UNUSED_EXPORTS = [
  /^BrotliDecoder/,
  /^resvg_(toString|innerBBox|getBBox|cropByBBox|imagesToResolve|resolveImage)$/,
  /^__wbg_(get|set)_bbox_|^__wbg_bbox_free$/,
];

/** `wasm` without the exports `unused` matches (each must match one), and without what only they reached. */
export async function trimExports(wasm, unused = UNUSED_EXPORTS) {
  const { default: binaryen } = await import('binaryen');
  const module = binaryen.readBinary(wasm);
  try {
    // What the binary declares, plus memory.copy and memory.fill (bulk-memory.mjs);
    // not All, which writes imports in encodings engines do not read yet.
    module.setFeatures(module.getFeatures() | binaryen.Features.BulkMemory | binaryen.Features.BulkMemoryOpt);
    const names = Array.from({ length: module.getNumExports() }, (_, i) => binaryen.getExportInfo(module.getExportByIndex(i)).name);
    for (const re of unused) {
      const hits = names.filter((n) => re.test(n));
      if (!hits.length) throw new Error(`resvg-wasm: no export matches ${re}; has @resvg/resvg-wasm changed?`);
      for (const name of hits) module.removeExport(name);
    }
    module.runPasses(['remove-unused-module-elements']);
    if (!module.validate()) throw new Error('resvg-wasm: the trimmed module does not validate');
    return module.emitBinary().slice(); // a copy: the output lives in binaryen's memory, freed below
  } finally {
    module.dispose();
  }
}

const sha = (...parts) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');

/** Writes `out` (under `root`) from the installed @resvg/resvg-wasm, unless its stamp says it is current. */
export async function buildResvg(root, out = 'generated/resvg.wasm', { quiet = false } = {}) {
  const input = readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm'));
  const here = dirname(fileURLToPath(import.meta.url));
  const stamp = sha(input, readFileSync(join(here, 'resvg-wasm.mjs')), readFileSync(join(here, 'bulk-memory.mjs')), readFileSync(join(here, 'leb128.mjs')), require('binaryen/package.json').version);
  const file = join(root, out);
  if (existsSync(file) && existsSync(`${file}.stamp`) && readFileSync(`${file}.stamp`, 'utf8') === stamp) return;
  const bytes = await trimExports(bulkMemory(input));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  writeFileSync(`${file}.stamp`, stamp);
  if (!quiet) console.log(`${out}: ${bytes.length} bytes (from ${input.length})`);
}
