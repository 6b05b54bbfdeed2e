#!/usr/bin/env node
// Builds the route registry from routes/: the image files of a Next.js app
// directory (`blog/[slug]/opengraph-image.tsx`, `icon.png`, …) and the older
// one-file segments (`routes/<segment>.tsx`). Runs before every build
// (wrangler's [build] command), in dev (wrangler watches routes/) and in tests
// (vitest.config.ts). `--strict` (npm run deploy) fails on a broken route.
//
// The registry is generated code rather than a runtime directory scan because
// a Worker has no file system: the bundler has to see static imports. What a
// module reads the Node way (readFile of a literal path) or the edge way
// (fetch(new URL('./x', import.meta.url))) is found here and bundled too.
//
// Each module is bundled from a copy under .routes/ in which `import.meta.url`,
// `__dirname` and `__filename` are the module's own path from the project root
// (file:///routes/blog/opengraph-image.tsx): one bundle has one
// import.meta.url, and two routes may each have their own `./Inter-Bold.ttf`.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MODULE_EXT = /\.(tsx|ts|jsx|js|mjs)$/;
/** Segment names are URL path parts: keep them plain so they need no escaping. */
export const SEGMENT_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Where the transformed copies of route modules go (ignored by git). */
const COPIES = '.routes';

/**
 * Next.js's image file conventions (lib/metadata/is-metadata-route.ts): the
 * name gives the kind, a digit may follow (icon1.png), and each kind has its
 * static extensions. Module files (.tsx, .ts, .jsx, .js) are dynamic.
 */
const KINDS = {
  icon: ['ico', 'jpg', 'jpeg', 'png', 'svg'],
  'apple-icon': ['jpg', 'jpeg', 'png'],
  'opengraph-image': ['jpg', 'jpeg', 'png', 'gif'],
  'twitter-image': ['jpg', 'jpeg', 'png', 'gif'],
};
const IMAGE_FILE = /^(icon|apple-icon|opengraph-image|twitter-image)(\d?)\.([a-z]+)$/;
const DYNAMIC_EXT = ['tsx', 'ts', 'jsx', 'js'];
const MIME = { ico: 'image/x-icon', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', svg: 'image/svg+xml', gif: 'image/gif' };
/** A folder with one of these is a page even without image files of its own. */
const PAGE_FILE = /^page\.(tsx|ts|jsx|js|mdx|md)$/;

/** Module names the Worker answers with its own shims (wrangler.toml [alias]). */
export const SHIMS = {
  'next/og': 'src/pages/next/og.ts',
  'next/server': 'src/pages/next/server.ts',
  'next/navigation': 'src/pages/next/navigation.ts',
  '@vercel/og': 'src/pages/next/og.ts',
  fs: 'src/pages/next/fs.ts',
  'node:fs': 'src/pages/next/fs.ts',
  'fs/promises': 'src/pages/next/fs-promises.ts',
  'node:fs/promises': 'src/pages/next/fs-promises.ts',
  path: 'src/pages/next/path.ts',
  'node:path': 'src/pages/next/path.ts',
  url: 'src/pages/next/url.ts',
  'node:url': 'src/pages/next/url.ts',
};

const posixPath = (p) => p.split(sep).join('/');
const fromRoot = (file) => posixPath(relative(ROOT, file));

/** Every file below `dir`, sorted. */
function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

function hashFiles(files) {
  const h = createHash('sha256');
  for (const f of files) h.update(fromRoot(f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('base64url').slice(0, 10);
}

// ---------------------------------------------------------------------------
// Literal file paths a module reads.

/** Splits a call's argument text at its top-level commas. */
function splitArgs(text) {
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter(Boolean);
}

/** The text inside the parentheses that open at `open`, or undefined. */
function callArgs(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return undefined;
}

const LITERAL = /^(['"`])([^'"`$]*)\1$/;
/** Expressions that name the project root or the module's own folder, as the copy sees them. */
const ROOT_EXPR = /^process\.cwd\(\)$/;
const DIR_EXPR = /^(__dirname|import\.meta\.dirname|(?:path\.)?dirname\(\s*(?:(?:url\.)?fileURLToPath\(\s*import\.meta\.url\s*\)|__filename)\s*\))$/;

/**
 * The absolute file a path expression names, when every part is a literal or
 * names the root or the module's folder: `join(process.cwd(), 'assets', 'x.ttf')`,
 * `resolve(__dirname, '../x.png')`, `new URL('./x.ttf', import.meta.url)`,
 * `'./public/x.png'` (relative to the root, as Node reads it).
 */
function evalPath(expr, dir) {
  expr = expr.trim();
  const lit = LITERAL.exec(expr);
  if (lit) return resolve(ROOT, lit[2]);
  const url = /^new\s+URL\(\s*(['"`])([^'"`$]+)\1\s*,\s*import\.meta\.url\s*\)$/.exec(expr);
  if (url) return resolve(dir, url[2]);
  const call = /^(?:path\.)?(join|resolve)\(/.exec(expr);
  if (!call) return undefined;
  const args = callArgs(expr, call[0].length - 1);
  if (args === undefined) return undefined;
  const parts = [];
  for (const [i, arg] of splitArgs(args).entries()) {
    if (i === 0 && ROOT_EXPR.test(arg)) parts.push(ROOT);
    else if (i === 0 && DIR_EXPR.test(arg)) parts.push(dir);
    else {
      const m = LITERAL.exec(arg);
      if (!m) return undefined;
      parts.push(m[2]);
    }
  }
  return call[1] === 'join' && parts[0] !== ROOT && parts[0] !== dir ? undefined : resolve(ROOT, ...parts);
}

/** What the bundle can carry as bytes (wrangler.toml's Data rule): fonts and images. */
const ASSET_EXT = /\.(ttf|otf|woff2?|png|jpe?g|gif|svg|webp|ico)$/i;
const READS = /\b(?:readFileSync|readFile|fetch|existsSync)\s*\(/g;
const URLS = /new\s+URL\(\s*(['"`])(\.{1,2}\/[^'"`$]+)\1\s*,\s*import\.meta\.url\s*\)/g;
const JOINS = /\b(?:path\.)?(?:join|resolve)\(/g;

/**
 * Files a module reads with literal paths, the Node way or the edge way:
 * every `readFile(…)`/`fetch(…)`/`join(…)`/`new URL(…, import.meta.url)`
 * whose path can be worked out here and names an existing file. (Paths built
 * at run time from data cannot be known and are not bundled.)
 */
export function scanAssets(file) {
  const text = readFileSync(file, 'utf8');
  const dir = dirname(file);
  const found = new Set();
  const add = (p) => {
    if (p && p.startsWith(ROOT + sep) && ASSET_EXT.test(p) && existsSync(p) && statSync(p).isFile()) found.add(p);
  };
  for (const m of text.matchAll(URLS)) add(resolve(dir, m[2]));
  for (const re of [READS, JOINS]) {
    for (const m of text.matchAll(re)) {
      const open = m.index + m[0].length - 1;
      const args = callArgs(text, open);
      if (args === undefined) continue;
      if (re === JOINS) add(evalPath(text.slice(m.index, open + args.length + 2), dir));
      else add(evalPath(splitArgs(args)[0] ?? '', dir));
    }
  }
  return [...found].sort();
}

// ---------------------------------------------------------------------------
// Image sizes of static files, as Next.js reads them (image-size): only the
// headers are needed, so a few lines per format instead of a dependency.

export function imageSize(bytes, ext) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ext === 'png' && bytes.length >= 24) return { width: view.getUint32(16), height: view.getUint32(20) };
  if (ext === 'gif' && bytes.length >= 10) return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  if (ext === 'ico' && bytes.length >= 8) return { width: bytes[6] || 256, height: bytes[7] || 256 };
  if (ext === 'jpg' || ext === 'jpeg') {
    // Walk the markers to the first start-of-frame.
    for (let i = 2; i + 9 < bytes.length; ) {
      if (bytes[i] !== 0xff) return {};
      const marker = bytes[i + 1];
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { width: view.getUint16(i + 7), height: view.getUint16(i + 5) };
      }
      i += 2 + view.getUint16(i + 2);
    }
  }
  return {};
}

// ---------------------------------------------------------------------------
// The tree.

/** What a folder name adds to the URL: nothing for `(group)`, else a static or dynamic part. */
export function urlPart(name) {
  if (/^\(.*\)$/.test(name)) return undefined;
  let m = /^\[\[\.\.\.([\w-]+)\]\]$/.exec(name);
  if (m) return { param: m[1], type: 'optional' };
  m = /^\[\.\.\.([\w-]+)\]$/.exec(name);
  if (m) return { param: m[1], type: 'catchall' };
  m = /^\[([\w-]+)\]$/.exec(name);
  if (m) return { param: m[1], type: 'dynamic' };
  return { static: name };
}

/** A pattern's shape for duplicate checks: `blog/[]/[...]`. */
const shape = (parts) => parts.map((p) => p.static ?? (p.type === 'dynamic' ? '[]' : p.type === 'catchall' ? '[...]' : '[[...]]')).join('/');

/**
 * Scans `dir`: the image files of the app-directory layout, the page folders,
 * and the one-file segments at its top. Names starting with `_` or `.` are
 * private (helpers), `@slot` and `(.)intercepting` folders are skipped, and
 * so are tests.
 */
export function scanRoutes(dir) {
  const routes = [];
  const pages = [];
  const modules = [];
  if (!existsSync(dir)) return { routes, pages, modules };
  const visit = (abs, folder) => {
    const entries = readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    let isPage = false;
    for (const e of entries) {
      const path = join(abs, e.name);
      if (e.isDirectory()) {
        if (/^[_.]/.test(e.name)) {
          modules.push(...walk(path).filter((f) => MODULE_EXT.test(f) && !/\.d\.ts$/.test(f)));
          continue;
        }
        if (/^@|^\(\.+\)/.test(e.name)) continue;
        visit(path, [...folder, e.name]);
        continue;
      }
      if (/\.(test|spec)\.|\.d\.ts$/.test(e.name) || /^\./.test(e.name)) continue;
      if (MODULE_EXT.test(e.name)) modules.push(path);
      if (PAGE_FILE.test(e.name)) isPage = true;
      if (/^_/.test(e.name)) continue;
      const m = IMAGE_FILE.exec(e.name);
      if (folder.length === 0 && MODULE_EXT.test(e.name)) {
        // The top of routes/: one file, one segment (the layout before app folders).
        const segment = e.name.replace(MODULE_EXT, '');
        if (!SEGMENT_NAME.test(segment)) {
          throw new Error(`routes: "${e.name}" is not a valid segment name (want ${SEGMENT_NAME})`);
        }
        routes.push({ file: path, folder: [segment, '[slug]'], name: 'opengraph-image', kind: 'opengraph-image', legacy: segment });
        continue;
      }
      if (!m) continue;
      const [, kind, digit, ext] = m;
      const dynamic = DYNAMIC_EXT.includes(ext);
      if (!dynamic && !KINDS[kind].includes(ext)) continue;
      const name = kind + digit;
      const twin = routes.find((r) => r.name === name && r.folder.join('/') === folder.join('/') && !r.legacy);
      if (twin) throw new Error(`routes: ${fromRoot(twin.file)} and ${fromRoot(path)} are the same image; keep one`);
      const route = { file: path, folder, name, kind, ...(dynamic ? {} : { ext }) };
      if (!dynamic && (kind === 'opengraph-image' || kind === 'twitter-image')) {
        const alt = join(abs, `${name}.alt.txt`);
        if (existsSync(alt)) route.altFile = alt;
      }
      routes.push(route);
      isPage = true;
    }
    if (isPage && folder.length > 0) pages.push(folder);
  };
  visit(dir, []);
  if (routes.some((r) => !r.legacy && r.folder.length === 0)) pages.unshift([]);

  // Two folders that answer the same path are an error in Next.js as well.
  const seen = new Map();
  for (const folder of pages) {
    const key = shape(folder.map(urlPart).filter(Boolean));
    const other = seen.get(key);
    if (other) throw new Error(`routes: ${other} and ${folder.join('/')} answer the same path /${key}`);
    seen.set(key, folder.join('/'));
  }
  for (const r of routes.filter((r) => r.legacy)) {
    const key = shape(r.folder.map(urlPart));
    if (seen.has(key)) throw new Error(`routes: ${r.legacy}.tsx and the folder ${seen.get(key)} answer the same path /${key}`);
    seen.set(key, r.legacy);
  }
  return { routes, pages, modules: [...new Set(modules)].sort() };
}

// ---------------------------------------------------------------------------
// Copies: each module with its own import.meta.url, and relative imports that
// leave the routes folder pointed back at their targets.

const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"]*)\2/g;

/** Where a module's copy goes: under .routes/ by its path from the root (or from its routes folder's parent, outside the root). */
function copyPath(file, dir) {
  const base = fromRoot(file).startsWith('..') ? join(dirname(dir), COPIES) : join(ROOT, COPIES);
  const rel = relative(base === join(ROOT, COPIES) ? ROOT : dirname(dir), file);
  // An image route in .js may hold JSX (Next.js allows it); its copy says so.
  return join(base, IMAGE_FILE.test(basename(file)) ? rel.replace(/\.js$/, '.jsx') : rel);
}

function copyModule(file, dir) {
  const rel = fromRoot(file);
  const copy = copyPath(file, dir);
  let text = readFileSync(file, 'utf8');
  text = text.replace(SPECIFIER, (all, head, q, spec) => {
    const target = resolve(dirname(file), spec);
    if (target === dir || target.startsWith(dir + sep)) return all;
    let p = posixPath(relative(dirname(copy), target));
    if (!p.startsWith('.')) p = `./${p}`;
    return `${head}${q}${p}${q}`;
  });
  text = text
    .replace(/\bimport\.meta\.url\b/g, JSON.stringify(`file:///${rel}`))
    .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(`/${posix.dirname(rel)}`))
    .replace(/(?<![.\w$])__dirname\b/g, JSON.stringify(`/${posix.dirname(rel)}`))
    .replace(/(?<![.\w$])__filename\b/g, JSON.stringify(`/${rel}`));
  mkdirSync(dirname(copy), { recursive: true });
  if (!existsSync(copy) || readFileSync(copy, 'utf8') !== text) writeFileSync(copy, text);
  return copy;
}

/**
 * Packages are left out of the check's bundle (the Worker's bundler reads
 * them), but each must resolve: a missing one is the commonest break. A bare
 * name that tsconfig `paths` maps to a local file (`@/lib/x`) is followed.
 */
const packagesChecked = {
  name: 'packages-checked',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'checked' || args.path in SHIMS) return undefined;
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'checked' });
      if (found.errors.length > 0) return { errors: found.errors };
      return found.path.includes(`${sep}node_modules${sep}`) ? { path: args.path, external: true } : found;
    });
  },
};

/**
 * Bundles one route module the way the Worker will (packages left out) to
 * learn, before anything is deployed, whether every import resolves, and
 * which local files it is made of (for its code version).
 */
async function check(file) {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    format: 'esm',
    platform: 'neutral',
    absWorkingDir: ROOT,
    external: Object.keys(SHIMS),
    plugins: [packagesChecked],
    // As wrangler bundles: JSX in .js files too, as Next.js allows.
    loader: Object.fromEntries(['.js', '.mjs'].map((e) => [e, 'jsx']).concat(['.ttf', '.otf', '.woff', '.woff2', '.png', '.jpg', '.jpeg', '.gif', '.svg', '.ico', '.wasm', '.css'].map((e) => [e, 'empty']))),
  });
  return Object.keys(result.metafile.inputs).map((f) => resolve(ROOT, f));
}

/** esbuild's error, as one line naming the import that failed. */
function buildFault(e) {
  const first = e?.errors?.[0];
  if (!first) return e instanceof Error ? e.message : String(e);
  const where = first.location ? `${first.location.file}:${first.location.line}: ` : '';
  return `${where}${first.text}`;
}

/**
 * Writes the registry module for `dir` to `out`. Each image file carries a
 * code version (its own module and the local files it imports or reads, and
 * the service's source) that versions its image URLs: changing one route's
 * code gives its images new URLs, while other routes keep theirs. The
 * service's source includes what else draws: the build scripts behind the
 * fonts and emoji shipped (assets.mjs) and the satori patch (satori.mjs),
 * and public/, whose files any card may show by path (a new logo must reach
 * every card, not only those not yet cached).
 */
const SERVICE = ['src', 'package-lock.json', 'scripts/assets.mjs', 'scripts/satori.mjs', 'scripts/wasm.mjs', 'scripts/bulk-memory.mjs', 'scripts/resvg-wasm.mjs', 'scripts/leb128.mjs', 'public'].map((p) => join(ROOT, p));

export async function generateRegistry({ dir, out, service = SERVICE, strict = false, log = () => {} }) {
  const absDir = resolve(ROOT, dir);
  // Plain JS with a declaration beside it: the type-checker reads only the
  // declaration, so it never checks the copies under .routes/ (tsconfig.routes.json
  // checks the originals, with React's JSX types).
  const absOut = resolve(ROOT, out).replace(/\.ts$/, '.js');
  const { routes, pages, modules } = scanRoutes(absDir);
  const serviceFiles = service
    .flatMap((p) => (!existsSync(p) ? [] : statSync(p).isFile() ? [p] : walk(p)))
    .filter((f) => !f.includes(`${sep}generated${sep}`));
  const base = hashFiles(serviceFiles);

  const copyOf = new Map();
  for (const m of modules) copyOf.set(m, copyModule(m, absDir));
  // Copies of files since removed or renamed would linger: remove them.
  const copies = new Set(copyOf.values());
  for (const f of walk(dirname(copyPath(join(absDir, '_'), absDir)))) if (!copies.has(f)) rmSync(f);

  const importPath = (file) => {
    let p = posixPath(relative(dirname(absOut), file));
    if (!p.startsWith('.')) p = `./${p}`;
    return p;
  };
  const assetsOf = new Map();
  const broken = [];
  const versionOf = new Map();
  for (const r of routes) {
    if (r.ext) {
      versionOf.set(r, hashFiles([r.file, ...(r.altFile ? [r.altFile] : [])]) + base);
      continue;
    }
    let inputs;
    try {
      inputs = await check(r.file);
    } catch (e) {
      r.broken = buildFault(e);
      broken.push(r);
      versionOf.set(r, hashFiles([r.file]) + base);
      continue;
    }
    const local = inputs.filter((f) => !f.includes(`${sep}node_modules${sep}`) && existsSync(f));
    const reads = [...new Set(local.filter((f) => MODULE_EXT.test(f)).flatMap((f) => scanAssets(f)))].sort();
    assetsOf.set(r, reads);
    versionOf.set(r, hashFiles([...local, ...reads]) + base);
  }
  for (const r of broken) log(`routes: ${fromRoot(r.file)} is broken, its pages answer 500: ${r.broken}`);
  if (strict && broken.length) {
    throw new Error(`routes: ${broken.length} broken route file(s), not deploying:\n${broken.map((r) => `  ${fromRoot(r.file)}: ${r.broken}`).join('\n')}`);
  }

  const statics = routes.filter((r) => r.ext);
  const assetFiles = [...new Set([...assetsOf.values()].flat())].sort();
  const lines = [
    `// Generated by scripts/routes.mjs from ${fromRoot(absDir)}/. Do not edit.`,
    ...assetFiles.map((f, i) => `import a${i} from '${importPath(f)}';`),
    ...statics.map((r, i) => `import s${i} from '${importPath(r.file)}';`),
    '',
    'export const registry = {',
    '  files: [',
    ...routes.map((r) => {
      const fields = [
        `file: ${JSON.stringify(fromRoot(r.file))}`,
        `folder: ${JSON.stringify(r.folder)}`,
        `name: ${JSON.stringify(r.name)}`,
        `kind: ${JSON.stringify(r.kind)}`,
        ...(r.legacy ? [`legacy: ${JSON.stringify(r.legacy)}`] : []),
        `codeVersion: '${versionOf.get(r)}'`,
      ];
      if (r.broken) fields.push(`broken: ${JSON.stringify(r.broken)}`);
      else if (r.ext) {
        const bytes = readFileSync(r.file);
        const size = imageSize(bytes, r.ext);
        const data = {
          contentType: MIME[r.ext],
          ...(size.width && size.height ? { size } : {}),
          ...(r.altFile ? { alt: readFileSync(r.altFile, 'utf8') } : {}),
        };
        fields.push(`static: { bytes: s${statics.indexOf(r)}, ...${JSON.stringify(data)} }`);
      } else fields.push(`load: () => import('${importPath(copyOf.get(r.file))}')`);
      return `    { ${fields.join(', ')} },`;
    }),
    '  ],',
    `  pages: ${JSON.stringify(pages)},`,
    '};',
    '',
    '/** Files the modules read by a literal path, by path from the project root. */',
    'export const assets = {',
    ...assetFiles.map((f, i) => `  '${fromRoot(f)}': a${i},`),
    '};',
    '',
  ];
  const text = lines.join('\n');
  mkdirSync(dirname(absOut), { recursive: true });
  // Write only on change, so a watcher does not rebuild for nothing.
  if (!existsSync(absOut) || readFileSync(absOut, 'utf8') !== text) writeFileSync(absOut, text);
  const types = [
    `import type { Registry } from '${importPath(join(ROOT, 'src/types.ts')).replace(/\.ts$/, '')}';`,
    'export const registry: Registry;',
    'export const assets: Record<string, ArrayBuffer>;',
    '',
  ].join('\n');
  const dts = absOut.replace(/\.js$/, '.d.ts');
  if (!existsSync(dts) || readFileSync(dts, 'utf8') !== types) writeFileSync(dts, types);
  rmSync(absOut.replace(/\.js$/, '.ts'), { force: true });
  return { routes, pages, broken };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const strict = args.includes('--strict');
  const [dir = 'routes', out = 'generated/routes.ts'] = args.filter((a) => !a.startsWith('--'));
  try {
    const { routes } = await generateRegistry({ dir, out, strict, log: (line) => console.error(line) });
    const names = routes.map((r) => r.legacy ?? posixPath(relative(resolve(ROOT, dir), r.file)));
    console.log(`routes: ${names.join(', ') || '(none)'} -> ${out.replace(/\.ts$/, '.js')}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
