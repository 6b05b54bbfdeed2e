// Turns one run's figures into bench/results.md: which card is which, the
// comparison table (og-edge first, then each peer, per card, with per-round
// ratios to og-edge and their spread), the targets from issue 11 with whether
// each is met, and the notes needed to read them.
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

const p50 = (xs) => (xs?.length ? median(xs) : NaN);
const all = (e, card) => e.rounds.flatMap((r) => r[card] ?? []);

/** og-edge ÷ `peer` per round (p50 over p50), as { median, min, max }. */
export function roundRatios(ours, peer, card) {
  const rs = ours.rounds
    .map((r, i) => p50(r[card]) / p50(peer.rounds[i]?.[card]))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return rs.length ? { median: median(rs), min: rs[0], max: rs[rs.length - 1] } : undefined;
}

/** CPU ms per render: the median over rounds of each round's average. */
export const cpuOf = (e, card) => p50((e.cpu ?? []).map((r) => r[card]).filter(Number.isFinite));

const spread = (r) => (r ? `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})` : 'n/a');

/** Issue 11's targets, each { what, measured, met }; `met` is undefined when a figure is missing. */
export function targets(r) {
  const ours = r.entries.find((e) => e.key === 'og-edge');
  const peer = (key) => r.entries.find((e) => e.key === key);
  const out = [];
  const limits = { emoji: 2.5, photo: 2, stats: 2, gradient: 1.5, blog: 1.5, intl: 1.5 };
  for (const [card, limit] of Object.entries(limits)) {
    if (!r.cards.includes(card)) continue;
    const q = ours && peer('takumi') ? roundRatios(ours, peer('takumi'), card) : undefined;
    out.push({ what: `${CARDS[card].label}: og-edge ≤ ${limit}× takumi (uncached p50; median of rounds, spread)`, measured: spread(q), met: q ? q.median <= limit : undefined });
  }
  for (const card of r.cards) {
    const q = ours && peer('resvg-js') ? roundRatios(ours, peer('resvg-js'), card) : undefined;
    out.push({ what: `${CARDS[card].label}: no slower than satori + native resvg-js`, measured: spread(q), met: q ? q.median <= 1 : undefined });
  }
  const cold = p50(ours?.cold?.blog);
  out.push({ what: 'first request of a fresh isolate ≤ 250 ms (blog card)', measured: `${ms(cold)} ms`, met: Number.isFinite(cold) ? cold <= 250 : undefined });
  const hit = r.hits ? pct(r.hits.hit50, 99) : NaN;
  out.push({ what: 'cache hit p99 at 50 concurrent clients (blog card; issue 5: ≤ 3 ms)', measured: `${ms(hit)} ms`, met: Number.isFinite(hit) ? hit <= 3 : undefined });
  const gz = r.bundle ? r.bundle.gzipKiB / 1024 : NaN;
  out.push({ what: 'bundle ≤ 2 MiB gzip', measured: `${gz.toFixed(2)} MiB`, met: Number.isFinite(gz) ? gz <= 2 : undefined });
  return out;
}

const cell = (s) => String(s).replace(/\|/g, '\\|');

export function renderMarkdown(r) {
  const L = [];
  const row = (...cells) => L.push(`| ${cells.map(cell).join(' | ')} |`);
  const ours = r.entries.find((e) => e.key === 'og-edge');
  L.push('# Benchmark results');
  L.push('');
  L.push(
    `Written by \`npm run bench\` on ${r.date}: Node ${r.machine.node}, ${r.machine.cpu}, ${r.machine.cores} cores, ` +
      `load average ${r.machine.loadBefore} before, ${r.machine.loadAfter} after. ${r.settings.rounds} rounds of ${r.settings.n} ` +
      `timed renders per card and renderer (after ${r.settings.warmup} warm-up each), interleaved request by request; first ` +
      `requests are the median of ${r.settings.cold} fresh isolates or processes per card. Total ${Math.round(r.totalS)} s.`,
  );
  L.push('');
  L.push('The cards (element trees in `bench/cards.mjs`; og-edge draws them through `routes/blog.tsx` and `bench/routes/card.tsx`):');
  L.push('');
  const about = {
    blog: 'the example blog card: title, author, date over a gradient that is the same on every post',
    gradient: 'the blog card with a gradient of the post’s own hue (from its slug): a background that never repeats',
    photo: 'title on the left, a 477×720 JPEG cover photo on the right (object-fit: cover, rounded corners)',
    cover: 'the photo card with each post’s own photo (the same JPEG made a different file for every request): a photo never drawn before',
    emoji: 'a title with 8 emoji, a tag with one, and a row of 5 reactions (Twemoji)',
    intl: 'a 41-character Japanese title and its Arabic translation (right to left), Noto Sans JP and Arabic',
    stats: 'a repository card: name, description and 8 stat boxes, each with a 2 px rounded border',
  };
  for (const card of r.cards) L.push(`- **${CARDS[card].label}** (\`${card}\`): ${about[card] ?? ''}.`);
  L.push('');
  L.push('| card | renderer | runs in, timed | p50 ms | p99 ms | og-edge ÷ this, p50 (median of rounds, spread) | CPU ms per render | first request ms | PNG bytes | pixels ≠ og-edge |');
  L.push('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const card of r.cards) {
    let first = true;
    for (const e of r.entries) {
      const xs = all(e, card);
      const isOurs = e === ours;
      row(
        first ? CARDS[card].label : '',
        e.label,
        e.runtime,
        xs.length ? ms(p50(xs)) : 'FAILED',
        xs.length ? ms(pct(xs, 99)) : '',
        isOurs ? '1×' : ours ? spread(roundRatios(ours, e, card)) : 'n/a',
        ms(cpuOf(e, card)),
        ms(p50(e.cold[card])),
        e.png[card] ? bytes(e.png[card].length) : '',
        isOurs || !ours?.png[card] || !e.png[card] ? '' : pixelsDiffer(ours.png[card], e.png[card]),
      );
      first = false;
    }
  }
  if (r.hits) {
    row('blog card, cache hits', 'og-edge, 1 client', 'same', ms(median(r.hits.hit1)), ms(pct(r.hits.hit1, 99)), '', '', '', '', '');
    row('', `og-edge, ${r.settings.hits.clients} clients`, `same (${Math.round(r.hits.hit50Rps)} req/s)`, ms(median(r.hits.hit50)), ms(pct(r.hits.hit50, 99)), '', '', '', '', '');
  }
  for (const f of r.failures) row('', `${f.who}: FAILED`, f.error.split('\n')[0].slice(0, 160), '', '', '', '', '', '', '');
  if (r.bundle) row('deployable bundle', 'og-edge', '`wrangler deploy --dry-run`', '', '', '', '', '', `${r.bundle.gzipKiB.toFixed(0)} KiB gzip`, `${r.bundle.totalKiB.toFixed(0)} KiB raw`);
  L.push('');
  L.push('## Targets (issue 11)');
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
  const ours = r.entries.find((e) => e.key === 'og-edge');
  n.push(
    '**og-edge** is a bundle built by `wrangler deploy --dry-run` (the service plus the bench’s route module), run by Miniflare ' +
      'with the bindings wrangler reads from `wrangler.toml`, D1 migrated and seeded in a temp dir, Cache API in memory, ' +
      '`PRERENDER=off` (so that the `/metadata` call before each request does not render the image ahead). **Uncached** = ' +
      'every timed request is for a slug never requested before, at the versioned URL `/metadata` lists, as a crawler ' +
      'fetches it; each answered `X-Cache: miss`.',
  );
  n.push(
    'workerd figures (og-edge, workers-og, takumi) are timed by the client until the last body byte, over keep-alive ' +
      'loopback HTTP (~0.5 ms of it is transport); Node figures (@vercel/og, satori + resvg-js) are in-process ' +
      '`performance.now()` with no HTTP at all. The client shares the 2 cores with the servers.',
  );
  if (ours && r.timing) {
    const parts = r.cards
      .filter((c) => r.timing[c])
      .map((c) => `${c} ${ms(median(r.timing[c].satori.filter(Number.isFinite)))} + ${ms(median(r.timing[c].raster.filter(Number.isFinite)))}`);
    n.push(`og-edge’s own Server-Timing, median satori + raster (resvg and PNG) ms per card: ${parts.join('; ')}. Indicative only: workerd’s clock advances at I/O, not during computation.`);
    if (ours.startups.length) n.push(`A fresh og-edge workerd took a median ${ms(median(ours.startups))} ms to start (compiling the bundle and its wasm) before its first request.`);
  }
  if (r.hits) {
    const c = r.settings.hits.clients;
    n.push(
      `Cache hits at ${c} clients: ${c} closed-loop clients on one local isolate, so latency is mostly queueing (Little’s law: ` +
        `${c} ÷ ${Math.round(r.hits.hit50Rps)} req/s = ${ms((c / r.hits.hit50Rps) * 1000)} ms mean). Inside the Worker ` +
        `(Server-Timing total) those hits took p50 ${ms(median(r.hits.hit50Server))} ms, p99 ${ms(pct(r.hits.hit50Server, 99))} ms; tiers: ` +
        `${Object.entries(r.hits.hitTiers).map(([k, v]) => `${v} ${k}`).join(', ')}.`,
    );
  }
  n.push(
    '**CPU ms per render**: for workerd renderers, the CPU time (user + system, from /proc, 10 ms ticks) the server ' +
      'process used over a round’s timed requests, divided by their number (for og-edge this includes the untimed ' +
      '`/metadata` call before each image, a D1 query and the route’s metadata); for Node peers, `process.cpuUsage()` around ' +
      'each render. Median over rounds. Unlike wall time it does not count waiting for a core on a busy machine, and it is ' +
      'what Workers limits and bills.',
  );
  n.push(
    '**Emoji:** og-edge and satori + resvg-js draw Twemoji from @twemoji/svg; takumi gets the same files through its ' +
      '`extractEmojis` helper; workers-og and @vercel/og fetch emoji from a CDN, which this offline bench cannot reach, so ' +
      'their emoji card lacks the emoji and its times are not comparable.',
  );
  n.push(
    '“pixels ≠ og-edge” is the share of pixels differing by more than 16 in a channel from og-edge’s PNG: satori + resvg-js ' +
      'should be ~0 % (it shows the element trees still match the routes). Other engines anti-alias and place text ' +
      'differently, so a few percent there is expected.',
  );
  n.push(
    'p99 is nearest-rank over all rounds. One run on a shared 2-core machine (see the load averages): absolute times move ' +
      'between runs, the interleaved ratios much less; the spread shows how much they moved between rounds.',
  );
  for (const e of r.entries) if (e.versions) n.push(`${e.label}: ${e.versions}.`);
  return n;
}
