// resvg's WebAssembly copies and clears memory with loops of 4-byte loads
// and stores: @resvg/resvg-wasm is built without the bulk-memory feature,
// so Rust's memcpy and memset are compiler_builtins' portable ones. Every
// render clears a canvas-sized pixmap (3 MB for 1200×630) and every layer,
// clip mask and copied row goes through them: ~2.7 ms of a 35 ms card
// (`npm run bench -- --profile intl`). This puts memory.copy and
// memory.fill, which V8 runs as the native memmove and memset, in front of
// the two functions' loops for BULK bytes or more; shorter ones keep the
// loop, cheaper than V8's call out for a few bytes. Same semantics
// (memory.copy even allows overlap), same pixels.
//
// No tool does this for a built binary (binaryen, which resvg-wasm.mjs runs
// next, has no pass for a library's own memcpy), and a wasm module's sections
// are simple to walk, so it is done here, on the binary as published. The
// functions are found by the digest of their bodies: a resvg-wasm with other
// ones fails the build, so an upgrade is looked at, not silently slower.
import { createHash } from 'node:crypto';
import { readUleb, sleb, uleb } from './leb128.mjs';

/** sha256 of each body in @resvg/resvg-wasm 2.6.2 (the code section's bytes, after its size). */
export const RESVG_BODIES = {
  memcpy: 'cc4abf059e2cc8ba1c3c4707b2a470eb99de05c7edcd604e423ccd509c3b16c9',
  memset: '437741659e71b12d6e5fc9424d9cc9f20df3437c61f7385b3adf91aa35a46cba',
};

/** Bytes from which memory.copy / memory.fill beat the loops. */
const BULK = 64;

// (dst, src | value, n) → dst, as the loops: if n >= BULK { memory.copy 0 0 |
// memory.fill 0 (dst, src | value, n); return dst } — then the loop as it was.
const GUARDS = {
  memcpy: [0x20, 0x02, 0x41, ...sleb(BULK), 0x4f, 0x04, 0x40, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0a, 0x00, 0x00, 0x20, 0x00, 0x0f, 0x0b],
  memset: [0x20, 0x02, 0x41, ...sleb(BULK), 0x4f, 0x04, 0x40, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0b, 0x00, 0x20, 0x00, 0x0f, 0x0b],
};

/** A body with `guard` run before its instructions (after its local declarations). */
function guarded(body, guard) {
  let [groups, at] = readUleb(body, 0);
  while (groups--) at = readUleb(body, at)[1] + 1; // a count, then a value type
  return Buffer.concat([body.subarray(0, at), Uint8Array.from(guard), body.subarray(at)]);
}

const digest = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The module's sections, as [id, start, end] of their contents. */
function sections(bytes) {
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = readUleb(bytes, at + 1);
    out.push([id, start, start + size, at]);
    at = start + size;
  }
  return out;
}

/** The code section's function bodies, each as [start, end] of the body after its size. */
function bodies(bytes, start) {
  let [count, at] = readUleb(bytes, start);
  const out = [];
  while (count--) {
    const [size, body] = readUleb(bytes, at);
    out.push([body, body + size]);
    at = body + size;
  }
  return out;
}

/**
 * `wasm` with the functions whose bodies hash to `wanted` (name → sha256)
 * given the bulk-memory guard of the same name; throws unless each is found
 * exactly once.
 */
export function bulkMemory(wasm, wanted = RESVG_BODIES) {
  const bytes = new Uint8Array(wasm);
  const code = sections(bytes).find(([id]) => id === 10);
  if (!code) throw new Error('bulk-memory: no code section');
  const [, start, end, header] = code;
  const found = new Map();
  const list = bodies(bytes, start);
  list.forEach(([from, to], i) => {
    const hash = digest(bytes.subarray(from, to));
    for (const [name, want] of Object.entries(wanted)) if (hash === want) found.set(name, [...(found.get(name) ?? []), i]);
  });
  for (const name of Object.keys(wanted)) {
    if (found.get(name)?.length !== 1) {
      throw new Error(`bulk-memory: expected one ${name} body with sha256 ${wanted[name]}, found ${found.get(name)?.length ?? 0}; has @resvg/resvg-wasm changed?`);
    }
  }
  const guard = new Map([...found].map(([name, [i]]) => [i, GUARDS[name]]));
  const parts = [Uint8Array.from(uleb(list.length))];
  list.forEach(([from, to], i) => {
    const body = guard.has(i) ? guarded(bytes.subarray(from, to), guard.get(i)) : bytes.subarray(from, to);
    parts.push(Uint8Array.from(uleb(body.length)), body);
  });
  const content = Buffer.concat(parts);
  return Buffer.concat([bytes.subarray(0, header), Uint8Array.of(10, ...uleb(content.length)), content, bytes.subarray(end)]);
}

/** sha256 of every function body, by index in the code section (to find the ones above). */
export function bodyDigests(wasm) {
  const bytes = new Uint8Array(wasm);
  const [, start] = sections(bytes).find(([id]) => id === 10);
  return bodies(bytes, start).map(([from, to]) => digest(bytes.subarray(from, to)));
}

