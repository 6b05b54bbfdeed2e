// scripts/satori.mjs patches satori's standalone build for workerd (and so
// that satori never loads an image itself). It must
// refuse, loudly, a satori whose bundled HarfBuzz glue no longer has the
// shape it patches: each mutation below is one way a release could change.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
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
  ['outline writer changed', (s) => s.replace('case"Z":C+="Z";break}return C}', 'case"Z":C+="z";break}return C}'), /\(8\) glyph outline writer/],
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

/** satori's outline writer from a standalone.js, callable: (commands, x, y, scale) → path data. */
function outlineWriter(source: string): (commands: object[], x: number, y: number, scale: number) => string {
  const [text, , name] = /(function __satoriTenths\(v\)\{.*?\})?function (\w+)\(A,g,e,I,t=0\)\{let Q=\(i,n\)=>(?:oa|__satoriTenths)\(.*?return C\}/.exec(source) ?? [];
  expect(text, 'the outline writer').toBeDefined();
  const oa = (a: number) => (a < 0 ? -Math.round(-a * 10) : Math.round(a * 10)) / 10; // satori's rounding, as in its source
  return new Function('oa', `${text}; return ${name};`)(oa);
}

describe('(8) glyph outlines without zero-length lines', () => {
  // Contours as opentype.js gives them: quadratic runs closed by a line to
  // the point just reached, and the cases that must stay: a line right after
  // M (a dot when stroked with round caps), a line after Z back to a stale
  // point, a real line, cubic curves.
  const M = (x: number, y: number) => ({ type: 'M', x, y });
  const L = (x: number, y: number) => ({ type: 'L', x, y });
  const Q = (x1: number, y1: number, x: number, y: number) => ({ type: 'Q', x1, y1, x, y });
  const C = (x1: number, y1: number, x2: number, y2: number, x: number, y: number) => ({ type: 'C', x1, y1, x2, y2, x, y });
  const Z = { type: 'Z' };
  const commands = [
    M(10, 10), Q(60, 0, 100, 40), L(100, 40), Q(120, 90, 60, 110), L(60, 110), L(20, 90), L(20, 90.01), Z,
    L(20, 90), Q(30, 60, 40, 70), L(40, 70), Z,
    M(150, 20), L(150, 20), Z,
    M(200, 30), C(220, 0, 260, 60, 280, 30), L(280, 30), L(240, 100), Z,
  ];

  it('leaves out exactly the lines to the point just written inside a contour', async () => {
    const before = outlineWriter(real)(commands, 3, 140, 0.9);
    const after = outlineWriter(readFileSync(`${outDir}/standalone.js`, 'utf8'))(commands, 3, 140, 0.9);
    expect(before).toBe('M12 131Q57 140 93 104L93 104Q111 59 57 41L57 41L21 59L21 59ZL21 59Q30 86 39 77L39 77ZM138 122L138 122ZM183 113C201 140 237 86 255 113L255 113L219 50Z');
    // Gone: the lines after Q and C, and one that rounds to the point just written. Kept: after Z, after M.
    expect(after).toBe('M12 131Q57 140 93 104Q111 59 57 41L21 59ZL21 59Q30 86 39 77ZM138 122L138 122ZM183 113C201 140 237 86 255 113L219 50Z');
  });

  it('writes every number as satori did: 20,000 random points, negative, huge and tiny', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 10 ** Math.floor(((seed >>> 8) % 16) - 2);
    const points = Array.from({ length: 20_000 }, (_, k) => (k % 3 ? L(random(), random()) : Q(random(), random(), random(), random())));
    // Past where integers stop being exact (1e15 tenths) and where JavaScript writes exponents (1e21).
    points.push(L(1.5e14, -2.5e15), L(3e22, -4.5e21), Q(-7e25, 1e-7, 9.99e20, 2.5e16));
    const before = outlineWriter(real)([M(0.05, -0.05), ...points, Z], 1.25, 3.5, 0.75);
    const after = outlineWriter(readFileSync(`${outDir}/standalone.js`, 'utf8'))([M(0.05, -0.05), ...points, Z], 1.25, 3.5, 0.75);
    // satori's output less its lines to the point just written (tiny numbers round to the same point).
    let end = '';
    let last = '';
    const kept = (before.match(/[MLQCZ][^MLQCZ]*/g) ?? []).filter((c) => {
      const point = c.slice(1).split(' ').slice(-2).join(' ');
      const drop = c[0] === 'L' && last !== 'M' && last !== 'Z' && point === end;
      if (!drop) [end, last] = [c[0] === 'Z' ? '' : point, c[0]!];
      return !drop;
    });
    expect(kept.length).toBeLessThan(before.match(/[MLQCZ]/g)!.length);
    expect(after).toBe(kept.join(''));
    expect(before).toMatch(/e\+/); // some numbers past 1e21, written by JavaScript's rules
  });

  it('draws the same pixels, filled and stroked with round, square and miter ends', async () => {
    await initWasm(readFileSync(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm')));
    const before = outlineWriter(real)(commands, 3, 140, 0.9);
    const after = outlineWriter(readFileSync(`${outDir}/standalone.js`, 'utf8'))(commands, 3, 140, 0.9);
    expect(after.length).toBeLessThan(before.length);
    for (const paint of ['fill="#111"', 'fill="none" stroke="#111" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"', 'fill="#c00" stroke="#111" stroke-width="5" stroke-linecap="square"', 'fill="none" stroke="#111" stroke-width="4" stroke-linejoin="miter"']) {
      const draw = (d: string) => new Resvg(`<svg width="300" height="160" xmlns="http://www.w3.org/2000/svg"><path ${paint} d="${d}"/></svg>`).render().pixels;
      expect(Buffer.from(draw(after)).equals(Buffer.from(draw(before))), paint).toBe(true);
    }
  });
});
