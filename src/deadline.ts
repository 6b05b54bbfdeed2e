// Time budgets. An image request has one Deadline covering everything it
// does: the route's calls, reading a body it returned, async components,
// layout and raster. Hono's `timeout` middleware answers a 504 but leaves
// the work running; here each awaited step races the deadline, and the
// synchronous stages (satori's layout, resvg), which nothing can interrupt,
// are followed by a check so that nothing runs after the deadline has passed.
import { ServiceError } from './errors';

const timeoutError = (what: string, ms: number) => new ServiceError(504, 'timeout', `${what} did not finish within ${ms} ms`);

/**
 * `run()`, or a 504 after `ms`. The timer belongs to the calling request, so
 * it also keeps that request alive (workerd cancels a request that waits on
 * nothing of its own as "hung").
 */
export function withDeadline<T>(run: () => T | Promise<T>, ms: number, what: string, error = () => timeoutError(what, ms)): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return Promise.race([Promise.resolve().then(run), timeout]).finally(() => timer !== null && clearTimeout(timer));
}

export class Deadline {
  readonly at: number;
  /**
   * Whether the work may stop now that nobody will read it: by default once
   * the client has hung up; a render's leader also waits while other
   * requests wait on it (src/cache/coalesce.ts). Checked where the deadline is.
   */
  abandoned: () => boolean = () => this.signal?.aborted === true;

  constructor(
    readonly ms: number,
    /** The client's request: aborted when it hangs up (`enable_request_signal`). */
    readonly signal?: AbortSignal,
  ) {
    this.at = Date.now() + ms;
  }

  /** Milliseconds left (never below 0). */
  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }

  /** A 504 for `what`, naming the request's budget. */
  error(what: string): ServiceError {
    return timeoutError(what, this.ms);
  }

  /** Throws the 504 once the deadline has passed, or 499 once the work is abandoned: called between stages. */
  check(what: string): void {
    if (Date.now() >= this.at) throw this.error(what);
    if (this.abandoned()) throw new ServiceError(499 as 400, 'client_closed', `${what} was stopped: the client hung up and no other request waits on it`);
  }

  /**
   * `run()`, or a 504 when the deadline passes first (or `cap` ms, when that
   * comes sooner: a route call's own budget).
   */
  race<T>(run: () => T | Promise<T>, what: string, cap?: number): Promise<T> {
    this.check(what);
    const left = this.remaining();
    if (cap !== undefined && cap < left) return withDeadline(run, cap, what);
    return withDeadline(run, left, what, () => this.error(what));
  }
}
