// Tests of the example routes (routes/blog.tsx and its D1 posts, …). A
// project that removed an example still runs every other test: these are
// skipped, and their names say why.
import { it } from 'vitest';
import { registry } from '../../generated/routes';

/** Whether routes/<segment>.tsx is there. */
export const hasExample = (segment: string) => segment in registry;

/** `it` for a test of the example `segment`: skipped, saying so, where that example was removed. */
export function withExample(segment: string): typeof it {
  if (hasExample(segment)) return it;
  const skip = ((name: string, ...rest: unknown[]) =>
    (it.skip as (...a: unknown[]) => void)(`${name} (skipped: routes/${segment}.tsx is not there)`, ...rest)) as typeof it;
  return skip;
}
