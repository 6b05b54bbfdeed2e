// At most `limit` renders at once in one isolate; the rest wait in the order
// they came. A render holds megabytes (a 1200×630 canvas is 3 MiB of pixels,
// plus satori's tree and the fonts it loads), and renders only overlap while
// one awaits its fonts or emoji, so running more at once buys no speed, only
// memory: an isolate has 128 MB for every request it serves.

export class Queue {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(public limit: number) {}

  /** Renders running and waiting (the memory bench and tests read them). */
  get running() {
    return this.#running;
  }
  get waiting() {
    return this.#waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit) await new Promise<void>((go) => this.#waiting.push(go));
    else this.#running++;
    try {
      return await task();
    } finally {
      // The slot passes to the next in line, or is freed.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
