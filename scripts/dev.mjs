#!/usr/bin/env node
// `npm run dev`: the local D1 migrated and seeded (when wrangler.toml binds
// one), then `wrangler dev` with the gallery on (its [build] writes the
// generated files). Nothing here waits at a prompt.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseCli } from './cli.mjs';
import { prepareLocalD1, ROOT, wranglerEnv } from './d1.mjs';

const { values, fail } = parseCli({
  name: 'dev',
  usage: `usage: npm run dev -- [--port 8787] [--ip 127.0.0.1] [--no-seed] [--persist-to dir]

  Serves the Worker at http://<ip>:<port>/ with the gallery on, reloading on
  changes to routes/, src/ and public/.
  --port n           port (default 8787)
  --ip addr          address to listen on (default 127.0.0.1)
  --no-seed          do not load seed/*.sql into the local D1
  --persist-to dir   local state folder (default: wrangler's, .wrangler/state)`,
  options: {
    port: { type: 'string', default: '8787' },
    ip: { type: 'string', default: '127.0.0.1' },
    'no-seed': { type: 'boolean' },
    'persist-to': { type: 'string' },
  },
});
if (!/^\d{1,5}$/.test(values.port)) fail(`--port must be a port number, not "${values.port}"`);
const persist = values['persist-to'] ? ['--persist-to', resolve(values['persist-to'])] : [];

process.stdout.write('Preparing the local D1… ');
try {
  console.log(await prepareLocalD1({ persistTo: persist[1], seed: !values['no-seed'] }));
} catch (e) {
  console.error(`\ndev: ${e.message}`);
  process.exit(1);
}

const args = ['dev', '--ip', values.ip, '--port', values.port, '--var', 'ENVIRONMENT:development', ...persist];
const child = spawn(join(ROOT, 'node_modules/.bin/wrangler'), args, { cwd: ROOT, env: wranglerEnv(), stdio: 'inherit' });
// Ctrl-C reaches wrangler through the terminal; pass on anything else.
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
