// Applies the D1 migrations and example posts before the tests of a file.
import { applyD1Migrations, env } from 'cloudflare:test';

const e = env as unknown as { DB: D1Database; TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1]; TEST_SEED: string };
await applyD1Migrations(e.DB, e.TEST_MIGRATIONS);
const statements = e.TEST_SEED.split(/;\s*$/m)
  .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
  .filter(Boolean);
await e.DB.batch(statements.map((s) => e.DB.prepare(s)));
