// Peers that run inside workerd (workers-og, takumi): each is bundled, then
// served by Miniflare and timed from the client over loopback, exactly as
// our service is. GET /card/<key>?i=<n> draws card <key> (bench/cards.mjs);
// nothing caches these, and no request repeats.
import { join } from 'node:path';
import { agent, expectPng, get } from '../lib/http.mjs';
import { pidOnPort } from '../lib/cpu.mjs';
import { startMiniflare } from '../lib/miniflare.mjs';
import { buildPeer, MODULE_RULES } from './build.mjs';

export const COMPATIBILITY_DATE = '2026-04-20'; // as wrangler.toml

/** Bundles peer `name` once; resolves a factory of fresh instances. */
export async function workerdPeer({ name, fontExt, tmp }) {
  const outdir = join(tmp, 'peers', name);
  const scriptPath = await buildPeer(name, outdir, fontExt);
  const options = { scriptPath, modulesRoot: outdir, modulesRules: MODULE_RULES, compatibilityDate: COMPATIBILITY_DATE };
  let count = 0;
  return {
    /** A fresh isolate; `render(key, i)` resolves the response. */
    async start() {
      const srv = await startMiniflare(`${name}-${count++}`, options);
      const a = agent(1);
      return {
        startupMs: srv.startupMs,
        pid: pidOnPort(new URL(srv.base).port),
        render: async (key, i) => expectPng(await get(`${srv.base}/card/${key}?i=${i}`, { agent: a }), `${name} ${key} ${i}`),
        async stop() {
          a.destroy();
          await srv.stop();
        },
      };
    },
  };
}
