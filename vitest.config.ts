// Every test runs inside workerd through @cloudflare/vitest-pool-workers,
// with the bindings from wrangler.toml (D1) plus those a project adds.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { buildAssets } from './scripts/assets.mjs';
import { generateRegistry, SHIMS } from './scripts/routes.mjs';
import { transformSatori } from './scripts/satori.mjs';
import { buildWasm } from './scripts/wasm.mjs';
import { INJECT, origin } from './test/helpers/origin.ts';

// The same generator the build runs: routes/ for the Worker, and the test
// fixtures (modules in Next.js 14 and 16 styles, faulty ones) beside them.
await generateRegistry({ dir: 'routes', out: 'generated/routes.ts' });
await generateRegistry({ dir: 'test/fixtures/routes', out: 'test/generated/fixtures.ts' });
// Next.js image files copied with their folders (test/nextjs.test.ts).
await generateRegistry({ dir: 'test/fixtures/app', out: 'test/generated/app.ts' });
// The pool bundles with vite, not wrangler: wrangler.toml's [build] and
// [alias] do not apply here, so the same scripts run here and the patched
// satori is a vite alias. (It reads [assets] and serves it as ASSETS.)
buildAssets({ quiet: true });
transformSatori({ quiet: true });
await buildWasm({ quiet: true });

const here = (p: string) => new URL(`./${p}`, import.meta.url).pathname;
// Exact names only (`fs` must not catch `fs/promises`): the shims route
// modules get (as wrangler.toml [alias]), the patched satori, and tsconfig's
// `paths` (`@/*`), which wrangler's esbuild reads by itself.
const paths: Record<string, string[]> = JSON.parse(readFileSync('tsconfig.json', 'utf8')).compilerOptions.paths ?? {};
const alias = [
  ...Object.entries(SHIMS).map(([name, file]) => ({ find: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`), replacement: here(file) })),
  { find: /^satori\/standalone$/, replacement: here('.satori/standalone.js') },
  ...Object.entries(paths)
    .filter(([name]) => name.endsWith('/*') && !(name.slice(0, -2) in SHIMS))
    .map(([name, [target]]) => ({
      find: new RegExp(`^${name.slice(0, -2).replace(/[/.@]/g, '\\$&')}/(.*)$`),
      replacement: here(target!.replace(/^\.\//, '').replace(/\*$/, '$1')),
    })),
];

// The example blog's schema and posts; a project without them (the example
// removed) runs the same tests, and test/setup.ts skips the D1 step.
const migrations = existsSync('migrations') ? await readD1Migrations('migrations') : [];

// Golden-image tests (test/golden.test.ts) reach the reference PNGs through
// this binding, which runs in Node: GET /<name>.png reads test/golden/, PUT
// /<name>.png stores a render that differs (or has no reference yet) under
// test/golden/actual/ for a person to look at. References are never written
// by the tests themselves: review the actual PNG, then copy it up a folder.
const GOLDEN = new URL('./test/golden/', import.meta.url).pathname;
const golden = async (request: Request) => {
  const name = new URL(request.url).pathname.slice(1);
  if (!/^[\w.-]+\.png$/.test(name)) return new Response('bad name', { status: 400 });
  if (request.method === 'PUT') {
    mkdirSync(`${GOLDEN}actual`, { recursive: true });
    writeFileSync(`${GOLDEN}actual/${name}`, new Uint8Array(await request.arrayBuffer()));
    return new Response(null, { status: 204 });
  }
  return existsSync(GOLDEN + name) ? new Response(readFileSync(GOLDEN + name)) : new Response('no reference', { status: 404 });
};
const seed = existsSync('seed/posts.sql') ? readFileSync('seed/posts.sql', 'utf8') : '';
// PRERENDER off: tests that read metadata and then count cache misses would
// race the background renders; test/prerender.test.ts turns it on.
const BINDINGS = { TEST_MIGRATIONS: migrations, TEST_SEED: seed, ENVIRONMENT: 'test', PRERENDER: 'off' };

/** Files that run only in their own project below. */
const OWN_PROJECT = ['test/ratelimit.test.ts', 'test/inject.test.ts'];

/** One test project; `r2` decides whether the persistent cache tier is bound. */
const project = (name: string, r2: boolean, include: string[], extra: Record<string, unknown> = {}) => ({
  resolve: { alias },
  oxc: { jsx: { runtime: 'automatic' as const, importSource: 'satori/jsx' } },
  plugins: [
    cloudflareTest({
      main: './test/worker.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: BINDINGS,
        r2Buckets: r2 ? ['IMAGES'] : [],
        serviceBindings: { GOLDEN: golden },
        ...extra,
      },
    }),
  ],
  test: {
    name,
    include,
    exclude: OWN_PROJECT.filter((f) => !include.includes(f)),
    setupFiles: ['./test/setup.ts'],
    // A render takes ~40 ms, but a first render in a fresh isolate on a busy
    // 2-core machine can take seconds: vitest's 5 s default fails tests that
    // are merely slow. Hangs are caught by the service's own deadlines.
    testTimeout: 30_000,
  },
});

export default defineConfig({
  test: {
    // The Worker's info and warn log lines (src/log.ts: one per image served,
    // one per skipped cache write) would bury a failure; tests that care spy
    // on console. Error lines, one per fault, still show.
    onConsoleLog: (line) => !/^\{"level":"(info|warn)"/.test(line),
    projects: [
      project('workerd', true, ['test/*.test.ts']),
      // The cache must work the same without R2, minus that tier.
      project('workerd-no-r2', false, ['test/cache.test.ts']),
      // Rate limiting is off by default; this project binds a small limit.
      project('workerd-ratelimit', false, ['test/ratelimit.test.ts'], {
        ratelimits: { RENDER_LIMITER: { simple: { limit: 3, period: 60 } } },
      }),
      // Inject mode in front of a stub site: every fetch the Worker makes
      // goes to test/helpers/origin.ts.
      // Its pages are the blog example's: skipped, saying so, where that was removed.
      ...(existsSync('routes/blog.tsx')
        ? [project('workerd-inject', false, ['test/inject.test.ts'], { outboundService: origin, bindings: { ...BINDINGS, INJECT } })]
        : (console.warn('Skipping test/inject.test.ts: its pages are the blog example’s, and routes/blog.tsx is not there.'), [])),
      // The route convention and `wrangler dev`, from the outside.
      // These start wrangler dev and Chromium: generous limits for a busy machine.
      { test: { name: 'node', include: ['test/node/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000 } },
    ],
  },
});
