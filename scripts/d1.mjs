#!/usr/bin/env node
// The D1 steps of `npm run dev` and `npm run deploy`, done only when
// wrangler.toml binds a D1 database: apply its migrations (and, locally, load
// seed/*.sql). A project without D1 (the example blog removed) skips them and
// says so.
//
//   node scripts/d1.mjs --local [--persist-to dir] [--no-seed]
//   node scripts/d1.mjs --remote
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');

/** wrangler keeps its config under .wrangler/ and sends no metrics. */
export function wranglerEnv(cwd = ROOT) {
  return { ...process.env, XDG_CONFIG_HOME: join(cwd, '.wrangler/xdg'), WRANGLER_SEND_METRICS: 'false' };
}

/**
 * The `[[d1_databases]]` blocks of wrangler.toml: `{ binding, migrationsDir }`.
 * Read with a few lines of matching rather than a TOML parser: the project has
 * none, and wrangler's own config reader takes seconds to load. Only table
 * headers and `key = "string"` lines are read; comments are ignored.
 */
export function d1Databases(cwd = ROOT) {
  const file = join(cwd, 'wrangler.toml');
  if (!existsSync(file)) return [];
  const blocks = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .join('\n')
    .split(/^(?=\[)/m)
    .filter((block) => /^\[\[\s*d1_databases\s*\]\]/.test(block));
  const key = (block, name) => new RegExp(`^${name}\\s*=\\s*["']([^"']*)["']`, 'm').exec(block)?.[1];
  return blocks
    .map((block) => ({ binding: key(block, 'binding'), migrationsDir: key(block, 'migrations_dir') ?? 'migrations' }))
    .filter((db) => db.binding);
}

/**
 * Runs wrangler with stdin closed: with no terminal to ask, `d1 migrations
 * apply` proceeds without its "continue? (Y/n)" prompt (wrangler's documented
 * non-interactive behaviour). `interactive` keeps the terminal, for the
 * remote database, where the question is worth asking.
 */
function wrangler(args, { cwd = ROOT, interactive = false, quiet = false } = {}) {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const child = spawn(WRANGLER, args, {
      cwd,
      env: wranglerEnv(cwd),
      stdio: interactive ? 'inherit' : ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    });
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise(out) : reject(new Error(`wrangler ${args.join(' ')} exited with ${code}\n${out}`))));
  });
}

/**
 * Applies every local D1 database's migrations and loads seed/*.sql into the
 * first one. Returns what it did, in words, for a progress line.
 */
export async function prepareLocalD1({ cwd = ROOT, persistTo, seed = true, quiet = true } = {}) {
  const dbs = d1Databases(cwd);
  if (dbs.length === 0) return 'no D1 database in wrangler.toml: nothing to migrate';
  const persist = persistTo ? ['--persist-to', persistTo] : [];
  for (const db of dbs) {
    if (existsSync(join(cwd, db.migrationsDir))) {
      await wrangler(['d1', 'migrations', 'apply', db.binding, '--local', ...persist], { cwd, quiet });
    }
  }
  const seedDir = join(cwd, 'seed');
  const seeds = seed && existsSync(seedDir) ? readdirSync(seedDir).filter((f) => f.endsWith('.sql')).sort() : [];
  for (const file of seeds) {
    await wrangler(['d1', 'execute', dbs[0].binding, '--local', '--file', join('seed', file), ...persist], { cwd, quiet });
  }
  return `D1 ${dbs.map((db) => db.binding).join(', ')} migrated${seeds.length ? `, ${seeds.join(', ')} loaded` : ''}`;
}

/** Applies the remote databases' migrations before a deploy (wrangler asks first in a terminal). */
export async function migrateRemote({ cwd = ROOT } = {}) {
  const dbs = d1Databases(cwd);
  if (dbs.length === 0) return 'no D1 database in wrangler.toml: no remote migrations';
  for (const db of dbs) {
    if (existsSync(join(cwd, db.migrationsDir))) {
      await wrangler(['d1', 'migrations', 'apply', db.binding, '--remote'], { cwd, interactive: true });
    }
  }
  return `D1 ${dbs.map((db) => db.binding).join(', ')} migrated (remote)`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { parseCli } = await import('./cli.mjs');
  const { values, fail } = parseCli({
    name: 'd1',
    usage: `usage: node scripts/d1.mjs (--local [--persist-to dir] [--no-seed] | --remote)

  Applies the migrations of each [[d1_databases]] in wrangler.toml (none: skipped).
  --local            the local databases wrangler dev uses, then loads seed/*.sql
  --remote           the deployed databases (wrangler asks before applying)
  --persist-to dir   local state folder (default: wrangler's)
  --no-seed          do not load seed/*.sql`,
    options: {
      local: { type: 'boolean' },
      remote: { type: 'boolean' },
      'persist-to': { type: 'string' },
      'no-seed': { type: 'boolean' },
    },
  });
  if (values.local === values.remote) fail('say --local or --remote');
  try {
    const done = values.remote
      ? await migrateRemote()
      : await prepareLocalD1({ persistTo: values['persist-to'] && resolve(values['persist-to']), seed: !values['no-seed'], quiet: false });
    console.log(`d1: ${done}`);
  } catch (e) {
    console.error(`d1: ${e.message}`);
    process.exit(1);
  }
}
