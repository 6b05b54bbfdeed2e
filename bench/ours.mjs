// Our service, started the way it ships: `wrangler deploy --dry-run` builds
// the exact bundle that would be uploaded (its gzip size is the bundle
// figure), and Miniflare runs a bundle built the same way with the bindings
// wrangler reads from wrangler.toml (unstable_getMiniflareWorkerOptions). No
// `wrangler dev` proxy hop, so ours and the workerd peers sit behind the same
// loopback path.
//
// The bundle that is timed is the service plus the bench's own route module
// (bench/routes/card.tsx, through bench/worker.ts), built from a copy of
// wrangler.toml in the run's temp dir whose static assets are the service's
// plus the bench's photo (as a site keeps its images in public/). The blog
// card is the service's own `blog` route over D1.
//
// State stays in the run's temp dir: D1 is migrated and seeded there with
// `wrangler d1 … --local --persist-to` (as `npm run db:local` does, plus the
// bench's own posts), and the Cache API is in memory, so every fresh
// Miniflare starts with an empty cache. Nothing touches .wrangler/state.
//
// What "uncached" means: every timed request is for a slug never requested
// before (bench-blog-0, bench-blog-1, … are copies of hello-edge in the
// bench's D1; the other cards take any slug), fetched at the versioned URL
// that /metadata lists, as a crawler would. So each is a real miss through the
// whole path (router, cache lookup, metadata, render, ETag, cache write) with
// no cache-busting trick. The /metadata call before each is not timed, and
// PRERENDER is off here so that it does not render the image in advance.
// Every response is checked to be X-Cache: miss.
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { generateRegistry } from '../scripts/routes.mjs';
import { run } from './lib/cleanup.mjs';
import { agent, closedLoop, expectPng, get } from './lib/http.mjs';
import { timeRenders } from './lib/measure.mjs';
import { startMiniflare } from './lib/miniflare.mjs';
import { BLOG_POST } from './cards.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
const wranglerEnv = () => ({
  ...process.env,
  XDG_CONFIG_HOME: join(ROOT, '.wrangler/xdg'),
  WRANGLER_SEND_METRICS: 'false',
  CI: '1', // no prompts (d1 migrations apply asks otherwise)
});

/** How each card is reached on our service; `slug(tag)` names a fresh, equivalent slug. */
export const OURS = {
  blog: { segment: 'blog', id: 'og', slug: (tag) => `bench-blog-${tag}`, post: BLOG_POST },
  ...Object.fromEntries(
    ['gradient', 'photo', 'cover', 'emoji', 'intl', 'stats'].map((key) => [key, { segment: 'card', id: 'og', slug: (tag) => `${key}-${tag}` }]),
  ),
};
// The per-post gradient's hue comes from the slug; the peers draw the same
// hues (bench/cards.mjs, `bench-gradient-<i>` there, `gradient-<i>` here).

/** The deployable bundle; resolves { dist, totalKiB, gzipKiB } as wrangler reports them. */
export async function buildBundle(tmp, config = join(ROOT, 'wrangler.toml'), name = 'dist') {
  const dist = join(tmp, name);
  const out = await run(WRANGLER, ['deploy', '--dry-run', '--outdir', dist, '--config', config], { cwd: ROOT, env: wranglerEnv() });
  const m = out.match(/Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/);
  if (!m) throw new Error(`could not read the bundle size from wrangler:\n${out.slice(-1500)}`);
  return { dist, totalKiB: Number(m[1]), gzipKiB: Number(m[2]) };
}

/**
 * The bench's Worker: wrangler.toml copied into `tmp` with its paths made
 * absolute, bench/worker.ts as main, and static assets that add the photo.
 * Resolves { dist, config }.
 */
export async function buildBenchBundle(tmp) {
  generateRegistry({ dir: 'bench/routes', out: 'generated/bench-routes.ts' });
  const assets = join(tmp, 'assets');
  cpSync(join(ROOT, '.assets'), assets, { recursive: true }); // built by the service bundle's [build] just before
  mkdirSync(join(assets, 'images'), { recursive: true });
  copyFileSync(join(ROOT, 'bench/assets/photo.jpg'), join(assets, 'images/bench-photo.jpg'));
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8')
    .replace(/^main = .*$/m, `main = ${JSON.stringify(join(ROOT, 'bench/worker.ts'))}`)
    .replace(/^(command|watch_dir) = .*$/gm, '')
    .replaceAll('"./', `"${ROOT}`)
    .replace(/^directory = .*$/m, `directory = ${JSON.stringify(assets)}`)
    .replace(/^migrations_dir = .*$/m, `migrations_dir = ${JSON.stringify(join(ROOT, 'migrations'))}`);
  const config = join(tmp, 'wrangler.toml');
  writeFileSync(config, toml);
  const { dist } = await buildBundle(tmp, config, 'bench-dist');
  return { dist, config, script: 'worker.js' }; // wrangler names the output after main
}

const sql = (s) => (s == null ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`);

/** Migrates and seeds a local D1 under `tmp/state`, plus one row per tag for the posts in OURS. */
export async function prepareD1(tmp, tags) {
  const state = join(tmp, 'state');
  const rows = [];
  for (const card of Object.values(OURS)) {
    if (!card.post) continue;
    const p = card.post;
    for (const tag of tags) {
      rows.push(`(${[card.slug(tag), p.title, p.author, p.published_at, p.updated_at, p.tag].map(sql).join(', ')})`);
    }
  }
  const file = join(tmp, 'bench.sql');
  writeFileSync(
    file,
    `${readFileSync(join(ROOT, 'seed/posts.sql'), 'utf8')}\n` +
      `INSERT OR REPLACE INTO posts (slug, title, author, published_at, updated_at, tag) VALUES\n${rows.join(',\n')};\n`,
  );
  const opts = { cwd: ROOT, env: wranglerEnv() };
  await run(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], opts);
  await run(WRANGLER, ['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', file], opts);
  return state;
}

/** One Miniflare running the bench bundle; `bindings` override wrangler.toml's vars. */
export function startOurs({ dist, config, script }, state, name, bindings = {}, options = {}) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
  return startMiniflare(name, {
    ...workerOptions,
    ...options,
    scriptPath: join(dist, script),
    modulesRoot: dist,
    d1Persist: join(state, 'v3/d1'),
    bindings: { ...workerOptions.bindings, PRERENDER: 'off', ...bindings },
  });
}

/** The versioned image URL /metadata lists for `tag`'s slug. */
async function versionedUrl(base, card, tag, a) {
  const res = await get(`${base}/${card.segment}/${card.slug(tag)}/metadata`, { agent: a });
  if (res.status !== 200) throw new Error(`metadata for ${card.slug(tag)}: HTTP ${res.status} ${res.body.toString().slice(0, 300)}`);
  const item = JSON.parse(res.body.toString()).find((i) => String(i.id) === card.id);
  return item.url;
}

/** X-Cache values of a cache hit: the isolate's memory tier, or the Cache API behind it. */
const HIT = new Set(['memory', 'hit']);

function expectMiss(res, what) {
  if (res.headers['x-cache'] !== 'miss') throw new Error(`${what}: X-Cache ${res.headers['x-cache']}, expected miss`);
}

/** satori and raster durations from Server-Timing (indicative: workerd's clock only moves on I/O in production). */
export const serverTiming = (res) =>
  Object.fromEntries([...String(res.headers['server-timing'] ?? '').matchAll(/(\w+);dur=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]));

/**
 * Our side of the interleaved loop: `render(key, tag)` fetches one uncached
 * card and resolves the response (timed by the client, from the request for
 * the image to its last byte).
 */
export function oursRenderer(srv) {
  const meta = agent(1);
  const img = agent(1);
  return {
    async render(key, tag) {
      const card = OURS[key];
      const url = await versionedUrl(srv.base, card, tag, meta);
      const res = expectPng(await get(url, { agent: img }), `og-edge ${key} ${tag}`);
      expectMiss(res, `og-edge ${key} ${tag}`);
      return res;
    },
    close() {
      meta.destroy();
      img.destroy();
    },
  };
}

/** First request of a fresh isolate for `key`: a new workerd, a card no one has asked for. */
export async function coldOurs(bundle, state, key, k) {
  const srv = await startOurs(bundle, state, `og-edge-cold-${key}-${k}`);
  try {
    const card = OURS[key];
    // The image URL without its version (no /metadata call first): that would be the isolate's first request.
    const res = expectPng(await get(`${srv.base}/${card.segment}/${card.slug(`cold-${k}`)}/image/${card.id}`), `og-edge first request ${key}`);
    expectMiss(res, `og-edge first request ${key}`);
    return { ms: res.ms, startupMs: srv.startupMs };
  } finally {
    await srv.stop();
  }
}

/** Cache hits for the blog card: 1 client, then `hits.clients` at once. */
export async function hitsOurs(srv, hits) {
  const card = OURS.blog;
  const a = agent(1);
  let url;
  try {
    url = await versionedUrl(srv.base, card, 'hit', a);
    // The first request renders; the cache write happens in waitUntil, after the response.
    for (let i = 0; ; i++) {
      const res = expectPng(await get(url, { agent: a }), 'og-edge hit');
      if (HIT.has(res.headers['x-cache'])) break;
      if (i > 100) throw new Error('og-edge: never became a cache hit');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    a.destroy();
  }
  const tiers = {};
  const isHit = (res) => {
    expectPng(res, 'og-edge hit');
    const tier = res.headers['x-cache'];
    if (!HIT.has(tier)) throw new Error(`og-edge hit: X-Cache ${tier}`);
    tiers[tier] = (tiers[tier] ?? 0) + 1;
  };
  const hit1 = await timeRenders({ urlFor: () => url, warmup: hits.warmup, n: hits.n1, label: 'og-edge hit', check: isHit });
  const hit50Server = [];
  const hit50 = await closedLoop(url, hits.clients, hits.perClient, (res) => {
    isHit(res);
    const total = serverTiming(res).total;
    if (total !== undefined) hit50Server.push(total);
  });
  return { hit1: hit1.samples, hit50: hit50.samples, hit50Rps: (hit50.samples.length / hit50.wallMs) * 1000, hit50Server, hitTiers: tiers };
}
