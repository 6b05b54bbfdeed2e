// scripts/resvg-wasm.mjs drops the exports og-edge never calls from resvg's
// binary, and the code only they reach. What is left must still be every
// export the glue calls for what the service does, and an upgrade that
// renames a dropped export must stop the build. (The golden and pixel tests
// draw through the trimmed binary in workerd.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { bulkMemory } from '../../scripts/bulk-memory.mjs';
import { trimExports, UNUSED_EXPORTS } from '../../scripts/resvg-wasm.mjs';

const require = createRequire(import.meta.url);
const original = readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm'));
const exportsOf = async (bytes: Uint8Array) => WebAssembly.Module.exports(await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>)).map((e) => e.name);

describe('scripts/resvg-wasm.mjs', () => {
  it('drops only the unused exports, keeps what the glue calls, and comes out smaller', async () => {
    const trimmed = await trimExports(bulkMemory(original));
    const before = await exportsOf(original);
    const after = await exportsOf(trimmed);
    expect(after).toEqual(before.filter((n) => !UNUSED_EXPORTS.some((re) => re.test(n))));
    // What og-edge calls: parse, render, pixels, sizes, frees, and wasm-bindgen's own.
    for (const name of ['memory', 'resvg_new', 'resvg_render', 'renderedimage_pixels', 'renderedimage_width', 'renderedimage_asPng', '__wbg_resvg_free', '__wbg_renderedimage_free', '__wbindgen_malloc', '__wbindgen_realloc', '__wbindgen_free']) {
      expect(after).toContain(name);
    }
    expect(after.some((n) => n.startsWith('Brotli'))).toBe(false);
    expect(trimmed.length).toBeLessThan(original.length * 0.95);
  });

  it('stops the build when an export to drop is not there', async () => {
    await expect(trimExports(original, [/^resvg_render$/, /^no_such_export$/])).rejects.toThrow(/no export matches \/\^no_such_export\$\/; has @resvg\/resvg-wasm changed\?/);
  });
});
