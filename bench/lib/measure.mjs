// Timing loops shared by our service and the workerd peers, so both are
// measured the same way: sequential requests on one keep-alive connection,
// a warm-up that is thrown away, then N timed requests.
import { agent, expectPng, get } from './http.mjs';

/**
 * `urlFor(i)` gives the i-th request (i < warmup are the warm-up); `check`
 * sees every response. Resolves { samples, last } with `last` the final response.
 */
export async function timeRenders({ urlFor, warmup, n, label, check = () => {} }) {
  const a = agent(1);
  const samples = [];
  let last;
  try {
    for (let i = 0; i < warmup + n; i++) {
      last = expectPng(await get(await urlFor(i), { agent: a }), `${label} request ${i}`);
      check(last, i);
      if (i >= warmup) samples.push(last.ms);
    }
  } finally {
    a.destroy();
  }
  return { samples, last };
}
