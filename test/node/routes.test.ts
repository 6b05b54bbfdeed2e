// The route convention, outside workerd: the generator's rules, and the
// promise that a file dropped into routes/ becomes a segment in `wrangler dev`
// with no other edit.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRegistry, scanRoutes } from '../../scripts/routes.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const temp = mkdtempSync(join(tmpdir(), 'og-routes-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }), 60_000);

const MODULE = (color: string) => `import { ImageResponse } from 'next/og';
export const size = { width: 32, height: 32 };
export default function Image() {
  return new ImageResponse(<div style={{ display: 'flex', width: '100%', height: '100%', background: '${color}' }} />);
}
`;

describe('the generator', () => {
  it('makes one segment per file, skipping helpers and tests', () => {
    const dir = join(temp, 'scan');
    cpSync(join(ROOT, 'routes'), dir, { recursive: true });
    writeFileSync(join(dir, '_shared.tsx'), 'export const x = 1;');
    writeFileSync(join(dir, 'card.test.ts'), '');
    writeFileSync(join(dir, 'notes.md'), '');
    writeFileSync(join(dir, 'new-one.tsx'), MODULE('red'));
    const before = scanRoutes(join(ROOT, 'routes')).routes.map((r) => r.legacy);
    expect(scanRoutes(dir).routes.map((r) => r.legacy)).toEqual([...before, 'new-one'].sort());
  });

  it('refuses a file name that is not a valid segment', () => {
    const dir = join(temp, 'bad');
    cpSync(join(ROOT, 'routes'), dir, { recursive: true });
    writeFileSync(join(dir, 'Bad Name.tsx'), MODULE('red'));
    expect(() => scanRoutes(dir)).toThrow(/"Bad Name.tsx" is not a valid segment name/);
  });

  it('versions each segment by its own code: editing one route leaves the others’ URLs alone', async () => {
    const dir = join(temp, 'versions');
    mkdirSync(dir);
    writeFileSync(join(dir, 'one.tsx'), MODULE('red'));
    writeFileSync(join(dir, 'two.tsx'), MODULE('blue'));
    const out = join(temp, 'registry.ts');
    const versions = () =>
      Object.fromEntries([...readFileSync(out.replace(/\.ts$/, '.js'), 'utf8').matchAll(/legacy: "([\w-]+)", codeVersion: '([\w-]+)'/g)].map((m) => [m[1], m[2]]));
    await generateRegistry({ dir, out });
    const before = versions();
    writeFileSync(join(dir, 'two.tsx'), readFileSync(join(dir, 'two.tsx'), 'utf8') + '\n// edited\n');
    await generateRegistry({ dir, out });
    const after = versions();
    expect(after.one).toBe(before.one);
    expect(after.two).not.toBe(before.two);
  });
});

describe('the app-directory layout', () => {
  const APP = join(ROOT, 'test/fixtures/app');

  it('finds image files by name, pages by folder, and keeps route groups out of nothing but URLs', () => {
    const { routes, pages } = scanRoutes(APP);
    const kinds = Object.fromEntries(routes.map((r) => [r.file.slice(APP.length + 1), r.kind]));
    expect(kinds['(site)/blog/[slug]/twitter-image.tsx']).toBe('twitter-image');
    expect(kinds['(site)/apple-icon.png']).toBe('apple-icon');
    expect(kinds['(site)/notes/[postId]/opengraph-image.js']).toBe('opengraph-image');
    // page.tsx makes a page; it is never a route file.
    expect(pages).toContainEqual(['(site)', 'pricing']);
    expect(routes.some((r) => r.file.endsWith('page.tsx'))).toBe(false);
    expect(routes.every((r) => !r.legacy)).toBe(true);
  });

  it('refuses two folders that answer the same path, and two files for the same image', () => {
    const dir = join(temp, 'dupes');
    for (const f of ['(a)/about/opengraph-image.tsx', '(b)/about/opengraph-image.tsx']) {
      cpSync(join(APP, '(site)/products/[id]/opengraph-image.tsx'), join(dir, f));
    }
    expect(() => scanRoutes(dir)).toThrow(/\(a\)\/about and \(b\)\/about answer the same path/);
    const twins = join(temp, 'twins');
    cpSync(join(APP, '(site)/icon.tsx'), join(twins, 'x/icon.tsx'));
    cpSync(join(APP, '(site)/gallery/icon.png'), join(twins, 'x/icon.png'));
    expect(() => scanRoutes(twins)).toThrow(/are the same image/);
  });

  it('marks a file whose import does not resolve as broken, and refuses it with --strict', async () => {
    const out = join(temp, 'app.ts');
    const { broken } = await generateRegistry({ dir: APP, out });
    expect(broken.map((r) => r.file.slice(APP.length + 1))).toEqual(['(site)/broken/opengraph-image.tsx']);
    expect(broken[0]!.broken).toMatch(/Could not resolve "@\/config\/site"/);
    await expect(generateRegistry({ dir: APP, out, strict: true })).rejects.toThrow(/broken\/opengraph-image.tsx: .*Could not resolve/);
  });
});

describe('wrangler dev', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('serves a segment dropped into routes/ while it runs, with no other edit', async () => {
    // A copy of the project, so the real routes/ is never touched.
    const project = join(temp, 'project');
    const parts = ['src', 'routes', 'scripts', 'migrations', 'wrangler.toml', 'package.json', 'package-lock.json', 'tsconfig.json', 'test/fixtures/lib', 'test/fixtures/assets'];
    for (const p of parts.filter((p) => existsSync(join(ROOT, p)))) {
      cpSync(join(ROOT, p), join(project, p), { recursive: true, filter: (f) => !f.includes('/generated/') });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    let log = '';
    child = spawn(join(ROOT, 'node_modules/.bin/wrangler'), ['dev', '--ip', '127.0.0.1', '--port', String(port)], {
      cwd: project,
      env: { ...process.env, XDG_CONFIG_HOME: join(project, '.wrangler/xdg'), WRANGLER_SEND_METRICS: 'false', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));

    const until = async (what: string, check: () => Promise<boolean>, ms = 90_000) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (await check().catch(() => false)) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`timed out waiting for ${what}\n${log}`);
    };
    const status = async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).status;

    await until('wrangler dev to serve', async () => (await status('/robots.txt')) === 200);
    expect(await status('/dropped/x/metadata')).toBe(404);

    writeFileSync(join(project, 'routes/dropped.tsx'), MODULE('#16a34a'));
    await until('the new segment', async () => (await status('/dropped/x/metadata')) === 200);
    const res = await fetch(`http://127.0.0.1:${port}/dropped/x/image/default`);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    expect(new DataView(bytes.buffer).getUint32(16)).toBe(32);

    // An opengraph-image.tsx from a Next.js app, with the font it fetches by
    // `new URL('./…', import.meta.url)`, through wrangler's own bundler.
    for (const f of ['nextapp.tsx', 'Inter-SemiBold.woff']) {
      cpSync(join(ROOT, 'test/fixtures/routes', f), join(project, 'routes', f));
    }
    await until('the Next.js module', async () => (await status('/nextapp/launch-week/metadata')) === 200);
    const card = await fetch(`http://127.0.0.1:${port}/nextapp/launch-week/image/dark`);
    expect(card.status, await card.clone().text().catch(() => '')).toBe(200);
    expect(new DataView(await card.arrayBuffer()).getUint32(16)).toBe(1200);

    // Folders of a Next.js app, among them a file with an import that does not
    // resolve: that page fails, the rest keep answering.
    for (const f of ['team', 'broken', 'products']) {
      cpSync(join(ROOT, 'test/fixtures/app/(site)', f), join(project, 'routes/(app)', f), { recursive: true });
    }
    await until('the app folders', async () => (await status('/products/7/metadata')) === 200);
    expect(await status('/broken/metadata')).toBe(500);
    expect(await status('/icon/a/metadata')).toBe(200);
    const team = await fetch(`http://127.0.0.1:${port}/team/opengraph-image/image/default`);
    expect(team.status, await team.clone().text().catch(() => '')).toBe(200);
    const product = await fetch(`http://127.0.0.1:${port}/products/7/opengraph-image/image/default`);
    expect(new DataView(await product.arrayBuffer()).getUint32(16)).toBe(800);
  }, 300_000);
});
