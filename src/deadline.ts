// A time budget for route-module calls (data fetches, templates). Hono's
// `timeout` middleware bounds a whole request, but a call shared by coalesced
// requests must itself settle, or a hung generator would hold its cache key
// in this isolate for good; hence a per-call deadline.
import { ServiceError } from './errors';

export function withDeadline<T>(run: () => T | Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServiceError(504, 'timeout', `${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve().then(run), timeout]).finally(() => timer !== null && clearTimeout(timer));
}
