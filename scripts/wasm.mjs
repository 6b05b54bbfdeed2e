#!/usr/bin/env node
// Compiles the hand-written WebAssembly text in src/ (src/render/pixels.wat)
// to generated/*.wasm, which the Worker imports as modules (workerd compiles
// no wasm from bytes at run time). wabt parses the text and checks it.
//
//   node scripts/wasm.mjs
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import createWabt from 'wabt';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WASM = [['src/render/pixels.wat', 'generated/pixels.wasm']];

export async function buildWasm({ quiet = false } = {}) {
  const wabt = await createWabt();
  for (const [from, to] of WASM) {
    const text = readFileSync(join(ROOT, from), 'utf8');
    const module = wabt.parseWat(from, text, { bulk_memory: true, simd: true });
    try {
      module.validate();
      const { buffer } = module.toBinary({});
      const out = join(ROOT, to);
      // Unchanged output is not rewritten: wrangler's watcher would rebuild forever.
      if (existsSync(out) && Buffer.compare(readFileSync(out), Buffer.from(buffer)) === 0) continue;
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, buffer);
      if (!quiet) console.log(`${to}: ${buffer.length} bytes`);
    } finally {
      module.destroy();
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildWasm();
