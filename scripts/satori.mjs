#!/usr/bin/env node
// Build-time patch of satori/dist/standalone.js so satori's HarfBuzz runs in
// workerd, where compiling wasm from bytes at run time is forbidden.
//
//   node scripts/satori.mjs [outDir]      (default: .satori, ignored by git)
//
// Runs before every build and dev reload (wrangler.toml [build]) and before
// the tests (vitest.config.ts). It skips the work when satori and this script
// are unchanged since the last run (a stamp file in outDir).
//
// Writes outDir/standalone.js (patched), outDir/harfbuzz.wasm (the HarfBuzz
// binary that satori embeds as base64) and outDir/harfbuzz-trampolines.wasm
// (the tiny modules Emscripten's addFunction would otherwise compile at run
// time). The Worker points `satori/standalone` at outDir/standalone.js
// (wrangler [alias], vite resolve.alias); node_modules is never touched.
//
// Every pattern below must be found exactly once, or the script throws: a
// satori release whose bundled glue changed shape stops the build rather than
// shipping a Worker that fails at request time.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { uleb } from './leb128.mjs';

const TESTED_VERSIONS = ['0.63.2'];
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUTS = ['standalone.js', 'harfbuzz.wasm', 'harfbuzz-trampolines.wasm'];
/** HarfBuzz binaries already validated and compiled in this process. */
const checkedWasm = new Set();
const ID = '[A-Za-z_$][\\w$]*'; // a (minified) JS identifier
// Patterns that open with an identifier start only where one can start:
// without this, the regex engine retries inside every run of the 500 KB
// base64 literal and a single search takes seconds.
const AT_ID = '(?<![\\w$])';

class SatoriTransformError extends Error {
  constructor(message) {
    super(
      `[satori transform] ${message}\n` +
        `  The bundled HarfBuzz/Emscripten glue in satori/dist/standalone.js no longer matches ` +
        `what this transform expects (tested: satori ${TESTED_VERSIONS.join(', ')}). ` +
        `Re-inspect the glue and update the patterns before upgrading satori.`,
    );
    this.name = 'SatoriTransformError';
  }
}

/** Finds `re` exactly once in `src` (the whole file); returns the match. */
function findOnce(src, re, what) {
  const flags = re.flags.includes('g') ? re.flags : re.flags + 'g';
  const all = [...src.matchAll(new RegExp(re.source, flags))];
  if (all.length !== 1) throw new SatoriTransformError(`${what}: expected exactly 1 match of ${re}, found ${all.length}.`);
  return all[0];
}

/** Counts plain-string occurrences. */
const count = (src, s) => src.split(s).length - 1;

/**
 * A regexp for minified code written as a template: `@name` stands for an
 * identifier, captured as group `name` where it first appears and required
 * to be the same identifier wherever it appears again.
 */
function templateRegExp(template) {
  const seen = new Set();
  return new RegExp(
    template
      .split(/(@\w+)/)
      .map((part) => {
        if (!part.startsWith('@')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const name = part.slice(1);
        if (seen.has(name)) return `\\k<${name}>`;
        seen.add(name);
        return `${AT_ID}(?<${name}>${ID})`;
      })
      .join(''),
  );
}

/** (8) satori's glyph outline writer (opentype.js commands → path data), as satori 0.63 has it. */
const PATH_WRITER =
  'function @fn(@A,@g,@e,@I,@t=0){let @Q=(@i,@n)=>@oa(@g+(@i+@t*@n)*@I),@B=@i=>@oa(@e-@i*@I),@C="";' +
  'for(let @i of @A)switch(@i.type){case"M":case"L":@C+=`${@i.type}${@Q(@i.x,@i.y)} ${@B(@i.y)}`;break;' +
  'case"Q":@C+=`Q${@Q(@i.x1,@i.y1)} ${@B(@i.y1)} ${@Q(@i.x,@i.y)} ${@B(@i.y)}`;break;' +
  'case"C":@C+=`C${@Q(@i.x1,@i.y1)} ${@B(@i.y1)} ${@Q(@i.x2,@i.y2)} ${@B(@i.y2)} ${@Q(@i.x,@i.y)} ${@B(@i.y)}`;break;' +
  'case"Z":@C+="Z";break}return @C}';

// ---------------------------------------------------------------------------
// Precompiled addFunction trampolines.
//
// Emscripten's addFunction(jsFn, sig) first tries table.set(i, jsFn); V8 only
// accepts wasm functions there, so it falls back to compiling a 1-import,
// 1-export module for `sig` with `new WebAssembly.Module(bytes)` — forbidden
// in workerd. We emit one module at build time with one import/export pair per
// signature the harfbuzzjs wrapper uses (imports e.f<i>, exports f<i>, type i
// = sig i); at run time each addFunction instantiates it (allowed: it is
// already compiled) with the JS function bound to every import and returns
// export f<i>, exactly what the glue would have built.
const TYPE_CODES = { i: 0x7f, p: 0x7f, j: 0x7e, f: 0x7d, d: 0x7c, e: 0x6f }; // wasm32, as the glue's map
const vec = (items) => [...uleb(items.length), ...items.flat()];
const str = (s) => vec([...Buffer.from(s, 'utf8')].map((b) => [b]));
const section = (id, body) => [id, ...uleb(body.length), ...body];

export function trampolineModuleBytes(sigs) {
  const types = sigs.map((sig) => {
    const code = (c) => {
      const t = TYPE_CODES[c];
      if (t === undefined) throw new SatoriTransformError(`unknown signature char "${c}" in "${sig}"`);
      return [t];
    };
    const params = [...sig.slice(1)].map(code);
    const results = sig[0] === 'v' ? [] : [code(sig[0])];
    return [0x60, ...vec(params), ...vec(results)];
  });
  const imports = sigs.map((_, i) => [...str('e'), ...str(`f${i}`), 0x00, ...uleb(i)]);
  const exports = sigs.map((_, i) => [...str(`f${i}`), 0x00, ...uleb(i)]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(7, vec(exports)),
  ]);
}

// ---------------------------------------------------------------------------

/**
 * Patches satori/dist/standalone.js into `outDir`. Returns a summary.
 * @param {{ outDir?: string, root?: string, quiet?: boolean, source?: string }} [opts]
 *   `source` overrides the file's text (for testing the fail-loud checks).
 */
export function transformSatori({ outDir = '.satori', root = ROOT, quiet = false, source, skip = [] } = {}) {
  // `skip` (experiments only: SATORI_TRANSFORM_SKIP=3,4) leaves listed patches out, to show each is needed.
  skip = new Set(skip.map(String));
  const require = createRequire(join(resolve(root), 'package.json'));
  const pkgPath = require.resolve('satori/package.json');
  const version = JSON.parse(readFileSync(pkgPath, 'utf8')).version;
  const inFile = join(dirname(pkgPath), 'dist', 'standalone.js');
  let src = source ?? readFileSync(inFile, 'utf8');
  const inHash = createHash('sha256').update(src).digest('hex').slice(0, 16);
  const log = quiet ? () => {} : (m) => console.log(`[satori transform] ${m}`);
  // Unchanged input and unchanged transform: the outputs are already right.
  const out = resolve(root, outDir);
  const stamp = `${version} ${inHash} ${createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).update(readFileSync(fileURLToPath(new URL('./leb128.mjs', import.meta.url)))).digest('hex').slice(0, 16)}`;
  const stampFile = join(out, '.stamp');
  if (source === undefined && !skip.size && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp &&
      OUTPUTS.every((f) => existsSync(join(out, f)))) {
    return { version, outDir: out, cached: true };
  }
  if (!TESTED_VERSIONS.includes(version)) {
    console.warn(`[satori transform] warning: satori ${version} is untested (tested: ${TESTED_VERSIONS}); patterns decide.`);
  }

  // --- Guards: facts the patches rely on, asserted but not rewritten. -------
  // (g1) exactly one embedded wasm binary (base64 of "\0asm" starts "AGFzbQ").
  const b64count = count(src, '"AGFzbQ');
  if (b64count !== 1) throw new SatoriTransformError(`expected 1 base64 wasm literal ("AGFzbQ…), found ${b64count}.`);
  // (g2) the glue honours Module.instantiateWasm (our way to hand it a Module).
  findOnce(src, new RegExp(`if\\(${ID}\\.instantiateWasm\\)return new Promise\\(`), 'glue instantiateWasm hook');
  // (g3) the glue's wasm type map is the wasm32 one our trampolines use.
  findOnce(src, new RegExp(`${AT_ID}${ID}=\\{i:127,p:127,j:126,f:125,d:124,e:111\\}`), 'glue signature type map');
  // (g4) addFunction tries table.set first and only compiles on TypeError.
  findOnce(src, /if\(!\([\w$]+ instanceof TypeError\)\)throw [\w$]+;var [\w$]+=[\w$]+\([\w$]+,[\w$]+\);/, 'addFunction TypeError fallback');
  // (g5) satori waits for HarfBuzz through `await X.default` (so a thenable works).
  findOnce(src, new RegExp(`${AT_ID}${ID}=await ${ID}\\.default,!${ID}\\|\\|typeof ${ID}\\.createBlob!="function"`), 'satori HarfBuzz await');

  // --- (1) Extract the embedded HarfBuzz wasm. -------------------------------
  const m1 = findOnce(
    src,
    new RegExp(
      `(${ID})="(AGFzbQ[A-Za-z0-9+/=]+)",(${ID})=typeof Buffer=="function"\\?new Uint8Array\\(Buffer\\.from\\(\\1,"base64"\\)\\):` +
        `Uint8Array\\.from\\(atob\\(\\1\\),(${ID})=>\\4\\.charCodeAt\\(0\\)\\)`,
    ),
    '(1) embedded HarfBuzz wasm (base64 + decoder)',
  );
  const hbBytes = Buffer.from(m1[2], 'base64');
  const hbHash = createHash('sha256').update(hbBytes).digest('hex');
  if (!checkedWasm.has(hbHash)) {
    // Compiling 380 KB of wasm takes seconds: done once per binary per process.
    if (!WebAssembly.validate(hbBytes)) throw new SatoriTransformError('(1) the extracted base64 is not a valid wasm module.');
    const hbExports = WebAssembly.Module.exports(new WebAssembly.Module(hbBytes)).map((e) => e.name);
    for (const need of ['memory', '__indirect_function_table', 'malloc', 'free', 'hb_shape', 'hb_font_draw_glyph']) {
      if (!hbExports.includes(need)) throw new SatoriTransformError(`(1) extracted wasm lacks export "${need}"; is it still HarfBuzz?`);
    }
    checkedWasm.add(hbHash);
  }
  src = src.replace(m1[0], () => `${m1[1]}="",${m1[3]}=null`);

  // --- (2) self.location.href, read at factory start (undefined in workerd). --
  const m2 = findOnce(src, new RegExp(`(${ID})&&\\((${ID})=self\\.location\\.href\\)`), '(2) self.location.href');
  if (!skip.has('2')) src = src.replace(m2[0], () => `${m2[1]}&&(${m2[2]}=globalThis.location?.href)`);

  // --- (3) Module-scope `exports = new Promise(factory().then(wrap))` runs the
  // whole Emscripten start-up when satori is imported. Make it a lazy thenable
  // that starts on first `await` with instantiateWasm → our imported Module.
  const m3 = findOnce(
    src,
    new RegExp(
      `(${ID})\\.exports=new Promise\\(function\\((${ID}),(${ID})\\)\\{(${ID})\\(\\)\\.then\\((${ID})=>\\{\\2\\((${ID})\\(\\5\\)\\)\\},\\3\\)\\}\\)`,
    ),
    '(3) harfbuzzjs eager start-up promise',
  );
  if (!skip.has('3')) src = src.replace(m3[0], () => `${m3[1]}.exports=__satoriWorkerdHarfBuzz(${m3[4]},${m3[6]})`);

  // --- (4) addFunction's run-time wasm compile → precompiled trampolines. -----
  const m4 = findOnce(
    src,
    new RegExp(
      `(${ID})=\\((${ID}),(${ID})\\)=>\\{var (${ID})=Uint8Array\\.of\\(0,97,115,109,1,0,0,0,1,[^;]*?,2,7,1,1,101,1,102,0,0,7,5,1,1,102,0,0\\),` +
        `(${ID})=new WebAssembly\\.Module\\(\\4\\),(${ID})=new WebAssembly\\.Instance\\(\\5,\\{e:\\{f:\\2\\}\\}\\),(${ID})=\\6\\.exports\\.f;return \\7\\}`,
    ),
    '(4) addFunction run-time wasm compile',
  );
  if (!skip.has('4')) src = src.replace(m4[0], () => `${m4[1]}=(${m4[2]},${m4[3]})=>__satoriWorkerdTrampoline(${m4[2]},${m4[3]})`);

  // Signatures: every addFunction(fn, "sig") in the harfbuzzjs wrapper.
  const wrap = findOnce(
    src,
    new RegExp(`function (${ID})\\((${ID})\\)\\{"use strict";var ${ID}=\\2\\.wasmExports[^]*?let (${ID})=\\2\\.addFunction,`),
    'harfbuzzjs wrapper (addFunction alias)',
  );
  const wrapEnd = src.indexOf(`.exports=${wrap[1]}`, wrap.index);
  if (wrapEnd < 0) throw new SatoriTransformError('harfbuzzjs wrapper end not found.');
  const body = src.slice(wrap.index, wrapEnd);
  const sigs = [...new Set([...body.matchAll(/,"([vipjfde][ipjfde]*)"\)/g)].map((x) => x[1]))].sort();
  const addFnCalls = [...body.matchAll(new RegExp(`[^\\w$.]${wrap[3].replace('$', '\\$')}\\(`, 'g'))].length;
  if (!sigs.includes('vi') || sigs.length < 5 || addFnCalls < sigs.length) {
    throw new SatoriTransformError(`addFunction signatures look wrong: ${sigs} (${addFnCalls} calls).`);
  }
  const trampBytes = trampolineModuleBytes(sigs);
  new WebAssembly.Module(trampBytes); // throws if malformed

  // --- (6) satori's image loader takes data: URLs only. ----------------------
  // satori fetches any `<img src>`, `<image href>` or CSS url() that starts
  // with "http" itself, with no allowlist, time or size bound, and decodes
  // whatever bytes it is given. src/render/images.ts inlines every image a
  // card names as a checked data: URL first; this guard makes a spelling it
  // missed fail the render instead of fetching. (g6) asserts the function is
  // the one that fetches.
  findOnce(src, /if\(!globalThis\.fetch\)throw new Error\("`fetch` is required to be polyfilled to load images\."\)/, '(6) image loader fetch');
  const m6 = findOnce(
    src,
    new RegExp(`async function (${ID})\\((${ID})\\)\\{if\\(!\\2\\)throw new Error\\("Image source is not provided\\."\\);`),
    '(6) image loader entry',
  );
  if (!skip.has('6')) {
    src = src.replace(m6[0], () => `async function ${m6[1]}(${m6[2]}){if(typeof ${m6[2]}!="string"||!${m6[2]}.startsWith("data:"))throw __satoriWorkerdImageRefused(${m6[2]});`);
  }

  // --- (7) satori's parsed fonts, readable by the service. --------------------
  // satori parses each font buffer once (a WeakMap on the buffer) and keeps
  // every glyph it draws on the parsed font for good: a Han glyph is ~18 KB
  // of path objects, so an isolate drawing many distinct characters grows
  // without bound. src/render/assets.ts weighs each font file by what its
  // parsed form and glyph cache really hold, and drops the file from its
  // budget when over; the WeakMap is exported (read-only use) for that.
  const m7 = findOnce(
    src,
    new RegExp(`if\\((${ID})\\.has\\((${ID})\\)\\)(${ID})=\\1\\.get\\(\\2\\);else\\{let ${ID}="buffer"in \\2\\?`),
    '(7) parsed-font cache lookup',
  );
  // satori also keeps the last 8 FontLoaders (by their fonts), which hold
  // parsed fonts: cleared with the budget's evictions so a dropped font goes.
  const m7b = findOnce(
    src,
    new RegExp(`${AT_ID}(${ID})=(${ID})\\.get\\(${ID}\\);if\\(!\\1\\)\\{if\\(\\1=new ${ID}\\(${ID},(${ID})=>${ID}\\.decodeWoff2\\(\\3\\)\\),\\2\\.size>=`),
    '(7) FontLoader cache',
  );
  const m7end = findOnce(src, new RegExp(`export\\{(${ID}) as default,(${ID}) as init\\};`), '(7) module exports');
  if (!skip.has('7')) {
    src = src.replace(m7end[0], () => `export{${m7end[1]} as default,${m7end[2]} as init,${m7[1]} as __parsedFonts,${m7b[2]} as __fontLoaders};`);
  }

  // --- (8) glyph outlines without zero-length lines, numbers written faster.
  // opentype.js closes each quadratic run of a TrueType contour with a line
  // to the point the curve just reached: a quarter of the segments of a CJK
  // title ("Q99.6 126.9 100 127.2L100 127.2Q…"), 17 % of its path data. They
  // draw nothing (a fill gets no edge from them; resvg's stroker skips a
  // degenerate line inside a contour), but satori formats them and resvg
  // parses them: ~0.8 ms of the intl card. satori's outline writer (g8:
  // exactly this function) leaves out a line to the point just written
  // inside a contour; a line right after M, or after Z, is kept. Its numbers
  // (rounded to tenths by satori's own rounding) are written from integers:
  // the same strings as JavaScript's for a double, in half the time (~15,000
  // a CJK card).
  const m8 = findOnce(src, templateRegExp(PATH_WRITER), '(8) glyph outline writer');
  if (!skip.has('8')) {
    const n = m8.groups;
    src = src.replace(
      m8[0],
      () =>
        `function __satoriTenths(v){let n=v<0?-Math.round(-v*10):Math.round(v*10);if(!(n<=1e15&&n>=-1e15))return""+n/10;let m=n<0?-n:n,d=m%10;return(n<0?"-":"")+(m-d)/10+(d?"."+d:"")}` +
        `function ${n.fn}(${n.A},${n.g},${n.e},${n.I},${n.t}=0){let ${n.Q}=(${n.i},${n.n})=>__satoriTenths(${n.g}+(${n.i}+${n.t}*${n.n})*${n.I}),${n.B}=${n.i}=>__satoriTenths(${n.e}-${n.i}*${n.I}),${n.C}="",__x,__y,__px,__py,__k="";` +
        `for(let ${n.i} of ${n.A}){switch(${n.i}.type){` +
        `case"M":case"L":__x=${n.Q}(${n.i}.x,${n.i}.y);__y=${n.B}(${n.i}.y);if(${n.i}.type==="L"&&__k!=="M"&&__x===__px&&__y===__py)continue;${n.C}+=${n.i}.type+__x+" "+__y;break;` +
        `case"Q":__x=${n.Q}(${n.i}.x,${n.i}.y);__y=${n.B}(${n.i}.y);${n.C}+="Q"+${n.Q}(${n.i}.x1,${n.i}.y1)+" "+${n.B}(${n.i}.y1)+" "+__x+" "+__y;break;` +
        `case"C":__x=${n.Q}(${n.i}.x,${n.i}.y);__y=${n.B}(${n.i}.y);${n.C}+="C"+${n.Q}(${n.i}.x1,${n.i}.y1)+" "+${n.B}(${n.i}.y1)+" "+${n.Q}(${n.i}.x2,${n.i}.y2)+" "+${n.B}(${n.i}.y2)+" "+__x+" "+__y;break;` +
        `case"Z":${n.C}+="Z";__px=__py=void 0;__k="Z";continue}__px=__x;__py=__y;__k=${n.i}.type}return ${n.C}}`,
    );
  }

  // --- (5) the source map no longer matches. ----------------------------------
  findOnce(src, /\/\/# sourceMappingURL=standalone\.js\.map/, '(5) sourceMappingURL');
  src = src.replace(/\/\/# sourceMappingURL=standalone\.js\.map/, '');

  // --- Post-conditions: nothing that compiles or fetches wasm at run time. ----
  for (const bad of ['new WebAssembly.Module(', 'AGFzbQ', 'self.location']) {
    if (src.includes(bad) && !skip.size) throw new SatoriTransformError(`post-check: output still contains "${bad}".`);
  }

  // The copy imports satori's dependencies by bare name, but it lives in
  // outDir, not in satori's folder: a dependency npm did not hoist (satori
  // pins fflate 0.7.3 while the project has another) would resolve to the
  // wrong copy. Such imports are pointed at satori's own copy, by the file
  // its package.json gives to \`import\`; the others must resolve the same.
  const fromOut = createRequire(join(out, 'standalone.js'));
  const fromSatori = createRequire(inFile);
  const rel = (file) => {
    const p = relative(out, file).split(sep).join('/');
    return p.startsWith('.') ? p : `./${p}`;
  };
  src = src.replace(/(\bfrom|\bimport)(\s*)"((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)"/g, (whole, kw, ws, dep) => {
    let a, b;
    try {
      a = fromOut.resolve(dep);
      b = fromSatori.resolve(dep);
    } catch (e) {
      throw new Error(`[satori transform] satori dependency "${dep}" does not resolve from ${out} (outDir must sit inside the project): ${e.message.split('\n')[0]}`);
    }
    if (a === b) return whole;
    let dir = dirname(b);
    while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== dep) {
      if (dirname(dir) === dir) throw new Error(`[satori transform] cannot find the package folder of "${dep}" from ${b}`);
      dir = dirname(dir);
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const dot = pkg.exports?.['.'] ?? pkg.exports;
    const entry = (typeof dot?.import === 'string' && dot.import) || (typeof dot === 'string' && dot) || pkg.module;
    if (!entry || !existsSync(join(dir, entry))) {
      throw new Error(`[satori transform] satori's own copy of "${dep}" (${dir}) has no ESM entry to point at.`);
    }
    return `${kw}${ws}"${rel(join(dir, entry))}"`;
  });

  const header = `// Patched for workerd by scripts/satori.mjs from satori ${version} dist/standalone.js (sha256 ${inHash}…). Do not edit.
import __satoriWorkerdHbModule from "./harfbuzz.wasm";
import __satoriWorkerdTrampolines from "./harfbuzz-trampolines.wasm";
const __satoriWorkerdSigs = ${JSON.stringify(sigs)};
function __satoriWorkerdTrampoline(fn, sig) {
  const i = __satoriWorkerdSigs.indexOf(sig);
  if (i < 0) throw new Error("[satori workerd patch] HarfBuzz addFunction signature \\"" + sig + "\\" has no precompiled trampoline; re-run scripts/satori.mjs");
  const e = {};
  for (let k = 0; k < __satoriWorkerdSigs.length; k++) e["f" + k] = fn;
  return new WebAssembly.Instance(__satoriWorkerdTrampolines, { e }).exports["f" + i];
}
function __satoriWorkerdImageRefused(src) {
  const name = typeof src === "string" ? JSON.stringify(src.slice(0, 100)) : Object.prototype.toString.call(src);
  return new Error("[og-edge] satori was asked to load the image " + name + " itself, which it may not do: " +
    "images reach satori only as data: URLs checked by src/render/images.ts, which missed this one (nothing was fetched)");
}
function __satoriWorkerdHarfBuzz(factory, wrap) {
  let started;
  const start = () =>
    factory({
      // Synchronous, so a failure throws inside the glue's Promise executor
      // and rejects (the glue gives instantiateWasm no error callback).
      instantiateWasm(imports, done) {
        done(new WebAssembly.Instance(__satoriWorkerdHbModule, imports), __satoriWorkerdHbModule);
        return {};
      },
    }).then(wrap);
  return {
    then(ok, fail) {
      started ??= start().catch((e) => { started = undefined; throw e; });
      return started.then(ok, fail);
    },
  };
}
`;

  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'standalone.js'), header + src);
  writeFileSync(join(out, 'harfbuzz.wasm'), hbBytes);
  writeFileSync(join(out, 'harfbuzz-trampolines.wasm'), trampBytes);

  if (source === undefined && !skip.size) writeFileSync(stampFile, stamp);
  const summary = { version, outDir: out, harfbuzzBytes: hbBytes.length, trampolineSigs: sigs, trampolineBytes: trampBytes.length };
  log(`satori ${version}: wrote ${out}/standalone.js, harfbuzz.wasm (${hbBytes.length} B), harfbuzz-trampolines.wasm (${sigs.length} sigs: ${sigs.join(' ')})`);
  return summary;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const skip = (process.env.SATORI_TRANSFORM_SKIP ?? '').split(',').filter(Boolean);
    if (skip.length) console.warn(`[satori transform] EXPERIMENT: skipping patches ${skip}`);
    transformSatori({ outDir: process.argv[2] ?? '.satori', skip });
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
