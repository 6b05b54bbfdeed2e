// Before the tests of each file: the D1 migrations and example posts (when
// wrangler.toml binds a D1 database), and quiet expected faults.
import { applyD1Migrations, env } from 'cloudflare:test';
import { afterEach, beforeEach } from 'vitest';

const e = env as unknown as { DB?: D1Database; TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1]; TEST_SEED: string };
if (e.DB) {
  await applyD1Migrations(e.DB, e.TEST_MIGRATIONS);
  const statements = e.TEST_SEED.split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
  if (statements.length) await e.DB.batch(statements.map((s) => e.DB!.prepare(s)));
}

// Many tests provoke faults on purpose (a route that throws, a remote image
// that fails), and the Worker logs each 5xx with its stack, as it should in
// production. Those logs are held back while a test runs and printed only if
// it fails, where they help; a passing run stays readable, so a real failure
// stands out.
const write = { error: console.error, warn: console.warn };
let held: [keyof typeof write, unknown[]][] = [];
beforeEach(({ onTestFailed }) => {
  held = [];
  console.error = (...args: unknown[]) => void held.push(['error', args]);
  console.warn = (...args: unknown[]) => void held.push(['warn', args]);
  onTestFailed(() => {
    for (const [level, args] of held) write[level](...args);
  });
});
afterEach(() => {
  console.error = write.error;
  console.warn = write.warn;
});
