// The browser tests' one rule for Chromium (Debian's, at /usr/bin/chromium,
// driven by playwright-core): without it they are skipped, with one line
// saying how to run them; OG_EDGE_REQUIRE_BROWSER=1 (set by .ci/run) makes a
// missing browser a failure, so CI never skips them. CHROMIUM_PATH points at
// another build.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const REQUIRED = process.env.OG_EDGE_REQUIRE_BROWSER === '1';

/** Whether `what`'s browser tests are skipped here (saying so once). */
export function skipBrowser(what: string): boolean {
  const skip = !REQUIRED && !existsSync(CHROMIUM);
  if (skip) console.warn(`Skipping ${what}: no Chromium at ${CHROMIUM}. To run them: apt-get install chromium, or set CHROMIUM_PATH.`);
  return skip;
}

/** Throws the fix when Chromium is required but missing (in a beforeAll). */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}, and OG_EDGE_REQUIRE_BROWSER=1 requires it. ` +
        'Install it (apt-get install chromium; .ci/run does), or point CHROMIUM_PATH at another build.',
    );
  }
}

/** Chromium's flags for these tests: headless, and nothing that phones home. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The Worker (`worker`, starting) and Chromium (a persistent profile in
 * `profile`) started side by side. Both are returned whatever happened, so
 * the caller keeps what started to stop it in afterAll; `check()` then
 * throws the first failure.
 */
export async function startWithChromium<S>(worker: Promise<S>, profile: string, viewport = { width: 1280, height: 900 }) {
  const [w, b] = await Promise.allSettled([
    worker,
    chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport }),
  ]);
  return {
    server: w.status === 'fulfilled' ? w.value : undefined,
    context: b.status === 'fulfilled' ? b.value : undefined,
    check() {
      if (w.status === 'rejected') throw w.reason;
      if (b.status === 'rejected') throw b.reason;
    },
  };
}
