// LEB128, the variable-length integers of the WebAssembly binary format, for
// the build scripts that read or write wasm bytes (bulk-memory.mjs, and
// satori.mjs's trampoline module). Three small functions: not worth a
// dependency.

/** Unsigned LEB128 bytes of `value` (a u32). */
export function uleb(value) {
  const out = [];
  do {
    let b = value & 0x7f;
    value >>>= 7;
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}

/** Signed LEB128 bytes of `value` (an i32), as i32.const takes its operand. */
export function sleb(value) {
  const out = [];
  for (;;) {
    const b = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(b & 0x40)) || (value === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** The unsigned LEB128 at `at` in `bytes`, and where the next field starts. */
export function readUleb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value |= (b & 0x7f) << shift;
    if (!(b & 0x80)) return [value >>> 0, at];
    shift += 7;
  }
}
