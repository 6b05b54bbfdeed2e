// One Miniflare (workerd) instance on 127.0.0.1 with a random port, tracked
// for cleanup. `startupMs` runs from the constructor to `ready`: workerd's
// start, including compiling the Worker's modules and wasm.
import { Log, LogLevel, Miniflare } from 'miniflare';
import { performance } from 'node:perf_hooks';
import { track } from './cleanup.mjs';

export async function startMiniflare(name, options) {
  const t0 = performance.now();
  const mf = new Miniflare({
    ...options,
    name,
    modules: true,
    host: '127.0.0.1',
    port: 0,
    cf: false, // no fetch of workers.cloudflare.com/cf.json: the bench is offline
    log: new Log(LogLevel.WARN),
    // Worker console output is swallowed: workers-og logs several lines per render.
    handleRuntimeStdio(stdout, stderr) {
      if (process.env.BENCH_STDIO) {
        stdout.pipe(process.stderr);
        stderr.pipe(process.stderr);
      } else {
        stdout.resume();
        stderr.resume();
      }
    },
  });
  const stop = track(`miniflare ${name}`, () => mf.dispose());
  try {
    const url = await mf.ready;
    return { mf, base: url.href.replace(/\/$/, ''), startupMs: performance.now() - t0, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
