#!/usr/bin/env node
// `npm run load`: starts the Worker with `wrangler dev` on 127.0.0.1 (its own
// temporary state and a fresh BUILD_ID, so every image starts uncached), sends
// a bounded mix of concurrent requests — hits, misses, unversioned URLs, HEAD,
// conditional requests, bad input, wrong methods — then stops the Worker and
// prints what happened. It fails (exit 1) on any unexpected status, on any
// request error, or when renders differ from the number of distinct images.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intOption, parseCli } from './cli.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
const { values: opt, fail } = parseCli({
  name: 'load',
  usage: `usage: npm run load -- [--requests 3000] [--concurrency 50] [--pages 40] [--seconds 180]

  Starts the Worker locally and sends a bounded mix of concurrent requests;
  exits 1 on any unexpected status or when renders differ from distinct images.`,
  options: {
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '50' },
    pages: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '180' },
  },
});
const TOTAL = intOption(opt, 'requests', fail);
const CONCURRENCY = intOption(opt, 'concurrency', fail);
const ICON_PAGES = intOption(opt, 'pages', fail);
const DEADLINE_MS = intOption(opt, 'seconds', fail) * 1000;
const BLOG_SLUGS = ['hello-edge', 'caching-by-id', 'long-titles', 'cafe-creme'];

const state = mkdtempSync(join(tmpdir(), 'og-load-'));
const env = { ...process.env, XDG_CONFIG_HOME: join(ROOT, '.wrangler/xdg'), WRANGLER_SEND_METRICS: 'false', CI: '1' };
let child;
function cleanup() {
  child?.kill('SIGTERM');
  rmSync(state, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (cleanup(), process.exit(130)));
const deadline = setTimeout(() => {
  console.error(`load: gave up after ${DEADLINE_MS / 1000} s`);
  cleanup();
  process.exit(1);
}, DEADLINE_MS);

function wrangler(args) {
  const r = spawnSync(WRANGLER, args, { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
}

async function start() {
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state]);
  wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', 'seed/posts.sql']);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const buildId = `load-${Date.now()}`;
  child = spawn(WRANGLER, ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', state, '--var', `BUILD_ID:${buildId}`], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(`${origin}/robots.txt`).then((r) => r.ok, () => false);
    if (ok) return origin;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not start:\n${log}`);
}

/** Runs `tasks` with at most `limit` in flight. */
async function pool(tasks, limit) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) await tasks[next++]();
    }),
  );
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

async function main() {
  const origin = await start();
  const t0 = performance.now();

  // The pages and their images, as a site would learn them.
  const pages = [
    ...Array.from({ length: ICON_PAGES }, (_, i) => `icon/app-${i}`),
    ...BLOG_SLUGS.map((s) => `blog/${s}`),
  ];
  const images = [];
  for (const page of pages) {
    const res = await fetch(`${origin}/${page}/metadata`);
    if (res.status !== 200) throw new Error(`${page}/metadata: ${res.status} ${await res.text()}`);
    for (const item of await res.json()) images.push({ page, ...item });
  }

  const results = [];
  const etags = new Map();
  const pick = (a, i) => a[(i * 7919) % a.length];
  const request = (kind, url, init, expected) => async () => {
    const start = performance.now();
    try {
      const res = await fetch(url, { ...init, redirect: 'manual' });
      await res.arrayBuffer();
      const tag = res.headers.get('ETag');
      if (tag && res.status === 200) etags.set(url.split('?')[0], tag);
      results.push({ kind, status: res.status, ms: performance.now() - start, cache: res.headers.get('X-Cache'), ok: expected.includes(res.status) });
    } catch (e) {
      results.push({ kind, status: 'error', ms: performance.now() - start, error: String(e), ok: false });
    }
  };

  // Phase 1: the concurrent mix. Every image is uncached at first, so the
  // early requests are misses and coalesced waits, the rest hits.
  const bad = [
    ['/icon/%E0%A4%A/image/small', 400],
    ['/icon/a%2Fb/metadata', 400],
    [`/icon/${'x'.repeat(300)}/metadata`, 400],
    ['/nope/x/image/a', 404],
    ['/icon/acme/image/huge', 404],
    ['/blog/no-such-post/metadata', 404],
    ['/icon/acme/image/small?v=../../x', 400],
  ];
  const mix = [];
  for (let i = 0; i < TOTAL; i++) {
    const image = pick(images, i);
    const unversioned = image.url.split('?')[0];
    const r = i % 20;
    if (r < 12) mix.push(request('versioned GET', image.url, {}, [200]));
    else if (r < 14) mix.push(request('unversioned GET', unversioned, {}, [200]));
    else if (r < 16) mix.push(request('HEAD', image.url, { method: 'HEAD' }, [200]));
    else if (r < 17) mix.push(request('metadata', `${origin}/${image.page}/metadata`, {}, [200]));
    else if (r < 19) {
      const [path, status] = pick(bad, i);
      mix.push(request('bad input', origin + path, {}, [status]));
    } else mix.push(request('wrong method', image.url, { method: 'POST' }, [405]));
  }
  await pool(mix, CONCURRENCY);

  // Phase 2: crawlers revalidating what they hold.
  const conditional = images.slice(0, Math.min(images.length, 200)).map((image, i) =>
    request('If-None-Match', image.url, { headers: { 'If-None-Match': etags.get(image.url.split('?')[0]) ?? '"none"' } }, [304]),
  );
  await pool(conditional, CONCURRENCY);
  const seconds = (performance.now() - t0) / 1000;

  // Report.
  const kinds = [...new Set(results.map((r) => r.kind))];
  const rows = kinds.map((kind) => {
    const rs = results.filter((r) => r.kind === kind);
    const ms = rs.map((r) => r.ms).sort((a, b) => a - b);
    const statuses = Object.entries(rs.reduce((m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m), {}))
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    return [kind, rs.length, statuses, rs.filter((r) => !r.ok).length, pct(ms, 50).toFixed(1), pct(ms, 95).toFixed(1), pct(ms, 99).toFixed(1), ms.at(-1).toFixed(1)];
  });
  const renders = results.filter((r) => r.cache === 'miss').length;
  const served = results.reduce((m, r) => (r.cache ? ((m[r.cache] = (m[r.cache] ?? 0) + 1), m) : m), {});
  const unexpected = results.filter((r) => !r.ok);
  const header = ['kind', 'requests', 'statuses', 'unexpected', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
  const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  console.log(`\n${table}\n`);
  console.log(`requests: ${results.length} in ${seconds.toFixed(1)} s (${(results.length / seconds).toFixed(0)}/s) at concurrency ${CONCURRENCY}`);
  console.log(`served: ${Object.entries(served).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`renders: ${renders}, distinct images: ${images.length}`);
  console.log(`unexpected statuses or errors: ${unexpected.length}`);
  for (const u of unexpected.slice(0, 10)) console.log(`  ${u.kind}: ${u.status} ${u.error ?? ''}`);
  const pass = unexpected.length === 0 && renders === images.length;
  console.log(pass ? 'load: PASS' : 'load: FAIL');
  return pass;
}

main()
  .then((pass) => {
    clearTimeout(deadline);
    cleanup();
    process.exit(pass ? 0 : 1);
  })
  .catch((e) => {
    console.error(e);
    cleanup();
    process.exit(1);
  });
