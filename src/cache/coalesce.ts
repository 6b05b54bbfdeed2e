// In-isolate request coalescing: concurrent requests for one uncached image
// share a single render. The entry stays until the result has been written to
// the cache, so a request arriving during the write does not render again.
const inflight = new Map<string, Promise<unknown>>();

export function coalesce<T>(
  key: string,
  run: () => Promise<T>,
  /** Called with the leader's result; the entry is held until this settles. */
  hold: (value: T) => Promise<unknown>,
): { promise: Promise<T>; shared: boolean } {
  const existing = inflight.get(key) as Promise<T> | undefined;
  if (existing) return { promise: existing, shared: true };
  const promise = run();
  inflight.set(key, promise);
  promise
    .then(hold, () => undefined)
    .catch(() => undefined)
    .finally(() => inflight.delete(key));
  return { promise, shared: false };
}

/** Whether a render for `key` is under way in this isolate. */
export const isInflight = (key: string) => inflight.has(key);
