#!/usr/bin/env node
// Compiles the hand-written WebAssembly text in src/ (src/render/pixels.wat)
// to generated/*.wasm, which the Worker imports as modules (workerd compiles
// no wasm from bytes at run time). wabt parses the text and checks it. Also
// writes resvg's wasm as the Worker runs it (resvg-wasm.mjs).
//
//   node scripts/wasm.mjs
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import createWabt from 'wabt';
import { buildResvg } from './resvg-wasm.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WASM = [['src/render/pixels.wat', 'generated/pixels.wasm']];

/** Writes `bytes` to `to` under the root unless it already holds them. */
function write(to, bytes, quiet) {
  const out = join(ROOT, to);
  // Unchanged output is not rewritten: wrangler's watcher would rebuild forever.
  if (existsSync(out) && Buffer.compare(readFileSync(out), Buffer.from(bytes)) === 0) return;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  if (!quiet) console.log(`${to}: ${bytes.length} bytes`);
}

export async function buildWasm({ quiet = false } = {}) {
  await buildResvg(ROOT, 'generated/resvg.wasm', { quiet });
  const wabt = await createWabt();
  for (const [from, to] of WASM) {
    const text = readFileSync(join(ROOT, from), 'utf8');
    const module = wabt.parseWat(from, text, { bulk_memory: true, simd: true });
    try {
      module.validate();
      write(to, module.toBinary({}).buffer, quiet);
    } finally {
      module.destroy();
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildWasm();
