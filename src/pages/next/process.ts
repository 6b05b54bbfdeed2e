// `process.env.X` and `process.cwd()` for route modules: a Worker without
// nodejs_compat has no `process`. env holds the Worker's string vars and
// secrets (from the first request's bindings: they are the same for every
// request an isolate serves); cwd() is the project root, `/`, from which
// bundled files are named (./files.ts).
import { CWD } from './files';

type Process = { env: Record<string, string | undefined>; cwd: () => string };
const g = globalThis as unknown as { process?: Process };

const seen = new WeakSet<object>();

export function exposeEnv(env: object | undefined): void {
  const proc = (g.process ??= { env: {}, cwd: () => CWD });
  proc.env ??= {};
  // Where the runtime has its own process (nodejs_compat), its cwd is not ours.
  proc.cwd = () => CWD;
  if (!env || seen.has(env)) return;
  seen.add(env);
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string' && proc.env[name] === undefined) proc.env[name] = value;
}
