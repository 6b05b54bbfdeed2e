#!/usr/bin/env node
// npm run render -- <segment>[/<slug>] … [--out dir]
//
// Renders every image of a page to files, through the same Worker code as
// production: it starts `wrangler dev` on a free loopback port (with the
// local D1, if any, migrated and seeded, as `npm run dev` does), asks each page's
// metadata, fetches every image at its versioned URL and writes
// `<segment>-<slug>-<id>.png` (or `.svg`, `.webp`). A segment without a slug means
// each of its `examples`; no argument at all means every segment's examples.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseCli } from './cli.mjs';
import { prepareLocalD1, ROOT, startDevServer } from './dev-server.mjs';

const USAGE = `usage: npm run render -- [<segment>[/<slug>] …] [--out dir] [--no-seed] [--persist-to dir]

  <segment>/<slug>   every image of that page
  <segment>          every image of each of the segment's examples
  (nothing)          every example of every segment
  --out dir          where to write the files (default: out/)
  --no-seed          do not load seed/*.sql into the local D1 first
  --persist-to dir   local state folder (default: wrangler's, as npm run dev)`;

const { values, positionals, fail } = parseCli({
  name: 'render',
  usage: USAGE,
  allowPositionals: true,
  options: {
    out: { type: 'string', short: 'o', default: 'out' },
    'no-seed': { type: 'boolean', default: false },
    'persist-to': { type: 'string' },
  },
});

const targets = positionals.map((arg) => {
  const at = arg.indexOf('/');
  const segment = at < 0 ? arg : arg.slice(0, at);
  const slug = at < 0 ? undefined : arg.slice(at + 1);
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(segment)) fail(`"${arg}": not a segment name`);
  if (slug === '') fail(`"${arg}": empty slug`);
  return { segment, slug };
});
const outDir = resolve(process.cwd(), values.out);
const persistTo = values['persist-to'] ? resolve(process.cwd(), values['persist-to']) : undefined;

/** A file name from a page and an id: readable, and safe on any file system. */
const fileName = (segment, slug, id, contentType) =>
  `${segment}-${slug.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 100)}-${id}.${EXTENSIONS[contentType] ?? 'png'}`;
const EXTENSIONS = { 'image/png': 'png', 'image/svg+xml': 'svg', 'image/webp': 'webp' };

/** Width × height as the file itself says: the PNG or WebP header, or the SVG's root attributes. */
function sizeOf(bytes, contentType) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (contentType === 'image/png' && bytes.length >= 24) return { width: view.getUint32(16), height: view.getUint32(20) };
  if (contentType === 'image/webp' && bytes.length >= 30) {
    // Lossless (VP8L): 14-bit width - 1 and height - 1 after the 0x2f signature byte.
    if (view.getUint32(12) === 0x5650384c) {
      const b = view.getUint32(21, true);
      return { width: (b & 0x3fff) + 1, height: ((b >>> 14) & 0x3fff) + 1 };
    }
    // Lossy (VP8): 14-bit width and height after the start code.
    if (view.getUint32(12) === 0x56503820) return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
    return undefined;
  }
  const head = new TextDecoder().decode(bytes.subarray(0, 400));
  const w = /<svg[^>]*\swidth="(\d+)"/.exec(head);
  const h = /<svg[^>]*\sheight="(\d+)"/.exec(head);
  return w && h ? { width: Number(w[1]), height: Number(h[1]) } : undefined;
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const right = [false, false, true, true];
  const line = (r) => r.map((cell, i) => (right[i] ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const started = performance.now();
process.stdout.write('Preparing the local D1… ');
console.log(await prepareLocalD1({ persistTo, seed: !values['no-seed'] }));
process.stdout.write('Starting the Worker (wrangler dev)… ');
const server = await startDevServer({ persistTo });
console.log(`${server.url}`);

let failed = 0;
const rows = [['file', 'size', 'bytes', 'ms']];
try {
  // Which pages: the named ones, or the segments' examples from the index.
  const index = await (await fetch(`${server.url}/?format=json`)).json();
  const wanted = targets.length > 0 ? targets : index.segments.map((segment) => ({ segment }));
  const pages = [];
  for (const { segment, slug } of wanted) {
    if (!index.segments.includes(segment)) {
      console.error(`✗ ${segment}: no such segment (have: ${index.segments.join(', ')})`);
      failed++;
      continue;
    }
    for (const s of slug === undefined ? index.examples[segment] : [slug]) pages.push({ segment, slug: s });
  }

  // Every page's items first, so progress can count the images.
  const jobs = [];
  for (const { segment, slug } of pages) {
    const res = await fetch(`${server.url}/${segment}/${encodeURIComponent(slug)}/metadata`);
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      console.error(`✗ ${segment}/${slug}: ${res.status} ${body.error?.message ?? res.statusText}`);
      failed++;
      continue;
    }
    for (const item of await res.json()) jobs.push({ segment, slug, item });
  }

  mkdirSync(outDir, { recursive: true });
  let n = 0;
  for (const { segment, slug, item } of jobs) {
    const label = `[${++n}/${jobs.length}] ${segment}/${slug} ${item.id}`;
    const t0 = performance.now();
    const res = await fetch(item.url);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const ms = Math.round(performance.now() - t0);
    if (!res.ok) {
      let message = res.statusText;
      try {
        message = JSON.parse(new TextDecoder().decode(bytes)).error.message;
      } catch {}
      console.error(`✗ ${label}: ${res.status} ${message}`);
      failed++;
      continue;
    }
    const file = fileName(segment, slug, item.id, item.contentType);
    writeFileSync(join(outDir, file), bytes);
    const size = sizeOf(bytes, item.contentType);
    const sizeText = size ? `${size.width}×${size.height}` : '?';
    const expected = `${item.size.width}×${item.size.height}`;
    const note = size && sizeText !== expected ? ` (metadata says ${expected})` : '';
    if (note) failed++;
    console.log(`${note ? '✗' : '✓'} ${label} ${sizeText} ${bytes.length} bytes ${ms} ms${note}`);
    rows.push([file, sizeText, bytes.length, ms]);
  }
} finally {
  await server.stop();
}

const written = rows.length - 1;
if (written > 0) {
  const bytes = rows.slice(1).reduce((sum, r) => sum + r[2], 0);
  const ms = rows.slice(1).reduce((sum, r) => sum + r[3], 0);
  rows.push([`total: ${written} file${written === 1 ? '' : 's'}`, '', bytes, ms]);
  console.log(`\n${table(rows)}\n`);
}
const where = relative(process.cwd(), outDir) || '.';
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`Wrote ${written} file${written === 1 ? '' : 's'} to ${where}/${failed ? `; ${failed} failed` : ''} (${seconds} s).`);
process.exit(failed ? 1 : 0);
