// In-isolate request coalescing: concurrent requests for one uncached image
// share a single render. The entry stays until the result has been written to
// the cache, so a request arriving during the write does not render again.
//
// Followers share no promise with the leader. In workerd a promise belongs
// to the request that created it, and a continuation that crosses requests
// runs (or is cancelled) with that request's context: followers awaiting the
// leader's promise were cancelled as "hung" once enough renders had failed
// in the isolate, and a follower's own promise settled by the leader fails
// with "Cannot perform I/O on behalf of a different request". So the leader
// only writes its outcome (plain data: bytes, or a ServiceError) into the
// entry, and each follower looks for it on timers of its own, within its own
// deadline. An entry whose leader is past its deadline is dead (its request
// may have been cancelled) and is replaced, never joined.
import type { Deadline } from '../deadline';

interface Flight<T> {
  /** The leader's deadline: past it, the entry is abandoned. */
  until: number;
  /** Followers waiting on it now: while any do, the leader's client hanging up does not stop the render. */
  followers: number;
  outcome?: { value: T } | { error: unknown };
}

// `any`: one map holds every flight, whatever its result type.
const inflight = new Map<string, Flight<any>>();

const live = <T>(flight: Flight<T> | undefined): flight is Flight<T> => flight !== undefined && Date.now() < flight.until;

export function coalesce<T>(
  key: string,
  run: () => Promise<T>,
  /** Called with the leader's result; the entry is held until this settles. */
  hold: (value: T) => Promise<unknown>,
  /** This request's deadline: the leader's bounds the entry, a follower's its wait. */
  deadline: Deadline,
): { promise: Promise<T>; shared: boolean } {
  const existing = inflight.get(key) as Flight<T> | undefined;
  if (live(existing)) return { promise: follow(existing, deadline), shared: true };

  const flight: Flight<T> = { until: deadline.at, followers: 0 };
  inflight.set(key, flight);
  // A client that hangs up stops its render at the next stage, unless others wait on it.
  deadline.abandoned = () => deadline.signal?.aborted === true && flight.followers === 0;
  const release = () => inflight.get(key) === flight && inflight.delete(key);
  const promise = run();
  promise
    .then(
      (value) => {
        flight.outcome = { value };
        return hold(value);
      },
      (error) => {
        flight.outcome = { error };
      },
    )
    .catch(() => undefined)
    .finally(release);
  return { promise, shared: false };
}

/** How often a follower looks for the leader's outcome: small beside a render. */
const POLL_MS = 10;
/** How long past the leader's deadline its outcome may take to land. */
const SETTLE_MS = 100;

async function follow<T>(flight: Flight<T>, deadline: Deadline): Promise<T> {
  flight.followers++;
  try {
    while (!flight.outcome) {
      // A leader at its deadline writes its 504 a moment after: wait for that
      // (SETTLE_MS) before calling the entry dead.
      if (Date.now() >= flight.until + SETTLE_MS || deadline.remaining() === 0) throw deadline.error('the render this request waited on');
      deadline.check('waiting for the render');
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, deadline.remaining())));
    }
  } finally {
    flight.followers--;
  }
  const { outcome } = flight;
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

/** Whether a render for `key` is under way in this isolate. */
export const isInflight = (key: string) => live(inflight.get(key));
