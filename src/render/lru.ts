// A map bounded in bytes that drops its least recently used entries first:
// what every per-isolate cache of the renderer keeps (an isolate has 128 MB,
// and a render needs its share). A Map keeps insertion order; a read moves
// the entry to the most recent end.
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private used = 0;
  /** Entries dropped for the budget since the isolate started (tests and the memory bench read it). */
  evictions = 0;

  constructor(
    public budget: number,
    private readonly onEvict?: (key: string, value: V) => void,
  ) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` unless it alone is over the budget; evicts down to the budget. */
  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.budget) return;
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    for (const [k, entry] of this.entries) {
      if (this.used <= this.budget) break;
      this.entries.delete(k);
      this.used -= entry.bytes;
      this.evictions++;
      this.onEvict?.(k, entry.value);
    }
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.used -= old.bytes;
    }
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }
}

/**
 * What `lru` keeps for `key`, or `load()`'s result, loaded once: the promise
 * is kept (at 0 bytes) while it runs, so concurrent callers share it, then
 * weighed with the bytes `load` reports if it is still kept; a failed load is
 * forgotten, so the next caller tries again.
 */
export function loadOnce<V>(lru: ByteLru<Promise<V>>, key: string, load: () => Promise<{ value: V; bytes: number }>): Promise<V> {
  const kept = lru.get(key);
  if (kept) return kept;
  const p: Promise<V> = load().then(({ value, bytes }) => {
    if (lru.get(key) === p) lru.set(key, p, bytes);
    return value;
  });
  p.catch(() => lru.get(key) === p && lru.delete(key));
  lru.set(key, p, 0);
  return p;
}
