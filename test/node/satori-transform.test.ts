// scripts/satori.mjs patches satori's standalone build for workerd (and so
// that satori never loads an image itself). It must
// refuse, loudly, a satori whose bundled HarfBuzz glue no longer has the
// shape it patches: each mutation below is one way a release could change.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { transformSatori } from '../../scripts/satori.mjs';

const require = createRequire(import.meta.url);
const real = readFileSync(require.resolve('satori/package.json').replace('package.json', 'dist/standalone.js'), 'utf8');
const outDir = '.satori-check';

const MUTATIONS: [string, (s: string) => string, RegExp][] = [
  ['wasm no longer embedded', (s) => s.replace('"AGFzbQ', '"XGFzbQ'), /expected 1 base64 wasm literal/],
  ['a second embedded wasm', (s) => s + '\nvar zz="AGFzbQxx";', /expected 1 base64 wasm literal/],
  ['decoder changed', (s) => s.replace('Uint8Array.from(atob(u),', 'Uint8Array.from(decode(u),'), /\(1\) embedded HarfBuzz wasm/],
  ['no instantiateWasm hook', (s) => s.replace('.instantiateWasm)return new Promise(', '.instantiateWasmX)return new Promise('), /instantiateWasm hook/],
  ['location read changed', (s) => s.replace('self.location.href', 'globalThis.location.href'), /\(2\) self\.location\.href/],
  ['eager start changed', (s) => s.replace(/\.exports=new Promise\(function\(A,g\)\{cf\(\)/, '.exports=new Promise(function(A,g){cf({})'), /\(3\) harfbuzzjs eager start-up/],
  ['addFunction compile changed', (s) => s.replace('new WebAssembly.Module(kA)', 'new WebAssembly.Module(kA,{})'), /\(4\) addFunction run-time wasm compile/],
  ['wasm64 type map', (s) => s.replace('{i:127,p:127,', '{i:127,p:126,'), /signature type map/],
  ['image loader entry changed', (s) => s.replace('if(!A)throw new Error("Image source is not provided.")', 'if(A==null)throw new Error("Image source is not provided.")'), /\(6\) image loader entry/],
  ['image loader fetches elsewhere', (s) => s.replace('if(!globalThis.fetch)throw new Error("`fetch` is required', 'if(!self.fetch)throw new Error("`fetch` is required'), /\(6\) image loader fetch/],
  ['a second image loader', (s) => s + '\nasync function zz(q){if(!q)throw new Error("Image source is not provided.");}', /\(6\) image loader entry/],
  ['parsed-font cache changed', (s) => s.replace('if(hi.has(Q))i=hi.get(Q);else{', 'if(hi.has(Q)&&Q)i=hi.get(Q);else{'), /\(7\) parsed-font cache lookup/],
  ['FontLoader cache changed', (s) => s.replace('I=dB.get(e);if(!I){', 'I=dB.get(e)??null;if(!I){'), /\(7\) FontLoader cache/],
  ['exports changed', (s) => s.replace('export{xG as default,Sy as init};', 'export{xG as default,Sy as init,xG as satori};'), /\(7\) module exports/],
];

describe('scripts/satori.mjs', () => {
  it('patches the installed satori', () => {
    const summary = transformSatori({ outDir, quiet: true, source: real });
    expect(summary.trampolineSigs).toContain('vi');
    expect(summary.harfbuzzBytes).toBeGreaterThan(100_000);
    const out = readFileSync(`${outDir}/standalone.js`, 'utf8');
    expect(out).not.toContain('new WebAssembly.Module(');
    expect(out).not.toContain('self.location');
    // satori's image loader refuses anything but a data: URL, before it could fetch.
    expect(out).toMatch(/async function \w+\(A\)\{if\(typeof A!="string"\|\|!A\.startsWith\("data:"\)\)throw __satoriWorkerdImageRefused\(A\);/);
    // The parsed fonts and FontLoaders, for the font budget (src/render/font-cost.ts).
    expect(out).toMatch(/export\{\w+ as default,\w+ as init,\w+ as __parsedFonts,\w+ as __fontLoaders\};/);
  });

  for (const [name, mutate, message] of MUTATIONS) {
    it(`rejects a satori whose glue changed: ${name}`, () => {
      const source = mutate(real);
      expect(source, 'the mutation must apply to this satori').not.toBe(real);
      expect(() => transformSatori({ outDir, quiet: true, source })).toThrow(message);
    });
  }
});
