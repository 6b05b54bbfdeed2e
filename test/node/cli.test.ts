// Every npm script answers --help with its usage and refuses a flag it does
// not know with one line naming it, the usage, and exit status 2 — before it
// starts anything.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPTS = {
  dev: 'scripts/dev.mjs',
  render: 'scripts/render.mjs',
  bench: 'bench/run.mjs',
  load: 'scripts/load.mjs',
};

/** Exit status and output; bench/run.mjs loads its peers first, so this can take seconds. */
const run = (script: string, ...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((done) =>
    execFile(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ status: error ? Number(error.code) : 0, stdout, stderr }),
    ),
  );

describe.each(Object.entries(SCRIPTS))('npm run %s', (name, script) => {
  it('prints its usage for --help and -h, and exits 0', async () => {
    for (const flag of ['--help', '-h']) {
      const { status, stdout, stderr } = await run(script, flag);
      expect(stderr).toBe('');
      expect(stdout).toMatch(new RegExp(`^usage: npm run ${name}\\b`));
      expect(status).toBe(0);
    }
  }, 120_000);

  it('refuses an unknown flag with the usage and exit status 2', async () => {
    const { status, stdout, stderr } = await run(script, '--no-such-flag');
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe(`${name}: Unknown option '--no-such-flag'`);
    expect(stderr).toContain(`usage: npm run ${name}`);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(status).toBe(2);
  }, 60_000);
});
