#!/usr/bin/env node
// `npm run bench -- --profile intl [--renders 30 | --first]`: where one card's time goes.
//
// The bench's bundle runs in one Miniflare with workerd's inspector on; after
// a warm-up, V8's sampling profiler records `renders` uncached renders of the
// card, and the functions with the most self time are printed, grouped as
// satori (JS), satori's layout and HarfBuzz (wasm), resvg (wasm) and ours.
// The full profile is written to bench/out/<card>.cpuprofile, which Chrome's
// DevTools (Performance tab) opens. A script, not a test.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connect } from './lib/cdp.mjs';
import { guard, stopAll, tempDir } from './lib/cleanup.mjs';
import { agent, expectPng, get } from './lib/http.mjs';
import { buildBenchBundle, buildBundle, OURS, prepareD1, ROOT, serverTiming, startOurs } from './ours.mjs';

const log = (s) => process.stderr.write(`${s}\n`);

/** Which engine a profile node's code belongs to, from its URL and name. */
function owner({ callFrame: { url, functionName } }) {
  if (/^wasm:\/\//.test(url)) return /resvg/i.test(url) ? 'resvg (wasm)' : url.replace(/^wasm:\/\/(wasm\/)?/, '').replace(/-[0-9a-f]+(\/|$).*/, '') + ' (wasm)';
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') return functionName;
  return 'JS';
}

function summarise(profile, renders) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    self.set(n, (self.get(n) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  const fns = new Map();
  const groups = new Map();
  for (const [n, ms] of self) {
    const { functionName, url, lineNumber } = n.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + ms);
    const g = owner(n);
    groups.set(g, (groups.get(g) ?? 0) + ms);
  }
  const per = (ms) => (ms / renders).toFixed(2).padStart(8);
  const rows = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
  return [
    `ms per render, by engine:`,
    ...rows(groups, 12).map(([g, ms]) => `${per(ms)}  ${g}`),
    '',
    `ms per render, top functions (self time):`,
    ...rows(fns, 40).map(([f, ms]) => `${per(ms)}  ${f}`),
  ].join('\n');
}

export async function profileCard({ card, renders = 30, warmup = 5, first = false }) {
  // --first: the first request of a fresh isolate, as the bench's first-request column times it.
  if (first) [renders, warmup] = [1, 0];
  const spec = OURS[card];
  if (!spec) throw new Error(`--profile: unknown card "${card}"; one of ${Object.keys(OURS).join(', ')}`);
  const tmp = mkdtempSync(join(tmpdir(), 'og-edge-profile-'));
  tempDir(tmp);
  log('profile: building the bundles');
  await buildBundle(tmp);
  const bundle = await buildBenchBundle(tmp);
  const tags = Array.from({ length: renders + warmup }, (_, i) => `p${i}`);
  const state = await prepareD1(tmp, tags);
  const port = 9229 + Math.floor(Math.random() * 500);
  const srv = await startOurs(bundle, state, `og-edge-profile-${card}`, {}, { inspectorPort: port, unsafeInspectorProxy: true });
  const inspector = await connect(port);
  const a = agent(1);
  const fetchCard = async (tag) => {
    if (first) return expectPng(await get(`${srv.base}/${spec.segment}/${spec.slug(tag)}/image/${spec.id}`, { agent: a }), `${card} ${tag}`);
    const meta = await get(`${srv.base}/${spec.segment}/${spec.slug(tag)}/metadata`, { agent: a });
    const url = JSON.parse(meta.body.toString()).find((i) => String(i.id) === spec.id).url;
    return expectPng(await get(url, { agent: a }), `${card} ${tag}`);
  };
  try {
    for (const tag of tags.slice(0, warmup)) await fetchCard(tag);
    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.setSamplingInterval', { interval: 100 });
    await inspector.send('Profiler.start');
    const timings = [];
    const t0 = performance.now();
    for (const tag of tags.slice(warmup)) timings.push(serverTiming(await fetchCard(tag)));
    const wall = performance.now() - t0;
    const { profile } = await inspector.send('Profiler.stop');
    const out = join(ROOT, 'bench/out');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `${card}${first ? '-cold' : ''}.cpuprofile`), JSON.stringify(profile));
    const avg = (k) => (timings.reduce((s, t) => s + (t[k] ?? 0), 0) / timings.length).toFixed(1);
    console.log(`# ${card}: ${first ? 'the first request of a fresh isolate' : `${renders} uncached renders`}, ${(wall / renders).toFixed(1)} ms each (wall, incl. /metadata)`);
    console.log(`Server-Timing means: satori ${avg('satori')} ms, raster ${avg('raster')} ms, total ${avg('total')} ms\n`);
    console.log(summarise(profile, renders));
    console.log(`\nfull profile: bench/out/${card}${first ? '-cold' : ''}.cpuprofile`);
  } finally {
    a.destroy();
    inspector.close();
    await srv.stop();
  }
}

export async function main(options) {
  const release = guard(900);
  try {
    await profileCard(options);
  } finally {
    await stopAll();
    release();
  }
}
