// Our service, started the way it ships: `wrangler deploy --dry-run` builds
// the exact bundle that would be uploaded (its gzip size is the bundle
// figure), and Miniflare runs that bundle with the bindings wrangler reads
// from wrangler.toml (unstable_getMiniflareWorkerOptions). No `wrangler dev`
// proxy hop, so ours and the workerd peers sit behind the same loopback path.
//
// State stays in the run's temp dir: D1 is migrated and seeded there with
// `wrangler d1 … --local --persist-to` (as `npm run db:local` does, plus the
// bench's own posts), and the Cache API is in memory, so every fresh
// Miniflare starts with an empty cache. Nothing touches .wrangler/state.
//
// What "uncached" means: every timed request is for a slug never requested
// before (bench-blog-0, bench-blog-1, … are copies of hello-edge in the
// bench's D1; icons take any slug), fetched at the versioned URL that
// /metadata lists, as a crawler would. So each is a real miss through the
// whole path (router, cache lookup, metadata and D1, render, ETag, cache
// write) with no change to the service and no cache-busting trick. The
// /metadata call before each is not timed. Every response is checked to be
// X-Cache: miss.
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { run } from './lib/cleanup.mjs';
import { agent, closedLoop, expectPng, get } from './lib/http.mjs';
import { timeRenders } from './lib/measure.mjs';
import { startMiniflare } from './lib/miniflare.mjs';
import { median } from './lib/stats.mjs';
import { BLOG_POST, ZH_POST } from './cards.mjs';

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
  icon: { segment: 'icon', id: 'small', slug: (tag) => `a-bench-${tag}` }, // the icon shows the slug's first letter
  zh: { segment: 'blog', id: 'og', slug: (tag) => `bench-zh-${tag}`, post: ZH_POST },
};

/** The deployable bundle; resolves { dist, totalKiB, gzipKiB } as wrangler reports them. */
export async function buildBundle(tmp) {
  const dist = join(tmp, 'dist');
  const out = await run(WRANGLER, ['deploy', '--dry-run', '--outdir', dist], { cwd: ROOT, env: wranglerEnv() });
  const m = out.match(/Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/);
  if (!m) throw new Error(`could not read the bundle size from wrangler:\n${out.slice(-1500)}`);
  return { dist, totalKiB: Number(m[1]), gzipKiB: Number(m[2]) };
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

function startOurs(dist, state, name) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'));
  return startMiniflare(name, {
    ...workerOptions,
    scriptPath: join(dist, 'index.js'),
    modulesRoot: dist,
    d1Persist: join(state, 'v3/d1'),
  });
}

const imagePath = (card, tag) => `/${card.segment}/${card.slug(tag)}/image/${card.id}`;

/** The versioned image URL /metadata lists for `tag`'s slug. */
async function versionedUrl(base, card, tag, a) {
  const res = await get(`${base}/${card.segment}/${card.slug(tag)}/metadata`, { agent: a });
  if (res.status !== 200) throw new Error(`metadata for ${card.slug(tag)}: HTTP ${res.status} ${res.body.toString().slice(0, 300)}`);
  const item = JSON.parse(res.body.toString()).find((i) => String(i.id) === card.id);
  return item.url;
}

/** X-Cache values of a cache hit: the isolate's memory tier, or the Cache API behind it. */
const HIT = new Set(['memory', 'hit']);

const expectCache = (want) => (res, i) => {
  if (res.headers['x-cache'] !== want) throw new Error(`request ${i}: X-Cache ${res.headers['x-cache']}, expected ${want}`);
};

/** satori and raster durations from Server-Timing (indicative: workerd's clock only moves on I/O in production). */
const serverTiming = (res) =>
  Object.fromEntries([...String(res.headers['server-timing'] ?? '').matchAll(/(\w+);dur=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]));

/**
 * Resolves { startupMs, firstMs, firsts, cards: { [key]: { samples, png, timing, hit1, hit50 } } }.
 * `hits` = { warmup, n1, clients, perClient }.
 */
export async function benchOurs({ dist, state, warmup, n, cold, hits, log }) {
  // First request of a fresh isolate: a new workerd each time, a blog card no one has asked for.
  const firsts = [];
  const startups = [];
  for (let k = 0; k < cold; k++) {
    log(`  ours: fresh isolate ${k + 1}/${cold}`);
    const srv = await startOurs(dist, state, `og-edge-cold-${k}`);
    try {
      startups.push(srv.startupMs);
      const res = expectPng(await get(`${srv.base}${imagePath(OURS.blog, `cold-${k}`)}`), 'ours first request');
      expectCache('miss')(res, 0);
      firsts.push(res.ms);
    } finally {
      await srv.stop();
    }
  }

  const srv = await startOurs(dist, state, 'og-edge');
  const cards = {};
  try {
    for (const [key, card] of Object.entries(OURS)) {
      log(`  ours: ${key} uncached`);
      const meta = agent(1);
      const timing = { satori: [], raster: [] };
      let uncached;
      try {
        uncached = await timeRenders({
          urlFor: (i) => versionedUrl(srv.base, card, i, meta),
          warmup,
          n,
          label: `ours ${key}`,
          check: (res, i) => {
            expectCache('miss')(res, i);
            const t = serverTiming(res);
            if (i >= warmup) for (const k of Object.keys(timing)) if (t[k] !== undefined) timing[k].push(t[k]);
          },
        });
      } finally {
        meta.destroy();
      }

      log(`  ours: ${key} cache hits`);
      const a = agent(1);
      let url;
      try {
        url = await versionedUrl(srv.base, card, 'hit', a);
        // The first request renders; the cache write happens in waitUntil, after the response.
        for (let i = 0; ; i++) {
          const res = expectPng(await get(url, { agent: a }), `ours ${key} hit`);
          // The render's own waitUntil fills the memory tier first (then the Cache API).
          if (HIT.has(res.headers['x-cache'])) break;
          if (i > 100) throw new Error(`ours ${key}: never became a cache hit`);
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        a.destroy();
      }
      const tiers = {};
      const isHit = (res) => {
        expectPng(res, `ours ${key} hit`);
        const tier = res.headers['x-cache'];
        if (!HIT.has(tier)) throw new Error(`ours ${key} hit: X-Cache ${tier}`);
        tiers[tier] = (tiers[tier] ?? 0) + 1;
      };
      const hit1 = await timeRenders({ urlFor: () => url, warmup: hits.warmup, n: hits.n1, label: `ours ${key} hit`, check: isHit });
      // The Worker's own time for each hit at 50 clients (Server-Timing total):
      // what a hit costs inside the isolate, apart from the queue in front of it.
      const hit50Server = [];
      const hit50 = await closedLoop(url, hits.clients, hits.perClient, (res) => {
        isHit(res);
        const total = serverTiming(res).total;
        if (total !== undefined) hit50Server.push(total);
      });
      cards[key] = {
        samples: uncached.samples,
        png: uncached.last.body,
        timing: { satori: median(timing.satori), raster: median(timing.raster) },
        hit1: hit1.samples,
        hit50: hit50.samples,
        hit50Rps: (hit50.samples.length / hit50.wallMs) * 1000,
        hit50Server,
        hitTiers: tiers,
      };
    }
  } finally {
    await srv.stop();
  }
  return { startupMs: median(startups), firstMs: median(firsts), firsts, cards };
}
