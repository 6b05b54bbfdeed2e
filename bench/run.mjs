#!/usr/bin/env node
// `npm run bench`: our service and its peers render the same cards, side by
// side, in one bounded run; prints one table and writes bench/results.md.
//
//   npm run bench -- --memory [--cards 1000 --clients 10]   (bench/memory.mjs)
//   npm run bench [-- --n 50 --warmup 5 --cold 3 --peers workers-og,vercel-og,takumi,resvg-js
//                     --out bench/results.md --budget-s 420]
//
// Everything runs one thing at a time (the machine has 2 cores), talks only
// to 127.0.0.1, and every process, Miniflare and temp dir it starts is
// stopped on the way out, including on error, Ctrl-C and budget expiry.
// This is a script, not a test: it asserts nothing about timings.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { guard, stopAll, tempDir } from './lib/cleanup.mjs';
import { benchOurs, buildBundle, prepareD1, ROOT } from './ours.mjs';
import { benchNodePeer } from './peers/node.mjs';
import { benchWorkerdPeer } from './peers/workerd.mjs';
import { renderMarkdown } from './report.mjs';

const DEFAULT_OUT = join(ROOT, 'bench/results.md');

/**
 * The README's Performance section carries the same tables, between two
 * markers; a run that writes bench/results.md refreshes them, so the two
 * never disagree.
 */
function updateReadme(md) {
  const file = join(ROOT, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) return log('README.md has no bench markers; left alone');
  const body = md.slice(md.indexOf('\n| card |') + 1, md.indexOf('\n## Reading it')).replace('## Targets (issue 5)', '#### Targets (issue 5)');
  writeFileSync(file, `${readme.slice(0, i + start.length)}\n${md.split('\n')[2]}\n\n${body.trim()}\n${readme.slice(j)}`);
}

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '5' },
    cold: { type: 'string', default: '3' },
    peers: { type: 'string', default: 'workers-og,vercel-og,takumi,resvg-js' },
    out: { type: 'string', default: DEFAULT_OUT },
    'budget-s': { type: 'string', default: '420' },
    // Memory mode (bench/memory.mjs): one isolate's live heap over many cards.
    memory: { type: 'boolean', default: false },
    cards: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '10' },
  },
});
if (opt.memory) {
  await (await import('./memory.mjs')).main({ cards: Number(opt.cards), clients: Number(opt.clients) });
  process.exit(0);
}
const settings = {
  n: Number(opt.n),
  warmup: Number(opt.warmup),
  cold: Math.max(1, Number(opt.cold)),
  hits: { warmup: 20, n1: 200, clients: 50, perClient: 20 },
};

const pkg = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
const v = (name) => pkg(name).version;

/** The peers, in table order; versions are read from what is installed. */
const PEERS = {
  'workers-og': {
    label: `workers-og ${v('workers-og')}`,
    runtime: 'workerd (Miniflare), client over loopback',
    versions: () => `bundles satori ${v('workers-og/node_modules/satori')}, @resvg/resvg-wasm ${v('workers-og/node_modules/@resvg/resvg-wasm')}; fonts passed as WOFF`,
    bench: (o) => benchWorkerdPeer({ ...o, name: 'workers-og', fontExt: 'woff' }),
  },
  'vercel-og': {
    label: `@vercel/og ${v('@vercel/og')}`,
    runtime: 'Node, in-process (resvg-wasm)',
    versions: () => `its Node entry, bundling satori ${pkg('@vercel/og').dependencies.satori} and @resvg/resvg-wasm ${pkg('@vercel/og').dependencies['@resvg/resvg-wasm']}; fonts passed as WOFF`,
    bench: (o) => benchNodePeer({ ...o, name: 'vercel-og' }),
  },
  takumi: {
    label: `@takumi-rs/wasm ${v('@takumi-rs/wasm')}`,
    runtime: 'workerd (Miniflare), client over loopback',
    versions: () => `with @takumi-rs/helpers ${v('@takumi-rs/helpers')} (fromJsx); the same fonts as WOFF2, since it rejects WOFF 1`,
    bench: (o) => benchWorkerdPeer({ ...o, name: 'takumi', fontExt: 'woff2' }),
  },
  'resvg-js': {
    label: `satori ${v('satori')} + @resvg/resvg-js ${v('@resvg/resvg-js')}`,
    runtime: 'Node, in-process (native resvg)',
    versions: () => 'the same satori as og-edge with native resvg and its default PNG encoding: the floor of this algorithm on this CPU',
    bench: (o) => benchNodePeer({ ...o, name: 'resvg-js' }),
  },
};

const log = (s) => process.stderr.write(`${s}\n`);
const release = guard(Number(opt['budget-s']));
const t0 = performance.now();
const loadBefore = loadavg().map((x) => x.toFixed(2)).join('/');
const tmp = mkdtempSync(join(tmpdir(), 'og-edge-bench-'));
tempDir(tmp);
const results = { peers: [], failures: [] };
const common = { tmp, warmup: settings.warmup, n: settings.n, cold: settings.cold, log };

try {
  log('og-edge: building the bundle (wrangler deploy --dry-run)');
  results.bundle = await buildBundle(tmp);
  log('og-edge: local D1 in a temp dir');
  const tags = [...Array(settings.warmup + settings.n).keys(), 'hit', ...Array.from({ length: settings.cold }, (_, k) => `cold-${k}`)];
  const state = await prepareD1(tmp, tags);
  try {
    results.ours = await benchOurs({ ...common, dist: results.bundle.dist, state, hits: settings.hits });
  } catch (e) {
    results.failures.push({ who: 'og-edge', error: e.message });
    log(`og-edge FAILED: ${e.message}`);
  }
  for (const key of opt.peers.split(',').map((s) => s.trim()).filter(Boolean)) {
    const peer = PEERS[key];
    if (!peer) {
      results.failures.push({ who: key, error: `unknown peer (known: ${Object.keys(PEERS).join(', ')})` });
      continue;
    }
    log(`${peer.label}`);
    try {
      results.peers.push({ key, label: peer.label, runtime: peer.runtime, versions: peer.versions(), ...(await peer.bench(common)) });
    } catch (e) {
      results.failures.push({ who: peer.label, error: e.message });
      log(`${peer.label} FAILED: ${e.message}`);
    }
  }
} finally {
  await stopAll();
  release();
}

Object.assign(results, {
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  machine: {
    node: process.version,
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    loadBefore,
    loadAfter: loadavg().map((x) => x.toFixed(2)).join('/'),
  },
  settings,
  totalS: (performance.now() - t0) / 1000,
});
const md = renderMarkdown(results);
writeFileSync(opt.out, md);
if (opt.out === DEFAULT_OUT) updateReadme(md);
// The PNGs and raw samples, for a closer look; bench/out/ is not committed.
const outDir = join(ROOT, 'bench/out');
mkdirSync(outDir, { recursive: true });
for (const [who, cards] of [['og-edge', results.ours?.cards], ...results.peers.map((p) => [p.key, p.cards])]) {
  for (const [key, c] of Object.entries(cards ?? {})) writeFileSync(join(outDir, `${key}-${who}.png`), c.png);
}
writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, (k, val) => (k === 'png' ? val.length : val), 2));
console.log(md);
log(`wrote ${opt.out}; PNGs and samples in bench/out/`);
process.exit(results.failures.length ? 1 : 0);
