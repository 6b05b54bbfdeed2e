// A byte-budgeted least-recently-used map: what the isolate keeps of fonts,
// emoji and font lists between renders. A Map keeps insertion order, so the
// first key is the least recently used (as src/cache/memory.ts).

export class Lru<V> {
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;
  /** Evictions since the isolate started (tests and the memory bench read it). */
  evictions = 0;

  constructor(
    public budget: number,
    private readonly onEvict?: (key: string, value: V) => void,
  ) {}

  get bytes() {
    return this.#bytes;
  }
  get size() {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    this.#entries.delete(key); // to the most recent end
    this.#entries.set(key, e);
    return e.value;
  }

  has(key: string) {
    return this.#entries.has(key);
  }

  /** Adds or replaces `key`; then drops the least recently used until within budget (never `key` itself). */
  set(key: string, value: V, bytes: number) {
    this.delete(key);
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= this.budget || k === key) break;
      this.#drop(k, e);
    }
  }

  delete(key: string) {
    const e = this.#entries.get(key);
    if (e) {
      this.#entries.delete(key);
      this.#bytes -= e.bytes;
    }
  }

  keys() {
    return this.#entries.keys();
  }

  #drop(key: string, e: { value: V; bytes: number }) {
    this.#entries.delete(key);
    this.#bytes -= e.bytes;
    this.evictions++;
    this.onEvict?.(key, e.value);
  }
}
