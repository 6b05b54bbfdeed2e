// Runs the Worker locally the way `npm run dev` does (`wrangler dev`, with
// the local D1 migrated and seeded when wrangler.toml binds one), on a free
// loopback port, for the render CLI and the browser test. Same bundle, same
// workerd, same code.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './d1.mjs';

export { ROOT };
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');

/** wrangler keeps its config under .wrangler/ and sends no metrics. */
function wranglerEnv(cwd) {
  return { ...process.env, XDG_CONFIG_HOME: join(cwd, '.wrangler/xdg'), WRANGLER_SEND_METRICS: 'false', CI: '1', NO_COLOR: '1' };
}

// The D1 steps live in d1.mjs (shared with `npm run dev` and `npm run deploy`).
export { prepareLocalD1 } from './d1.mjs';

export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

/**
 * Starts `wrangler dev` on 127.0.0.1 and resolves once it answers. `vars`
 * are passed as `--var NAME:value`. Call `stop()` when done.
 */
export async function startDevServer({ cwd = ROOT, persistTo, vars = {}, timeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(await freePort())];
  if (persistTo) args.push('--persist-to', persistTo);
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  let log = '';
  const child = spawn(WRANGLER, args, { cwd, env: wranglerEnv(cwd), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise((resolvePromise) => {
      if (exited) return resolvePromise();
      child.once('exit', () => resolvePromise());
      // wrangler starts workerd as a child: end the whole process group.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 5000).unref();
    });

  const end = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`wrangler dev exited before serving\n${log}`);
    const ok = await fetch(`${url}/robots.txt`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > end) {
      await stop();
      throw new Error(`wrangler dev did not answer within ${timeoutMs} ms\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, stop, log: () => log };
}
