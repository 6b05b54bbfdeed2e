// scripts/bulk-memory.mjs gives resvg's memcpy and memset bulk-memory
// instructions for long runs. Here: the patched functions do what memcpy and
// memset did, short and long, nothing else in the module moves, and a
// resvg-wasm without the known bodies stops the build.
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
  it('gives memcpy and memset bodies that copy and fill the same, short or long, and leaves the rest', async () => {
    const wasm = await loopModule();
    const digests = bodyDigests(wasm);
    const patched = bulkMemory(wasm, { memcpy: digests[1], memset: digests[2] });
    const after = bodyDigests(patched);
    expect(after[0]).toBe(digests[0]);
    expect(after[3]).toBe(digests[3]);
    expect(after[1]).not.toBe(digests[1]);
    expect(after[2]).not.toBe(digests[2]);

    const run = async (bytes: Uint8Array) => (await WebAssembly.instantiate(await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>))).exports as unknown as Mem;
    const [loops, bulk] = [await run(wasm), await run(patched)];
    expect([bulk.twice(21), bulk.last()]).toEqual([42, 42]);
    // Sizes either side of where the bulk instructions take over (64 bytes).
    for (const m of [loops, bulk]) {
      const bytes = new Uint8Array(m.memory.buffer);
      for (let i = 0; i < 2048; i++) bytes[i] = (i * 7) & 255;
      let to = 4096;
      for (const n of [0, 7, 40, 63, 64, 65, 200, 1000]) {
        expect(m.memcpy(to, 3 + n, n)).toBe(to);
        to += n + 5;
      }
      for (const n of [1, 7, 63, 64, 150, 999]) {
        expect(m.memset(to, 0x100 + n, n)).toBe(to); // the low byte, as memset
        to += n + 3;
      }
    }
    expect(new Uint8Array(bulk.memory.buffer, 0, 12_288)).toEqual(new Uint8Array(loops.memory.buffer, 0, 12_288));
    // Which path ran shows on an overlapping copy forwards: the byte loop
    // repeats what it has just written, memory.copy moves the bytes as they were.
    const b = new Uint8Array(bulk.memory.buffer);
    const shifted = (n: number) => {
      for (let i = 0; i < 300; i++) b[i] = i;
      bulk.memcpy(8, 0, n);
      return [...b.subarray(8, 8 + n)];
    };
    expect(shifted(200)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(shifted(40)).toEqual(Array.from({ length: 40 }, (_, i) => i % 8));
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
