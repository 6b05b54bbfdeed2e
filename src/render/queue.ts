// At most `limit` renders at once in one isolate; the rest wait in the order
// they came. A render holds megabytes (a 1200×630 canvas is 3 MiB of pixels,
// plus satori's tree and the fonts it loads), and renders only overlap while
// one awaits its fonts or emoji, so running more at once buys no speed, only
// memory: an isolate has 128 MB for every request it serves.
//
// workerd cancels a request that waits only on a promise another request
// settles ("your Worker's code had hung"): it sees no I/O of its own. So a
// waiting render, and one awaiting a font another render is fetching, also
// wait on a short timer, which is I/O workerd counts.

const POLL_MS = 20;
const tick = () => new Promise<void>((go) => setTimeout(go, POLL_MS));

/** Awaits `p`, which another request may settle, without looking hung to workerd. */
export async function shared<T>(p: Promise<T>): Promise<T> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) await Promise.race([p, tick()]);
  return p;
}

export class Queue {
  #running = 0;
  readonly #waiting: { go: boolean }[] = [];

  constructor(public limit: number) {}

  /** Renders running and waiting (the memory bench and tests read them). */
  get running() {
    return this.#running;
  }
  get waiting() {
    return this.#waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit || this.#waiting.length) {
      const turn = { go: false };
      this.#waiting.push(turn);
      while (!turn.go) await tick();
    } else this.#running++;
    try {
      return await task();
    } finally {
      // The slot passes to the next in line, or is freed.
      const next = this.#waiting.shift();
      if (next) next.go = true;
      else this.#running--;
    }
  }
}
