#!/usr/bin/env node
// `npm run bench -- --memory`: one isolate, many uncached cards, and its live
// heap after a full GC, read through workerd's inspector (local workerd does
// not enforce the 128 MB isolate limit, so it must be measured).
//
//   npm run bench -- --memory [--renders 1000 --clients 10]
//
// The bundle `wrangler deploy --dry-run` builds runs in one Miniflare with
// the inspector on; the blog's D1 gets one post per card, each a title never
// rendered before: Chinese and Japanese (Han characters drawn at random, so
// the glyph caches see new characters all run long), Arabic, emoji-heavy,
// and the intl cards (a local image, every script). `clients` clients request
// them at once. After every `every` cards: HeapProfiler.collectGarbage, then
// Runtime.getHeapUsage (V8's live heap; wasm memory, which never shrinks, is
// outside it and printed from the Worker's own numbers where available).
// Then one card in every shipped script and emoji set, and the heap again.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { guard, run, stopAll, tempDir } from './lib/cleanup.mjs';
import { connect } from './lib/cdp.mjs';
import { agent, get } from './lib/http.mjs';
import { startMiniflare } from './lib/miniflare.mjs';
import { buildBenchBundle, buildBundle, ROOT } from './ours.mjs';

const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
const log = (s) => process.stderr.write(`${s}\n`);

/** A deterministic pseudo-random sequence, so two runs draw the same cards. */
function* random(seed) {
  let x = seed;
  for (;;) yield ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const ARABIC = 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي';
const EMOJI = ['🚀', '🎉', '🦄', '🌍', '🔥', '🍕', '🎸', '🐙', '🌈', '⚡', '👩‍💻', '👨🏽‍🚀', '🇯🇵', '🇧🇷', '#️⃣', '❤️‍🔥', '🧑🏿‍🎨', '🏳️‍🌈', '👋🏻', '🤖'];

/** The title of card `i`: CJK, Arabic or emoji in turn; the intl cards are requested as they are. */
function title(i, rnd) {
  const pick = (s, n) => Array.from({ length: n }, () => s[Math.floor(rnd.next().value * s.length)]).join('');
  const han = () => String.fromCodePoint(0x4e00 + Math.floor(rnd.next().value * (0x9fa5 - 0x4e00)));
  switch (i % 5) {
    case 0:
      return Array.from({ length: 24 }, han).join('');
    case 1:
      return `${pick(ARABIC, 6)} ${pick(ARABIC, 5)} ${pick(ARABIC, 7)} ${pick(ARABIC, 4)}`;
    default:
      return `Launch ${pick(EMOJI, 1)}${pick(EMOJI, 1)} day ${pick(EMOJI, 1)} ${i}`;
  }
}

/** The emoji sets this deployment ships (scripts/assets.mjs writes them into generated/assets.ts). */
const EMOJI_SETS = JSON.parse(readFileSync(join(ROOT, 'generated/assets.ts'), 'utf8').match(/EMOJI_SETS = (\[.*?\])/)[1]);

const INTL = ['all', 'en', 'ja', 'zh-hans', 'zh-hant', 'ko', 'ar', 'he', 'hi', 'th'];

/** The isolate's heap, through workerd's inspector. */
async function inspector(port) {
  let chunks = null;
  const { send, close } = await connect(port, (method, params) => {
    if (method === 'HeapProfiler.addHeapSnapshotChunk') chunks?.push(params.chunk);
  });
  await send('HeapProfiler.enable');
  return {
    async heap() {
      // workerd never answers HeapProfiler.collectGarbage; a heap snapshot
      // starts with a full, precise GC (its chunks are dropped unread).
      await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      const u = await send('Runtime.getHeapUsage');
      // usedSize: V8's live heap; embedderHeapUsedSize: what workerd keeps for
      // JS objects; ArrayBuffers (font files) and wasm memory are outside both.
      return { used: u.usedSize, total: u.totalSize, embedder: u.embedderHeapUsedSize ?? 0, backing: u.backingStorageSize ?? 0 };
    },
    /** A heap snapshot (after a full GC), as the text DevTools saves. */
    async snapshot() {
      chunks = [];
      await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      const text = chunks.join('');
      chunks = null;
      return text;
    },
    close,
  };
}

/** The snapshot's self sizes summed by object type and constructor, largest first. */
export function heapByConstructor(text, top = 25) {
  const { snapshot, nodes, strings } = JSON.parse(text);
  const f = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const [ti, ni, si] = ['type', 'name', 'self_size'].map((k) => f.indexOf(k));
  const sums = new Map();
  for (let i = 0; i < nodes.length; i += f.length) {
    const type = types[nodes[i + ti]];
    const name = type === 'object' || type === 'closure' ? strings[nodes[i + ni]] : `(${type})`;
    const key = `${type} ${name}`;
    const e = sums.get(key) ?? { key, bytes: 0, count: 0 };
    e.bytes += nodes[i + si];
    e.count++;
    sums.set(key, e);
  }
  return [...sums.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top);
}

const MiB = (n) => (n / 1048576).toFixed(1);

export async function benchMemory({ cards = 1000, clients = 10, every = Math.max(25, Math.round(cards / 10)), snapshot = false } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'og-edge-memory-'));
  tempDir(tmp);
  log('memory: building the bundle (wrangler deploy --dry-run)');
  const { totalKiB, gzipKiB } = await buildBundle(tmp);
  log(`memory: bundle ${totalKiB} KiB, ${gzipKiB} KiB gzipped`);
  // The bench's Worker: the service plus bench/routes/card.tsx, for the photo card.
  const bundle = await buildBenchBundle(tmp);

  // One post per card, titles drawn in advance.
  const rnd = random(42);
  const titles = Array.from({ length: cards }, (_, i) => title(i, rnd));
  const sql = (s) => `'${String(s).replace(/'/g, "''")}'`;
  const rows = titles.map((t, i) => `(${[`mem-${i}`, t, 'Bench', '2026-01-01', '2026-01-02', 'bench'].map((v) => (v == null ? 'NULL' : sql(v))).join(', ')})`);
  const seed = join(tmp, 'memory.sql');
  const inserts = [];
  for (let i = 0; i < rows.length; i += 100) {
    inserts.push(`INSERT OR REPLACE INTO posts (slug, title, author, published_at, updated_at, tag) VALUES\n${rows.slice(i, i + 100).join(',\n')};`);
  }
  writeFileSync(seed, `${readFileSync(join(ROOT, 'seed/posts.sql'), 'utf8')}\n${inserts.join('\n')}\n`);
  log('memory: local D1 with one post per card');
  const state = join(tmp, 'state');
  const env = { ...process.env, XDG_CONFIG_HOME: join(ROOT, '.wrangler/xdg'), WRANGLER_SEND_METRICS: 'false', CI: '1' };
  await run(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { cwd: ROOT, env });
  await run(WRANGLER, ['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', seed], { cwd: ROOT, env });

  const port = 9229 + Math.floor(Math.random() * 500);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(bundle.config);
  const srv = await startMiniflare('og-edge-memory', {
    ...workerOptions,
    scriptPath: join(bundle.dist, bundle.script),
    modulesRoot: bundle.dist,
    d1Persist: join(state, 'v3/d1'),
    // The shared 2-core machine is slow: renders queued behind others must not hit the request deadline.
    bindings: { ...workerOptions.bindings, REQUEST_TIMEOUT_MS: '300000' },
    inspectorPort: port,
    unsafeInspectorProxy: true,
  });
  log(`memory: Miniflare up; inspector on ${port}`);
  const cdp = await inspector(port);
  const curve = [];
  try {
    const start = await cdp.heap();
    curve.push({ cards: 0, ...start, ms: 0 });
    log(`memory: ${MiB(start.used)} MiB live after start`);
    const a = agent(clients);
    const t0 = performance.now();
    let next = 0;
    let failed = 0;
    // One card in five each: a blog post in Chinese and Japanese, Arabic or
    // emoji (title(i)), an intl card (cache-busted) and the bench's photo card.
    const urlOf = (i) =>
      i % 5 === 3 ? `/intl/${INTL[i % INTL.length]}/image/og?n=mem-${i}` : i % 5 === 4 ? `/card/photo-mem-${i}/image/og` : `/blog/mem-${i}/image/og`;
    for (let done = 0; done < cards; done += every) {
      const end = Math.min(cards, done + every);
      await Promise.all(
        Array.from({ length: clients }, async () => {
          for (let i = next++; i < end; i = next++) {
            const res = await get(`${srv.base}${urlOf(i)}`, { agent: a }).catch((e) => ({ status: 0, body: Buffer.from(String(e)) }));
            if (res.status !== 200) {
              failed++;
              if (failed <= 3) log(`  ${urlOf(i)}: HTTP ${res.status} ${res.body.subarray(0, 200).toString()}`);
            }
          }
        }),
      );
      next = end;
      const h = await cdp.heap();
      curve.push({ cards: end, ...h, ms: performance.now() - t0 });
      log(`memory: ${String(end).padStart(5)} cards  ${MiB(h.used).padStart(6)} MiB live  (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    a.destroy();

    // Then every intl card once more, and a card in every other shipped
    // script and in every emoji set (bench/routes/samples.tsx).
    const last = [
      ...INTL.map((slug) => `/intl/${slug}/image/og?n=final`),
      ...['indic', 'other', 'symbols', ...EMOJI_SETS.map((set) => `emoji-${set}`)].map((slug) => `/samples/${slug}/image/og`),
    ];
    for (const path of last) {
      const res = await get(`${srv.base}${path}`, { agent: agent(1) });
      if (res.status !== 200) {
        failed++;
        log(`  ${path}: HTTP ${res.status} ${res.body.subarray(0, 200).toString()}`);
      }
    }
    const after = await cdp.heap();
    let top;
    if (snapshot) {
      const text = await cdp.snapshot();
      mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
      writeFileSync(join(ROOT, 'bench/out/memory.heapsnapshot'), text);
      top = heapByConstructor(text);
    }
    return { curve, after, failed, cards, clients, top };
  } finally {
    cdp.close();
    await srv.stop();
  }
}

export function printMemory({ curve, after, failed, cards, clients, top }) {
  const lines = [
    `## Memory: one isolate, ${cards} uncached cards (CJK, Arabic, emoji, intl), ${clients} clients`,
    '',
    '| cards | live V8 heap after GC (MiB) | V8 heap reserved (MiB) | embedder (MiB) | backing stores (MiB) |',
    '|---:|---:|---:|---:|---:|',
    ...curve.map((p) => `| ${p.cards} | ${MiB(p.used)} | ${MiB(p.total)} | ${MiB(p.embedder)} | ${MiB(p.backing)} |`),
    `| then every intl card, script and emoji set | ${MiB(after.used)} | ${MiB(after.total)} | ${MiB(after.embedder)} | ${MiB(after.backing)} |`,
    '',
    `${failed} of ${cards} requests failed.`,
  ];
  if (top) {
    lines.push('', 'Live heap at the end by constructor (self size; full snapshot in bench/out/memory.heapsnapshot):', '');
    for (const e of top) lines.push(`${MiB(e.bytes).padStart(7)} MiB  ${String(e.count).padStart(8)}  ${e.key}`);
  }
  console.log(lines.join('\n'));
}

/** The whole memory mode, with the bench's cleanup: everything started is stopped on the way out. */
export async function main(options) {
  const release = guard(1800);
  try {
    printMemory(await benchMemory(options));
  } finally {
    await stopAll();
    release();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) await main();
