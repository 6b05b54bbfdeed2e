// The command line of every npm script (dev, render, bench, load): node's own
// parseArgs, strict, plus the two conventions it leaves to the caller:
// `--help` prints the usage and exits 0; an unknown flag or a bad value prints
// one line naming it, then the usage, and exits 2 (a usage error, as in POSIX
// tools), never a stack trace.
import { parseArgs } from 'node:util';

/**
 * Parses process.argv (or `args`) against `options` (parseArgs' format; `help`
 * is added). Returns `{ values, positionals, fail }`: `fail(message)` is the
 * same usage error for checks the caller makes itself.
 */
export function parseCli({ name, usage, options = {}, allowPositionals = false, args = process.argv.slice(2) }) {
  const fail = (message) => {
    console.error(`${name}: ${message}\n${usage}`);
    process.exit(2);
  };
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    // parseArgs' message names the flag; its advice on positionals that
    // start with '-' is noise here.
    fail(String(e.message).replace(/\. To specify a positional argument[\s\S]*$/, ''));
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  return { values: parsed.values, positionals: parsed.positionals, fail };
}

/** A flag's value as a positive (or zero, with `min: 0`) integer, or a usage error. */
export function intOption(values, flag, fail, { min = 1 } = {}) {
  const text = values[flag];
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) fail(`--${flag} must be an integer ≥ ${min}, not "${text}"`);
  return n;
}
