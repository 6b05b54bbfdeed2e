// Every test runs inside workerd through @cloudflare/vitest-pool-workers,
// with the bindings from wrangler.toml (D1) plus those a project adds.
import { readFileSync } from 'node:fs';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { generateRegistry } from './scripts/routes.mjs';

// The same generator the build runs: routes/ for the Worker, and the test
// fixtures (modules in Next.js 14 and 16 styles, faulty ones) beside them.
generateRegistry({ dir: 'routes', out: 'src/generated/routes.ts' });
generateRegistry({ dir: 'test/fixtures/routes', out: 'test/generated/fixtures.ts' });

const alias = {
  'next/og': new URL('./src/next/og.ts', import.meta.url).pathname,
  'next/server': new URL('./src/next/server.ts', import.meta.url).pathname,
  'next/navigation': new URL('./src/next/navigation.ts', import.meta.url).pathname,
};

const migrations = await readD1Migrations('migrations');
const seed = readFileSync('seed/posts.sql', 'utf8');

/** One test project; `r2` decides whether the persistent cache tier is bound. */
const project = (name: string, r2: boolean, include: string[], extra: Record<string, unknown> = {}) => ({
  resolve: { alias },
  oxc: { jsx: { runtime: 'automatic' as const, importSource: 'satori/jsx' } },
  plugins: [
    cloudflareTest({
      main: './test/worker.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: { TEST_MIGRATIONS: migrations, TEST_SEED: seed, ENVIRONMENT: 'test' },
        r2Buckets: r2 ? ['IMAGES'] : [],
        ...extra,
      },
    }),
  ],
  test: { name, include, exclude: ['test/ratelimit.test.ts'].filter((f) => !include.includes(f)), setupFiles: ['./test/setup.ts'] },
});

export default defineConfig({
  test: {
    projects: [
      project('workerd', true, ['test/*.test.ts']),
      // The cache must work the same without R2, minus that tier.
      project('workerd-no-r2', false, ['test/cache.test.ts']),
      // Rate limiting is off by default; this project binds a small limit.
      project('workerd-ratelimit', false, ['test/ratelimit.test.ts'], {
        ratelimits: { RENDER_LIMITER: { simple: { limit: 3, period: 60 } } },
      }),
      // The route convention and `wrangler dev`, from the outside.
      { test: { name: 'node', include: ['test/node/*.test.ts'], environment: 'node' } },
    ],
  },
});
