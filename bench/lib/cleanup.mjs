// Everything the bench starts (Miniflare instances, child processes, temp
// directories) is registered here and torn down on the way out: on success,
// on error, on Ctrl-C / SIGTERM, and when the time budget runs out. A bench
// that leaves a workerd behind skews the next run, so this is not optional.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const live = new Set();

/**
 * Registers a resource; returns a function that stops it (once) and
 * unregisters it. `stopSync`, when given, is the fallback run at process
 * exit: Miniflare installs its own SIGINT/SIGTERM hook that ends the process
 * before an async stop could finish (it does kill its own workerd), so
 * children and temp dirs must also be cleanable synchronously.
 */
export function track(name, stop, stopSync) {
  const entry = { name, stop, stopSync, done: false };
  live.add(entry);
  return async () => {
    if (entry.done) return;
    entry.done = true;
    live.delete(entry);
    await stop();
  };
}

export async function stopAll() {
  // Last started, first stopped: a server goes before the temp dir it uses.
  for (const entry of [...live].reverse()) {
    live.delete(entry);
    if (entry.done) continue;
    entry.done = true;
    try {
      await entry.stop();
    } catch (e) {
      console.error(`bench: stopping ${entry.name}: ${e.message}`);
    }
  }
}

process.on('exit', () => {
  for (const entry of live) {
    try {
      entry.stopSync?.();
    } catch {}
  }
});

/** Stops everything on signals and after `budgetS` seconds; call the returned function when done. */
export function guard(budgetS) {
  const timer = setTimeout(async () => {
    console.error(`\nbench: time budget of ${budgetS} s exhausted; stopping everything`);
    await stopAll();
    process.exit(2);
  }, budgetS * 1000);
  const onSignal = async (sig) => {
    console.error(`\nbench: ${sig}; stopping everything`);
    await stopAll();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => clearTimeout(timer);
}

export function tempDir(path) {
  const rm = () => rmSync(path, { recursive: true, force: true });
  return track(`temp dir ${path}`, async () => rm(), rm);
}

/**
 * Runs a command in its own process group (so a stop ends it and anything it
 * spawned, by our pid only) and resolves with its output; rejects on a
 * non-zero exit or after `timeoutMs`.
 */
export function run(cmd, args, { cwd, env, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const kill = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {}
    };
    const stop = track(`${cmd} ${args.join(' ')}`, async () => kill('SIGKILL'), () => kill('SIGKILL'));
    const timer = setTimeout(() => {
      kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')}: no exit within ${timeoutMs} ms\n${out.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      stop();
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out.slice(-2000)}`));
    });
  });
}
