// HTTP client for the bench: loopback only, keep-alive, timed until the last
// body byte. Timing is client-side on purpose: inside workerd performance.now()
// only advances on I/O, so a Worker cannot time its own CPU work.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|\[::1\])$/;
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS) || 30_000;

export function assertLoopback(url) {
  const { hostname } = new URL(url);
  if (!LOOPBACK.test(hostname)) throw new Error(`bench: refusing non-loopback target ${url}`);
}

/** One agent per concurrency level, so sockets are reused and never shared across levels. */
export const agent = (sockets) => new http.Agent({ keepAlive: true, maxSockets: sockets });

/**
 * GET; resolves { status, headers, body, ms }. A keep-alive socket the server
 * closed while idle fails as soon as it is reused; such a request is sent
 * again once, on a new socket (Node's documented pattern; a GET is safe to repeat).
 */
export async function get(url, options = {}) {
  try {
    return await getOnce(url, options);
  } catch (e) {
    if (!e.reusedSocket || (e.code !== 'ECONNRESET' && e.message !== 'socket hang up')) throw e;
    return getOnce(url, options);
  }
}

function getOnce(url, { agent: a, headers } = {}) {
  assertLoopback(url);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(url, { agent: a, headers, timeout: TIMEOUT_MS }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - t0 }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${TIMEOUT_MS} ms: ${url}`)));
    req.on('error', (e) => reject(Object.assign(e, { reusedSocket: req.reusedSocket })));
  });
}

/** Throws unless the response is a 200 PNG. */
export function expectPng(res, what) {
  const png = res.body.length > 8 && res.body.readUInt32BE(0) === 0x89504e47;
  if (res.status !== 200 || !png) {
    throw new Error(`${what}: HTTP ${res.status} ${res.headers['content-type']}: ${res.body.subarray(0, 300).toString()}`);
  }
  return res;
}

/**
 * Closed loop: `clients` concurrent clients, each sending `perClient`
 * requests back to back. Returns every request's latency and the wall time.
 */
export async function closedLoop(url, clients, perClient, check) {
  const a = agent(clients);
  const samples = [];
  const t0 = performance.now();
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = 0; i < perClient; i++) {
          const res = await get(url, { agent: a });
          check(res);
          samples.push(res.ms);
        }
      }),
    );
  } finally {
    a.destroy();
  }
  return { samples, wallMs: performance.now() - t0 };
}
