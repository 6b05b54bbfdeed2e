// Peers that run inside workerd (workers-og, takumi): each is bundled, then
// served by Miniflare and timed from the client over loopback, exactly as
// our service is. "First request" is the first render (the blog card) of a
// fresh Miniflare, median of `cold` fresh instances.
import { join } from 'node:path';
import { expectPng, get } from '../lib/http.mjs';
import { timeRenders } from '../lib/measure.mjs';
import { startMiniflare } from '../lib/miniflare.mjs';
import { median } from '../lib/stats.mjs';
import { CARDS } from '../cards.mjs';
import { buildPeer, MODULE_RULES } from './build.mjs';

export const COMPATIBILITY_DATE = '2026-04-20'; // as wrangler.toml

/** Resolves { firstMs, firsts, startupMs, cards: { [key]: { samples, png } } }. */
export async function benchWorkerdPeer({ name, fontExt, tmp, warmup, n, cold, log }) {
  const outdir = join(tmp, 'peers', name);
  const scriptPath = await buildPeer(name, outdir, fontExt);
  const options = { scriptPath, modulesRoot: outdir, modulesRules: MODULE_RULES, compatibilityDate: COMPATIBILITY_DATE };
  const firsts = [];
  const startups = [];
  const cards = {};
  for (let k = 0; k < cold; k++) {
    const srv = await startMiniflare(`${name}-${k}`, options);
    try {
      startups.push(srv.startupMs);
      firsts.push(expectPng(await get(`${srv.base}/card/blog?cold=${k}`), `${name} first request`).ms);
      if (k > 0) continue;
      for (const key of Object.keys(CARDS)) {
        log(`  ${name}: ${key}`);
        const { samples, last } = await timeRenders({
          // A query string per request: nothing caches these, but no request repeats either.
          urlFor: (i) => `${srv.base}/card/${key}?i=${i}`,
          warmup,
          n,
          label: `${name} ${key}`,
        });
        cards[key] = { samples, png: last.body };
      }
    } finally {
      await srv.stop();
    }
  }
  return { firstMs: median(firsts), firsts, startupMs: median(startups), cards };
}
