// scripts/bulk-memory.mjs swaps resvg's memcpy and memset for bulk-memory
// bodies. Here: the swapped functions do what memcpy and memset do (overlap
// included), nothing else in the module moves, and a resvg-wasm without the
// known bodies stops the build.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import createWabt from 'wabt';
import { describe, expect, it } from 'vitest';
import { bodyDigests, bulkMemory, RESVG_BODIES } from '../../scripts/bulk-memory.mjs';

// A module shaped like Rust's: byte loops for memcpy and memset among other functions.
const WAT = `(module
  (memory (export "memory") 1)
  (func (export "twice") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
  (func $memcpy (export "memcpy") (param i32 i32 i32) (result i32) (local i32)
    block loop local.get 3 local.get 2 i32.ge_u br_if 1
      local.get 0 local.get 3 i32.add local.get 1 local.get 3 i32.add i32.load8_u i32.store8
      local.get 3 i32.const 1 i32.add local.set 3 br 0 end end local.get 0)
  (func $memset (export "memset") (param i32 i32 i32) (result i32) (local i32)
    block loop local.get 3 local.get 2 i32.ge_u br_if 1
      local.get 0 local.get 3 i32.add local.get 1 i32.store8
      local.get 3 i32.const 1 i32.add local.set 3 br 0 end end local.get 0)
  (func (export "last") (result i32) i32.const 42))`;

async function loopModule(): Promise<Uint8Array> {
  const wabt = await createWabt();
  const module = wabt.parseWat('loops.wat', WAT);
  try {
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

interface Mem {
  memory: WebAssembly.Memory;
  memcpy(d: number, s: number, n: number): number;
  memset(d: number, v: number, n: number): number;
  twice(x: number): number;
  last(): number;
}

describe('scripts/bulk-memory.mjs', () => {
  it('replaces memcpy and memset with bodies that copy (overlapping too) and fill the same, and leaves the rest', async () => {
    const wasm = await loopModule();
    const digests = bodyDigests(wasm);
    const patched = bulkMemory(wasm, { memcpy: digests[1], memset: digests[2] });
    const after = bodyDigests(patched);
    expect(after[0]).toBe(digests[0]);
    expect(after[3]).toBe(digests[3]);
    expect(after[1]).not.toBe(digests[1]);
    expect(after[2]).not.toBe(digests[2]);

    const run = async (bytes: Uint8Array) => (await WebAssembly.instantiate(await WebAssembly.compile(bytes))).exports as unknown as Mem;
    const [loops, bulk] = [await run(wasm), await run(patched)];
    expect([bulk.twice(21), bulk.last()]).toEqual([42, 42]);
    for (const m of [loops, bulk]) {
      const bytes = new Uint8Array(m.memory.buffer);
      for (let i = 0; i < 64; i++) bytes[i] = i;
      expect(m.memcpy(100, 0, 40)).toBe(100);
      expect(m.memset(200, 0x1ff, 7)).toBe(200); // the low byte, as memset
      expect(m.memcpy(300, 5, 0)).toBe(300);
    }
    expect(new Uint8Array(bulk.memory.buffer, 0, 320)).toEqual(new Uint8Array(loops.memory.buffer, 0, 320));
    // memory.copy moves overlapping ranges as memmove: what was there, shifted.
    const b = new Uint8Array(bulk.memory.buffer);
    bulk.memcpy(8, 0, 32);
    expect([...b.subarray(8, 40)]).toEqual(Array.from({ length: 32 }, (_, i) => i));
  });

  it('finds both bodies in the installed @resvg/resvg-wasm, and the result compiles', async () => {
    const file = createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm');
    const wasm = readFileSync(file);
    const before = bodyDigests(wasm);
    expect(before.filter((d) => d === RESVG_BODIES.memcpy)).toHaveLength(1);
    expect(before.filter((d) => d === RESVG_BODIES.memset)).toHaveLength(1);
    const patched = bulkMemory(wasm);
    const after = bodyDigests(patched);
    expect(after.filter((d, i) => d !== before[i])).toHaveLength(2);
    await WebAssembly.compile(patched);
  });

  it('stops the build when a body is not there, naming it', async () => {
    const wasm = await loopModule();
    expect(() => bulkMemory(wasm, { memcpy: bodyDigests(wasm)[1], memset: 'f'.repeat(64) })).toThrow(/expected one memset body .* has @resvg\/resvg-wasm changed\?/);
  });
});
