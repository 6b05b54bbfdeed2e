#!/usr/bin/env node
// `npm run bench`: our service and its peers render the same seven cards,
// interleaved request by request, in one bounded run; prints one table and
// writes bench/results.md.
//
//   npm run bench -- --memory [--renders 1000 --clients 10]   (bench/memory.mjs)
//   npm run bench -- --profile <card> [--renders 30 | --first]          (bench/profile.mjs)
//   npm run bench [-- --n 20 --rounds 3 --warmup 3 --cold 3 --peers workers-og,vercel-og,takumi,resvg-js
//                     --cards blog,gradient,photo,cover,emoji,intl,stats --out bench/results.md --budget-s 900]
//
// Every renderer runs at once (one instance each) and they take turns: for
// each request number, each renderer draws the same card once, in an order
// that rotates, so a slow moment of the shared machine lands on all of them
// alike. `--rounds` passes over all cards give one og-edge ÷ peer ratio each;
// the report gives their median and spread. Cold starts are measured apart,
// on fresh isolates (workerd) or processes (Node), for every card.
//
// The bench talks only to 127.0.0.1, and every process, Miniflare and temp dir
// it starts is stopped on the way out, including on error, Ctrl-C and budget
// expiry. This is a script, not a test: it asserts nothing about timings.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCli } from '../scripts/cli.mjs';
import { CARDS } from './cards.mjs';
import { guard, stopAll, tempDir } from './lib/cleanup.mjs';
import { cpuMs, pidOnPort } from './lib/cpu.mjs';
import { buildBenchBundle, buildBundle, coldOurs, hitsOurs, oursRenderer, prepareD1, ROOT, serverTiming, startOurs } from './ours.mjs';
import { nodePeer } from './peers/node.mjs';
import { workerdPeer } from './peers/workerd.mjs';
import { renderMarkdown } from './report.mjs';

const DEFAULT_OUT = join(ROOT, 'bench/results.md');

const { values: opt } = parseCli({
  name: 'bench',
  usage: `usage: npm run bench -- [--n 20] [--rounds 3] [--warmup 3] [--cold 3]
                          [--peers workers-og,vercel-og,takumi,resvg-js]
                          [--cards blog,gradient,photo,cover,emoji,intl,stats]
                          [--out bench/results.md] [--budget-s 900]
       npm run bench -- --memory [--renders 1000 --clients 10] [--snapshot]
       npm run bench -- --profile <card> [--renders 30 | --first]

  Renders the same cards with og-edge and its peers, interleaved; prints one
  table and writes it to --out (bench/results.md by default).`,
  options: {
    n: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    cold: { type: 'string', default: '3' },
    peers: { type: 'string', default: 'workers-og,vercel-og,takumi,resvg-js' },
    cards: { type: 'string', default: Object.keys(CARDS).join(',') },
    out: { type: 'string', default: DEFAULT_OUT },
    'budget-s': { type: 'string', default: '900' },
    // Memory mode (bench/memory.mjs): one isolate's live heap over many cards.
    memory: { type: 'boolean', default: false },
    snapshot: { type: 'boolean', default: false },
    // Profile mode (bench/profile.mjs): where one card's time goes.
    profile: { type: 'string' },
    first: { type: 'boolean', default: false },
    renders: { type: 'string' },
    clients: { type: 'string', default: '10' },
  },
});
if (opt.memory) {
  await (await import('./memory.mjs')).main({ cards: Number(opt.renders ?? 1000), clients: Number(opt.clients), snapshot: opt.snapshot });
  process.exit(0);
}
if (opt.profile) {
  await (await import('./profile.mjs')).main({ card: opt.profile, renders: Number(opt.renders ?? 30), first: opt.first });
  process.exit(0);
}
const settings = {
  n: Number(opt.n),
  rounds: Math.max(1, Number(opt.rounds)),
  warmup: Number(opt.warmup),
  cold: Math.max(1, Number(opt.cold)),
  cards: opt.cards.split(',').map((s) => s.trim()).filter((k) => CARDS[k]),
  hits: { warmup: 20, n1: 200, clients: 50, perClient: 20 },
};

const pkg = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
const v = (name) => pkg(name).version;

/** The peers, in table order; versions are read from what is installed. */
const PEERS = {
  'workers-og': {
    label: `workers-og ${v('workers-og')}`,
    runtime: 'workerd (Miniflare), client over loopback',
    versions: () => `bundles satori ${v('workers-og/node_modules/satori')}, @resvg/resvg-wasm ${v('workers-og/node_modules/@resvg/resvg-wasm')}; fonts passed as WOFF; emoji from a CDN, unreachable offline`,
    make: (o) => workerdPeer({ ...o, name: 'workers-og', fontExt: 'woff' }),
  },
  'vercel-og': {
    label: `@vercel/og ${v('@vercel/og')}`,
    runtime: 'Node, in-process (resvg-wasm)',
    versions: () => `its Node entry, bundling satori ${pkg('@vercel/og').dependencies.satori} and @resvg/resvg-wasm ${pkg('@vercel/og').dependencies['@resvg/resvg-wasm']}; fonts passed as WOFF; emoji from a CDN, unreachable offline`,
    make: (o) => nodePeer({ ...o, name: 'vercel-og' }),
  },
  takumi: {
    label: `@takumi-rs/wasm ${v('@takumi-rs/wasm')}`,
    runtime: 'workerd (Miniflare), client over loopback',
    versions: () => `with @takumi-rs/helpers ${v('@takumi-rs/helpers')} (fromJsx, extractEmojis with the Twemoji files passed as images); the same fonts as WOFF2, since it rejects WOFF 1`,
    make: (o) => workerdPeer({ ...o, name: 'takumi', fontExt: 'woff2' }),
  },
  'resvg-js': {
    label: `satori ${v('satori')} + @resvg/resvg-js ${v('@resvg/resvg-js')}`,
    runtime: 'Node, in-process (native resvg)',
    versions: () => 'the same satori as og-edge (Twemoji from @twemoji/svg) with native resvg and its default PNG encoding: the floor of this algorithm on this CPU',
    make: (o) => nodePeer({ ...o, name: 'resvg-js' }),
  },
};

const log = (s) => process.stderr.write(`${s}\n`);
const release = guard(Number(opt['budget-s']));
const t0 = performance.now();
const loadBefore = loadavg().map((x) => x.toFixed(2)).join('/');
const tmp = mkdtempSync(join(tmpdir(), 'og-edge-bench-'));
tempDir(tmp);
const results = { peers: [], failures: [], cards: settings.cards };

/** One per renderer: { key, label, runtime, cold: { [card]: ms[] }, rounds: [{ [card]: ms[] }], png: { [card]: Buffer } }. */
const entries = [];
const failed = (who, e) => {
  results.failures.push({ who, error: e.message });
  log(`${who} FAILED: ${e.message}`);
};

try {
  log('og-edge: building the bundle (wrangler deploy --dry-run)');
  results.bundle = await buildBundle(tmp);
  log('og-edge: building the bench bundle (the service plus bench/routes/)');
  const bundle = await buildBenchBundle(tmp);
  log('og-edge: local D1 in a temp dir');
  const tags = [];
  for (let r = 0; r < settings.rounds; r++) for (let i = 0; i < settings.warmup + settings.n; i++) tags.push(`${r}-${i}`);
  tags.push('hit', ...Array.from({ length: settings.cold }, (_, k) => `cold-${k}`));
  const state = await prepareD1(tmp, tags);

  // Each renderer as { key, label, start() → { render(card, tag) → { ms, body }, stop } }.
  const ours = {
    key: 'og-edge',
    label: '**og-edge**, uncached',
    runtime: 'workerd (Miniflare), client over loopback',
    timing: {},
    async start() {
      const srv = await startOurs(bundle, state, 'og-edge');
      const r = oursRenderer(srv);
      this.server = srv;
      return {
        pid: pidOnPort(new URL(srv.base).port),
        render: async (card, tag) => {
          const res = await r.render(card, tag);
          const t = serverTiming(res);
          ((this.timing[card] ??= { satori: [], raster: [] }).satori).push(t.satori);
          this.timing[card].raster.push(t.raster);
          return res;
        },
        stop: async () => {
          r.close();
          await srv.stop();
        },
      };
    },
  };
  const renderers = [ours];
  for (const key of opt.peers.split(',').map((s) => s.trim()).filter(Boolean)) {
    const peer = PEERS[key];
    if (!peer) {
      results.failures.push({ who: key, error: `unknown peer (known: ${Object.keys(PEERS).join(', ')})` });
      continue;
    }
    try {
      const made = await peer.make({ tmp });
      renderers.push({ key, label: peer.label, runtime: peer.runtime, versions: peer.versions(), start: () => made.start() });
    } catch (e) {
      failed(peer.label, e);
    }
  }
  for (const r of renderers) entries.push({ r, key: r.key, label: r.label, runtime: r.runtime, versions: r.versions, cold: {}, rounds: [], png: {}, startups: [] });

  // Cold starts: a fresh isolate or process per card and renderer, its first render timed.
  for (const card of settings.cards) {
    for (let k = 0; k < settings.cold; k++) {
      log(`cold start ${card} ${k + 1}/${settings.cold}`);
      for (const e of entries) {
        try {
          if (e.key === 'og-edge') {
            const c = await coldOurs(bundle, state, card, k);
            (e.cold[card] ??= []).push(c.ms);
            e.startups.push(c.startupMs);
            continue;
          }
          const inst = await e.r.start();
          try {
            const res = await inst.render(card, `cold-${k}`);
            (e.cold[card] ??= []).push(res.ms);
            if (inst.startupMs) e.startups.push(inst.startupMs);
          } finally {
            await inst.stop();
          }
        } catch (err) {
          failed(`${e.label} cold ${card}`, err);
        }
      }
    }
  }

  // The interleaved rounds, one live instance per renderer.
  for (const e of entries) {
    try {
      e.inst = await e.r.start();
    } catch (err) {
      failed(e.label, err);
    }
  }
  const live = entries.filter((e) => e.inst);
  for (let round = 0; round < settings.rounds; round++) {
    const samples = Object.fromEntries(live.map((e) => [e.key, {}]));
    // CPU per render: the server process's CPU time over the timed requests
    // (workerd), or the child's own count per render (Node).
    const cpu = Object.fromEntries(live.map((e) => [e.key, {}]));
    for (const card of settings.cards) {
      log(`round ${round + 1}/${settings.rounds}: ${card}`);
      const cpuStart = {};
      for (let i = 0; i < settings.warmup + settings.n; i++) {
        const last = round === settings.rounds - 1 && i === settings.warmup + settings.n - 1;
        if (i === settings.warmup) for (const e of live) cpuStart[e.key] = e.inst.pid ? cpuMs(e.inst.pid) : 0;
        for (let j = 0; j < live.length; j++) {
          const e = live[(i + j) % live.length];
          if (e.dead?.[card]) continue;
          try {
            const res = await e.inst.render(card, `${round}-${i}`, last);
            if (i >= settings.warmup) {
              (samples[e.key][card] ??= []).push(res.ms);
              if (res.cpu !== undefined) cpuStart[e.key] -= res.cpu;
            }
            if (last || !e.png[card]) e.png[card] = res.body;
          } catch (err) {
            (e.dead ??= {})[card] = true;
            failed(`${e.label} ${card}`, err);
          }
        }
      }
      for (const e of live) {
        const used = e.inst.pid ? cpuMs(e.inst.pid) - cpuStart[e.key] : -cpuStart[e.key];
        if (!e.dead?.[card] && Number.isFinite(used)) cpu[e.key][card] = used / settings.n;
      }
    }
    for (const e of live) {
      e.rounds.push(samples[e.key]);
      (e.cpu ??= []).push(cpu[e.key]);
    }
  }
  log('og-edge: cache hits (blog card)');
  try {
    results.hits = await hitsOurs(ours.server, settings.hits);
  } catch (err) {
    failed('og-edge hits', err);
  }
  for (const e of live) await e.inst.stop();
  results.timing = ours.timing;
} finally {
  await stopAll();
  release();
}

for (const e of entries) delete e.r, delete e.inst;
Object.assign(results, {
  entries,
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
// The PNGs and raw samples, for a closer look; bench/out/ is not committed.
const outDir = join(ROOT, 'bench/out');
mkdirSync(outDir, { recursive: true });
for (const e of entries) for (const [card, png] of Object.entries(e.png)) if (png) writeFileSync(join(outDir, `${card}-${e.key}.png`), png);
writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, (k, val) => (k === 'png' ? undefined : val), 2));
console.log(md);
log(`wrote ${opt.out}; PNGs and samples in bench/out/`);
process.exit(results.failures.length ? 1 : 0);
