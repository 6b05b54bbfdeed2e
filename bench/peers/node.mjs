// Peers that run in Node (@vercel/og, satori + @resvg/resvg-js), each in its
// own child process so one peer's JIT and heap never help another's. The
// child renders on request (one JSON line in, one out) and times itself
// in-process with performance.now(): no HTTP hop, unlike the workerd figures.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { track } from '../lib/cleanup.mjs';

const CHILD = fileURLToPath(new URL('./node-child.mjs', import.meta.url));

export function nodePeer({ name }) {
  return {
    /** A fresh process; `render(key, i)` resolves { ms, cpu, body } (the PNG only when `png` is set). */
    async start() {
      const proc = spawn(process.execPath, [CHILD, name], { stdio: ['pipe', 'pipe', 'pipe'] });
      const stop = track(`node ${name}`, async () => proc.kill('SIGKILL'), () => proc.kill('SIGKILL'));
      let err = '';
      proc.stderr.on('data', (d) => (err += d));
      const waiting = [];
      createInterface({ input: proc.stdout }).on('line', (line) => waiting.shift()?.resolve(line));
      proc.on('close', (code) => {
        for (const w of waiting.splice(0)) w.reject(new Error(`node-child ${name} exited ${code}: ${err.slice(-1500)}`));
      });
      const ask = (msg) =>
        new Promise((resolve, reject) => {
          waiting.push({ resolve, reject });
          proc.stdin.write(`${JSON.stringify(msg)}\n`);
        });
      return {
        async render(key, i, png = false) {
          const out = JSON.parse(await ask({ key, i, png }));
          if (out.error) throw new Error(`${name} ${key}: ${out.error}`);
          return { ms: out.ms, cpu: out.cpu, body: out.png ? Buffer.from(out.png, 'base64') : undefined };
        },
        stop,
      };
    },
  };
}
