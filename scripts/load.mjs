#!/usr/bin/env node
// `npm run load`: starts the Worker with `wrangler dev` on 127.0.0.1 (its own
// temporary state and a fresh BUILD_ID, so every image starts uncached), sends
// a bounded mix of concurrent requests — hits, misses, unversioned URLs, HEAD,
// conditional requests, bad input, wrong methods — then stops the Worker and
// prints what happened. It fails (exit 1) on any unexpected status, on any
// request error, when renders differ from the number of distinct images, or
// when one versioned URL is answered with different bytes.
//
// With --hostile N (default 400; 0 turns it off) the Worker runs with the test
// fixtures (test/worker.ts), signing, a metadata key and PUBLIC_HOSTS on, and
// N more requests join the mix: cards over the render limits, faulty and
// hanging routes, refused remote images, bad signatures, odd Host headers and
// metadata without the key, each with the one status it must get. The
// Worker's live JS heap is read after a full GC through the inspector before,
// during and after the run.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intOption, parseCli } from './cli.mjs';
import { generateRegistry } from './routes.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
const { values: opt, fail } = parseCli({
  name: 'load',
  usage: `usage: npm run load -- [--requests 3000] [--concurrency 50] [--pages 40] [--seconds 180] [--hostile 400]

  Starts the Worker locally and sends a bounded mix of concurrent requests
  (--hostile of them hostile; 0 for none); exits 1 on any unexpected status
  or when renders differ from distinct images.`,
  options: {
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '50' },
    pages: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '180' },
    hostile: { type: 'string', default: '400' },
  },
});
const TOTAL = intOption(opt, 'requests', fail);
const CONCURRENCY = intOption(opt, 'concurrency', fail);
const ICON_PAGES = intOption(opt, 'pages', fail);
const DEADLINE_MS = intOption(opt, 'seconds', fail) * 1000;
const HOSTILE = intOption(opt, 'hostile', fail, { min: 0 });
const BLOG_SLUGS = ['hello-edge', 'caching-by-id', 'long-titles', 'cafe-creme'];
// Secrets for this run only, so the hostile mix can sign, forge and knock.
const SIGNING_SECRET = `load-${Math.random().toString(36).slice(2)}`;
const METADATA_KEY = `key-${Math.random().toString(36).slice(2)}`;
const AUTH = HOSTILE ? { Authorization: `Bearer ${METADATA_KEY}` } : {};

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
  const inspectorPort = port + 1;
  const buildId = `load-${Date.now()}`;
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--persist-to', state];
  args.push('--var', `BUILD_ID:${buildId}`);
  // The check that each distinct image renders once counts X-Cache: miss; a
  // prerender (on by default, started by each /metadata read) renders where
  // no response says so, and the image requests after it are all hits.
  args.push('--var', 'PRERENDER:off');
  if (HOSTILE) {
    // The real app over routes/ plus the test fixtures (faulty, hanging, over-limit cards).
    generateRegistry({ dir: join(ROOT, 'test/fixtures/routes'), out: join(ROOT, 'test/generated/fixtures.ts') });
    args.splice(1, 0, 'test/worker.ts');
    for (const v of [`SIGNING_SECRET:${SIGNING_SECRET}`, `METADATA_KEY:${METADATA_KEY}`, `PUBLIC_HOSTS:127.0.0.1:${port}`, 'ROUTE_TIMEOUT_MS:2000']) {
      args.push('--var', v);
    }
  }
  child = spawn(WRANGLER, args, {
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
    if (ok) return { origin, inspector: `ws://127.0.0.1:${inspectorPort}/ws` };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not start:\n${log}`);
}

/**
 * The Worker's live JS heap after a full GC, read through the inspector
 * (Chrome DevTools Protocol): HeapProfiler.collectGarbage, then
 * Runtime.getHeapUsage. workerd runs the GC task only when the isolate has
 * work, so a cheap request nudges it until the GC has answered.
 */
async function heapReader(wsUrl, origin) {
  const WS = globalThis.WebSocket ?? createRequire(import.meta.url)('ws');
  const ws = new WS(wsUrl);
  const pending = new Map();
  let id = 0;
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data));
    pending.get(m.id)?.(m.result ?? {});
    pending.delete(m.id);
  };
  await new Promise((ok, fail) => ((ws.onopen = ok), (ws.onerror = () => fail(new Error(`inspector ${wsUrl} unreachable`)))));
  const send = (method) =>
    new Promise((ok) => {
      pending.set(++id, ok);
      ws.send(JSON.stringify({ id, method }));
    });
  await send('HeapProfiler.enable');
  return {
    async read() {
      let collected = false;
      const gc = send('HeapProfiler.collectGarbage').then(() => (collected = true));
      for (let i = 0; !collected && i < 100; i++) {
        await fetch(`${origin}/robots.txt`).then((r) => r.arrayBuffer(), () => undefined);
        await Promise.race([gc, new Promise((r) => setTimeout(r, 100))]);
      }
      const { usedSize = NaN } = await send('Runtime.getHeapUsage');
      return usedSize / 2 ** 20;
    },
    close: () => ws.close(),
  };
}

/** A GET with a Host header of our choosing (fetch would not send one). */
const getWithHost = (url, host) =>
  new Promise((ok, fail) => {
    const req = httpRequest(url, { headers: { Host: host } }, (res) => {
      res.resume();
      res.on('end', () => ok({ status: res.statusCode }));
    });
    req.on('error', fail);
    req.end();
  });

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

/**
 * The hostile requests, each with the one status it must get. Cards are
 * reached through their metadata URLs, signed, as a crawler would.
 */
async function hostileMix(origin, images, request, record) {
  const signedUrl = async (page, id) => {
    const res = await fetch(`${origin}/${page}/metadata`, { headers: AUTH });
    if (res.status !== 200) throw new Error(`${page}/metadata: ${res.status} ${await res.text()}`);
    const item = (await res.json()).find((i) => String(i.id) === id);
    if (!item) throw new Error(`${page}/metadata has no "${id}"`);
    return item.url;
  };
  const cases = [];
  // Cards over a render limit: 500 limit_exceeded, before satori.
  for (const slug of ['long-title', 'many-divs', 'deep', 'blur-layers', 'huge-blur', 'huge-shadow', 'shadowed-spans']) {
    cases.push(['over a limit', await signedUrl(`limits/${slug}`, 'card'), {}, [500]]);
  }
  // Routes that throw, return garbage, ask for too much, or name a refused image host.
  for (const id of ['throws', 'not-a-response', 'bad-element', 'huge-response']) cases.push(['faulty route', await signedUrl('faulty/x', id), {}, [500]]);
  cases.push(['faulty route', await signedUrl('remote/refused', 'card'), {}, [500]]);
  cases.push(['faulty route', `${origin}/faulty/throws/metadata`, { headers: AUTH }, [500]]);
  // A route whose data never comes: 504 at ROUTE_TIMEOUT_MS.
  cases.push(['hanging route', await signedUrl('hang/x', 'forever'), {}, [504]]);
  // Signatures forged in each way, on real images.
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (const image of images.slice(0, 10)) {
    const url = new URL(image.url);
    const sig = url.searchParams.get('sig');
    const spare = new URL(url);
    spare.searchParams.set('sig', sig.slice(0, -1) + B64[B64.indexOf(sig.at(-1)) + 1]);
    const unsigned = new URL(url);
    unsigned.searchParams.delete('sig');
    const otherId = new URL(url);
    otherId.pathname = otherId.pathname.replace(/[^/]+$/, 'other');
    for (const u of [spare, unsigned, otherId]) cases.push(['bad signature', u.href, {}, [403]]);
  }
  cases.push(['no metadata key', `${origin}/icon/acme/metadata`, {}, [401]]);
  const tasks = [];
  for (let i = 0; i < HOSTILE; i++) {
    if (i % 10 === 9) {
      // A Host not in PUBLIC_HOSTS: 400 before anything else.
      const host = ['evil.test', '127.0.0.1:1', `localhost${origin.slice(origin.lastIndexOf(':'))}`][i % 3];
      const url = images[i % images.length].url;
      tasks.push(async () => {
        const start = performance.now();
        const res = await getWithHost(url, host).catch((e) => ({ status: 'error', error: String(e) }));
        record({ kind: 'odd Host', status: res.status, ms: performance.now() - start, ok: res.status === 400, error: res.error });
      });
    } else {
      const [kind, url, init, expected] = cases[i % cases.length];
      tasks.push(request(kind, url, init, expected));
    }
  }
  return tasks;
}

async function main() {
  const { origin, inspector } = await start();
  const heap = await heapReader(inspector, origin);
  const heapMiB = [await heap.read()];
  const t0 = performance.now();

  // The pages and their images, as a site would learn them.
  const pages = [
    ...Array.from({ length: ICON_PAGES }, (_, i) => `icon/app-${i}`),
    ...BLOG_SLUGS.map((s) => `blog/${s}`),
  ];
  const images = [];
  for (const page of pages) {
    const res = await fetch(`${origin}/${page}/metadata`, { headers: AUTH });
    if (res.status !== 200) throw new Error(`${page}/metadata: ${res.status} ${await res.text()}`);
    for (const item of await res.json()) images.push({ page, ...item });
  }

  const results = [];
  const etags = new Map();
  /** Distinct body hashes of each versioned URL's 200 GETs: more than one is a fault. */
  const bodies = new Map();
  const pick = (a, i) => a[(i * 7919) % a.length];
  const request = (kind, url, init, expected) => async () => {
    const start = performance.now();
    try {
      const res = await fetch(url, { ...init, redirect: 'manual' });
      const bytes = new Uint8Array(await res.arrayBuffer());
      const tag = res.headers.get('ETag');
      if (tag && res.status === 200) etags.set(url.split('?')[0], tag);
      if (res.status === 200 && (init.method ?? 'GET') === 'GET' && new URL(url).searchParams.has('v') && !url.includes('/metadata')) {
        const hashes = bodies.get(url) ?? new Set();
        bodies.set(url, hashes.add(createHash('sha256').update(bytes).digest('hex')));
      }
      const ok = expected.includes(res.status);
      const error = ok ? undefined : new TextDecoder().decode(bytes.slice(0, 200));
      results.push({ kind, status: res.status, ms: performance.now() - start, cache: res.headers.get('X-Cache'), ok, error });
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
    // Unsigned, so refused before the lookup when signing is on.
    ['/nope/x/image/a', HOSTILE ? 403 : 404],
    ['/icon/acme/image/huge', HOSTILE ? 403 : 404],
    ['/blog/no-such-post/metadata', 404],
    ['/icon/acme/image/small?v=../../x', 400],
  ];
  const mix = [];
  for (let i = 0; i < TOTAL; i++) {
    const image = pick(images, i);
    const unversioned = image.url.split('?')[0];
    const r = i % 20;
    if (r < 12) mix.push(request('versioned GET', image.url, {}, [200]));
    // With signing on (the hostile run), an unsigned URL is refused.
    else if (r < 14) mix.push(request('unversioned GET', unversioned, {}, [HOSTILE ? 403 : 200]));
    else if (r < 16) mix.push(request('HEAD', image.url, { method: 'HEAD' }, [200]));
    else if (r < 17) mix.push(request('metadata', `${origin}/${image.page}/metadata`, { headers: AUTH }, [200]));
    else if (r < 19) {
      const [path, status] = pick(bad, i);
      mix.push(request('bad input', origin + path, { headers: AUTH }, [status]));
    } else mix.push(request('wrong method', image.url, { method: 'POST' }, [405]));
  }
  if (HOSTILE) {
    // Spread evenly through the mix, so hostile requests run beside the others.
    const hostile = await hostileMix(origin, images, request, (r) => results.push(r));
    hostile.forEach((task, k) => mix.splice(Math.floor(((k + 1) * mix.length) / (hostile.length + 1)) + k, 0, task));
  }
  let running = true;
  const sampler = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 10_000));
      if (running) heapMiB.push(await heap.read());
    }
  })();
  await pool(mix, CONCURRENCY);
  running = false;
  await sampler;

  // Phase 2: crawlers revalidating what they hold.
  const conditional = images.slice(0, Math.min(images.length, 200)).map((image, i) =>
    request('If-None-Match', image.url, { headers: { 'If-None-Match': etags.get(image.url.split('?')[0]) ?? '"none"' } }, [304]),
  );
  await pool(conditional, CONCURRENCY);
  const seconds = (performance.now() - t0) / 1000;
  heapMiB.push(await heap.read());
  heap.close();

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
  const differing = [...bodies].filter(([, hashes]) => hashes.size > 1);
  console.log(`versioned URLs answered with differing bytes: ${differing.length} (of ${bodies.size})`);
  for (const [url] of differing.slice(0, 5)) console.log(`  ${url}`);
  const mib = (n) => `${n.toFixed(1)} MiB`;
  console.log(`workerd JS heap after a full GC: start ${mib(heapMiB[0])}, peak ${mib(Math.max(...heapMiB))}, end ${mib(heapMiB.at(-1))} (${heapMiB.length} samples, every 10 s)`);
  const pass = unexpected.length === 0 && renders === images.length && differing.length === 0;
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
