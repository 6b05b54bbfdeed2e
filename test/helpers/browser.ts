// The browser tests' one rule for Chromium (Debian's, at /usr/bin/chromium,
// driven by playwright-core): without it they are skipped, with one line
// saying how to run them; OG_EDGE_REQUIRE_BROWSER=1 (set by .ci/run) makes a
// missing browser a failure, so CI never skips them. CHROMIUM_PATH points at
// another build.
import { existsSync } from 'node:fs';

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
