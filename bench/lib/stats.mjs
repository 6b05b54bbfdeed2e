// Small statistics and number formatting for the bench report.

/** Nearest-rank percentile: with fewer than 100 samples p99 is the maximum. */
export function pct(xs, p) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const median = (xs) => pct(xs, 50);

/** Milliseconds: one decimal below 10, whole numbers above. */
export const ms = (x) => (x == null || Number.isNaN(x) ? 'n/a' : x < 10 ? x.toFixed(1) : String(Math.round(x)));

/** A ratio to two significant figures, e.g. 0.41×. */
export const ratio = (a, b) => (a > 0 && b > 0 ? `${(a / b).toPrecision(2)}×` : 'n/a');

export const bytes = (n) => (n == null ? 'n/a' : n.toLocaleString('en-US'));

export const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
