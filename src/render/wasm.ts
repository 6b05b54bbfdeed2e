// satori's layout engine and resvg, each initialised once per isolate.
// workerd forbids compiling wasm from bytes at run time, so both are imported
// as modules (wrangler and the test pool hand us a compiled
// WebAssembly.Module). satori's third, HarfBuzz, is started lazily by satori
// itself at the first render (see scripts/satori.mjs). resvg's binary is
// @resvg/resvg-wasm's with memcpy and memset on bulk memory (scripts/bulk-memory.mjs).
import { initWasm } from '@resvg/resvg-wasm';
import resvgWasm from '../../generated/resvg.wasm';
import { init as initSatori } from 'satori/standalone';
import layoutWasm from 'satori/layout.wasm';

let ready: Promise<void> | undefined;

/** Resolves when both engines are up; safe to call on every request. */
export function ensureWasm(): Promise<void> {
  // resvg's initWasm throws if called twice, so the promise itself is the
  // once-guard; a failed start is forgotten so the next request retries.
  ready ??= Promise.all([initSatori(layoutWasm), initWasm(resvgWasm)]).then(
    () => undefined,
    (e) => {
      ready = undefined;
      throw e;
    },
  );
  return ready;
}
