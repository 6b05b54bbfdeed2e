// Peers that run in Node (@vercel/og, satori + @resvg/resvg-js), each in a
// fresh child process so one peer's JIT and heap never help another's.
// "First request" is the first render in a fresh process (after imports:
// it includes wasm set-up and font parsing), median of `cold` processes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { track } from '../lib/cleanup.mjs';
import { median } from '../lib/stats.mjs';

const CHILD = fileURLToPath(new URL('./node-child.mjs', import.meta.url));

function child(args, timeoutMs = 180_000) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = track(`node ${args[0]}`, async () => proc.kill('SIGKILL'), () => proc.kill('SIGKILL'));
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('close', (code) => {
      clearTimeout(timer);
      stop();
      if (code !== 0) return reject(new Error(`node-child ${args.join(' ')} exited ${code}: ${err.slice(-1500)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch {
        reject(new Error(`node-child ${args.join(' ')}: unreadable output ${out.slice(-500)} ${err.slice(-500)}`));
      }
    });
  });
}

/** Resolves { firstMs, firsts, cards: { [key]: { samples, png } } }. */
export async function benchNodePeer({ name, warmup, n, cold, log }) {
  log(`  ${name}: all cards`);
  const main = await child([name, String(warmup), String(n)]);
  const firsts = [main.firstMs];
  for (let k = 1; k < cold; k++) firsts.push((await child([name, '0', '0'])).firstMs);
  const cards = Object.fromEntries(
    Object.entries(main.cards).map(([key, c]) => [key, { samples: c.samples, png: Buffer.from(c.png, 'base64') }]),
  );
  return { firstMs: median(firsts), firsts, cards };
}
