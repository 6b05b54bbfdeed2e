// Turns one run's figures into bench/results.md: the comparison table (ours
// first, then each peer, per card, with ratios to ours), the targets from
// issue 5 with whether each is met, and the notes needed to read them.
import { decode } from 'fast-png';
import { CARDS } from './cards.mjs';
import { bytes, median, ms, pct, ratio } from './lib/stats.mjs';

/** Decodes a PNG to 8-bit RGBA (takumi writes indexed and RGB PNGs, satori/resvg RGBA). */
function rgba(png) {
  const d = decode(png);
  if (d.depth !== 8) throw new Error(`bit depth ${d.depth}`);
  const px = d.width * d.height;
  const out = new Uint8Array(px * 4);
  for (let i = 0; i < px; i++) {
    const src = d.palette ? d.palette[d.data[i]] : d.data.subarray(i * d.channels, (i + 1) * d.channels);
    const gray = !d.palette && d.channels <= 2;
    out[i * 4] = src[0];
    out[i * 4 + 1] = gray ? src[0] : src[1];
    out[i * 4 + 2] = gray ? src[0] : src[2];
    out[i * 4 + 3] = d.palette ? (src[3] ?? 255) : d.channels === 4 ? src[3] : d.channels === 2 ? src[1] : 255;
  }
  return { width: d.width, height: d.height, data: out };
}

/** Share of pixels whose RGBA differs from ours by more than 16 in any channel. */
export function pixelsDiffer(ours, theirs) {
  try {
    const a = rgba(ours);
    const b = rgba(theirs);
    if (a.width !== b.width || a.height !== b.height) return `size ${b.width}×${b.height}`;
    let differ = 0;
    for (let i = 0; i < a.data.length; i += 4) {
      for (let c = 0; c < 4; c++) {
        if (Math.abs(a.data[i + c] - b.data[i + c]) > 16) {
          differ++;
          break;
        }
      }
    }
    return `${((differ / (a.width * a.height)) * 100).toFixed(1)} %`;
  } catch (e) {
    return `undecodable (${e.message})`;
  }
}

/** The issue's targets, each { what, measured, met }; `met` is undefined when a figure is missing. */
export function targets(r) {
  const ours = r.ours?.cards?.blog;
  const peer = (key) => r.peers.find((p) => p.key === key)?.cards?.blog;
  const p50 = (c) => (c ? median(c.samples) : NaN);
  const check = (value, limit, fmt) => ({ measured: fmt(value), met: Number.isFinite(value) ? value <= limit : undefined });
  const vs = (key) => p50(ours) / p50(peer(key));
  return [
    { what: 'uncached blog card ≤ 0.4× workers-og (p50)', ...check(vs('workers-og'), 0.4, (v) => `${v.toFixed(2)}×`) },
    { what: 'uncached blog card ≤ 1.5× takumi (p50)', ...check(vs('takumi'), 1.5, (v) => `${v.toFixed(2)}×`) },
    { what: 'cache hit p99 ≤ 3 ms at 50 concurrent clients (blog card)', ...check(ours ? pct(ours.hit50, 99) : NaN, 3, (v) => `${ms(v)} ms`) },
    { what: 'first request of a fresh isolate ≤ 250 ms (blog card)', ...check(r.ours?.firstMs ?? NaN, 250, (v) => `${ms(v)} ms`) },
    {
      what: 'blog card PNG ≤ 0.5× resvg’s default bytes',
      ...check(ours && peer('resvg-js') ? ours.png.length / peer('resvg-js').png.length : NaN, 0.5, (v) => `${v.toFixed(2)}×`),
    },
    { what: 'bundle ≤ 2 MiB gzip', ...check(r.bundle ? r.bundle.gzipKiB / 1024 : NaN, 2, (v) => `${v.toFixed(2)} MiB`) },
  ];
}

const cell = (s) => String(s).replace(/\|/g, '\\|');

export function renderMarkdown(r) {
  const L = [];
  const row = (...cells) => L.push(`| ${cells.map(cell).join(' | ')} |`);
  L.push('# Benchmark results');
  L.push('');
  L.push(
    `Written by \`npm run bench\` on ${r.date}: Node ${r.machine.node}, ${r.machine.cpu}, ${r.machine.cores} cores, ` +
      `load average ${r.machine.loadBefore} before, ${r.machine.loadAfter} after. One run; ${r.settings.n} timed renders per ` +
      `card and renderer after ${r.settings.warmup} warm-up, first requests are the median of ${r.settings.cold} fresh ` +
      `isolates or processes. Total ${Math.round(r.totalS)} s.`,
  );
  L.push('');
  L.push('| card | renderer | runs in, timed | p50 ms | p99 ms | ours ÷ this, p50 | first request ms | PNG bytes | ours ÷ this, bytes | pixels ≠ ours |');
  L.push('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [key, card] of Object.entries(CARDS)) {
    const ours = r.ours?.cards?.[key];
    const first = key === 'blog';
    if (ours) {
      const p = median(ours.samples);
      row(card.label, '**og-edge**, uncached', 'workerd (Miniflare), client over loopback', ms(p), ms(pct(ours.samples, 99)), '1×',
        first ? ms(r.ours.firstMs) : '', bytes(ours.png.length), '1×', '');
      row('', 'og-edge, cache hit, 1 client', 'same', ms(median(ours.hit1)), ms(pct(ours.hit1, 99)), '', '', '', '', '');
      row('', `og-edge, cache hit, ${r.settings.hits.clients} clients`, `same (${Math.round(ours.hit50Rps)} req/s)`,
        ms(median(ours.hit50)), ms(pct(ours.hit50, 99)), '', '', '', '', '');
    } else {
      row(card.label, '**og-edge**: FAILED', '', '', '', '', '', '', '', '');
    }
    for (const peer of r.peers) {
      const c = peer.cards?.[key];
      if (!c) continue;
      const p = median(c.samples);
      row('', peer.label, peer.runtime, ms(p), ms(pct(c.samples, 99)), ours ? ratio(median(ours.samples), p) : 'n/a',
        first ? ms(peer.firstMs) : '', bytes(c.png.length), ours ? ratio(ours.png.length, c.png.length) : 'n/a',
        ours ? pixelsDiffer(ours.png, c.png) : 'n/a');
    }
  }
  for (const f of r.failures) row('', `${f.who}: FAILED`, f.error.split('\n')[0].slice(0, 160), '', '', '', '', '', '', '');
  if (r.bundle) {
    row('deployable bundle', 'og-edge', '`wrangler deploy --dry-run`', '', '', '', '', `${r.bundle.gzipKiB.toFixed(0)} KiB gzip`,
      '', `${r.bundle.totalKiB.toFixed(0)} KiB raw`);
  }
  L.push('');
  L.push('## Targets (issue 5)');
  L.push('');
  L.push('| target | measured | met |');
  L.push('| --- | ---: | :---: |');
  for (const t of targets(r)) row(t.what, t.measured, t.met === undefined ? 'n/a' : t.met ? 'yes' : 'no');
  L.push('');
  L.push('## Reading it');
  L.push('');
  for (const note of notes(r)) L.push(`- ${note}`);
  L.push('');
  return L.join('\n');
}

function notes(r) {
  const n = [];
  const o = r.ours;
  n.push(
    '**og-edge** is the bundle `wrangler deploy --dry-run` builds, run by Miniflare with the bindings wrangler reads from ' +
      '`wrangler.toml`, D1 migrated and seeded in a temp dir, Cache API in memory. **Uncached** = every timed request is for ' +
      'a slug never requested before (copies of the `hello-edge` post in the bench’s own D1; icons take any slug), at the ' +
      'versioned URL `/metadata` lists, as a crawler fetches it; each answered `X-Cache: miss`. **Cache hit** = the same ' +
      'versioned URL again and again, each answered from a cache tier (`X-Cache: memory`, the isolate’s own memory, or ' +
      '`hit`, the Cache API)' +
      (o?.cards?.blog?.hitTiers ? `; blog card hits at 50 clients: ${Object.entries(o.cards.blog.hitTiers).map(([k, v]) => `${v} ${k}`).join(', ')}.` : '.'),
  );
  n.push(
    'workerd figures (og-edge, workers-og, takumi) are timed by the client until the last body byte, over keep-alive ' +
      'loopback HTTP (~0.5 ms of it is transport); Node figures (@vercel/og, satori + resvg-js) are in-process ' +
      '`performance.now()` with no HTTP at all. The client shares the 2 cores with the server.',
  );
  if (o?.cards?.blog?.timing) {
    const t = o.cards.blog.timing;
    n.push(
      `og-edge’s own Server-Timing for an uncached blog card (median): satori ${ms(t.satori)} ms, raster (resvg + PNG) ` +
        `${ms(t.raster)} ms. Indicative only: workerd’s clock advances at I/O, not during computation.`,
    );
  }
  if (o) {
    n.push(
      `First request = the first request a fresh workerd gets, for a blog card no one has asked for; workerd’s own start before ` +
        `it (compiling the bundle and its wasm) took a median ${ms(o.startupMs)} ms more for og-edge. Fresh-isolate firsts: ` +
        `${o.firsts.map(ms).join(', ')} ms.`,
    );
  }
  const blog = o?.cards?.blog;
  const c = r.settings.hits.clients;
  n.push(
    `Cache hits at ${c} clients: ${c} closed-loop clients on one local isolate, so latency is mostly queueing: by Little’s law ` +
      `the mean is clients ÷ throughput` +
      (blog ? ` (${c} ÷ ${Math.round(blog.hit50Rps)} req/s = ${ms((c / blog.hit50Rps) * 1000)} ms for the blog card), and a p99 of 3 ms at ${c} ` +
        `clients would need over ${Math.round(c / 0.003).toLocaleString('en')} req/s from one isolate with the client on the same 2 cores` : '') +
      '. ' +
      (blog?.hit50Server?.length
        ? `Inside the Worker (Server-Timing total) those hits took p50 ${ms(median(blog.hit50Server))} ms, p99 ` +
          `${ms(pct(blog.hit50Server, 99))} ms. `
        : '') +
      'In production hits spread over many isolates and locations.',
  );
  n.push(
    '**Chinese-title card:** the peers get Inter plus the Noto Sans SC subsets (from @fontsource/noto-sans-sc) that cover the ' +
      'title, author and tag; og-edge renders the same `blog` route with a Chinese post from the bench’s D1 and finds its ' +
      'Noto Sans SC subsets in its static assets. Older satori (workers-og, @vercel/og) places CJK text differently.',
  );
  n.push(
    '“pixels ≠ ours” is the share of pixels differing by more than 16 in a channel from og-edge’s PNG: it shows that the ' +
      'element trees in `bench/cards.mjs` still match the routes (satori + resvg-js should be ~0 %). Other engines ' +
      'anti-alias and place text differently, so a few percent there is expected.',
  );
  n.push(
    'p99 is nearest-rank: with fewer than 100 samples it is the slowest one. One run on a shared 2-core machine (see the ' +
      'load averages): p99s and first requests move by up to ~1.5× between runs, p50s much less. Rerun before reading a ' +
      'small change as a regression.',
  );
  for (const p of r.peers) if (p.versions) n.push(`${p.label}: ${p.versions}.`);
  return n;
}
