// `npm run render`: the CLI renders a page's images through the Worker
// (wrangler dev) and writes them, with progress and a summary table.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const temp = mkdtempSync(join(tmpdir(), 'og-render-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const render = (...args: string[]) =>
  promisify(execFile)(process.execPath, [join(ROOT, 'scripts/render.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, XDG_CONFIG_HOME: join(ROOT, '.wrangler/xdg'), NO_COLOR: '1' },
  });

const pngSize = (file: string) => {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
};

// It renders pages of the example routes: where they were removed, skipped, saying so.
const missing = ['blog', 'icon'].filter((s) => !existsSync(join(ROOT, `routes/${s}.tsx`)));

describe.skipIf(missing.length > 0)(`npm run render${missing.length ? ` (skipped: no routes/${missing.join('.tsx, routes/')}.tsx)` : ''}`, () => {
  // One run (one wrangler dev) for the good pages and the bad ones: the good
  // are written, the bad are named, and the exit status says something failed.
  it('writes every image of a page and of a segment’s examples, names what failed, and sums up', async () => {
    const out = join(temp, 'out');
    const args = ['blog/hello-edge', 'icon', 'blog/no-such-post', 'nope', '--out', out, '--persist-to', join(temp, 'state')];
    const run = await render(...args).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('✗ blog/no-such-post: 404');
    expect(run.stderr).toContain('✗ nope: no such segment');

    expect(readdirSync(out).sort()).toEqual([
      'blog-hello-edge-og.png',
      'blog-hello-edge-square.png',
      'icon-acme-medium.png',
      'icon-acme-small.png',
      'icon-og-edge-medium.png',
      'icon-og-edge-small.png',
      'icon-zebra-medium.png',
      'icon-zebra-small.png',
    ]);
    expect(pngSize(join(out, 'blog-hello-edge-og.png'))).toEqual([1200, 630]);
    expect(pngSize(join(out, 'blog-hello-edge-square.png'))).toEqual([1080, 1080]);
    expect(pngSize(join(out, 'icon-zebra-medium.png'))).toEqual([72, 72]);

    const { stdout } = run;
    expect(stdout).toMatch(/✓ \[1\/8\] blog\/hello-edge og 1200×630 \d+ bytes \d+ ms/);
    expect(stdout).toMatch(/^file +size +bytes +ms$/m);
    const bytes = readFileSync(join(out, 'icon-acme-small.png')).length;
    expect(stdout).toMatch(new RegExp(`^icon-acme-small\\.png +48×48 +${bytes} +\\d+$`, 'm'));
    expect(stdout).toMatch(/^total: 8 files +\d+ +\d+$/m);
    expect(stdout).toContain('Wrote 8 files to ');
    expect(stdout).toContain('; 2 failed');
  }, 120_000);
});
