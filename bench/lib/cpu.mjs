// CPU time of the processes serving renders, as the kernel accounts it: the
// figure a Worker is billed and limited by, and one that a busy machine
// inflates far less than wall time (which also counts waiting for a core).
// Linux only (/proc, ss); elsewhere the bench reports no CPU figures.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** The pid of the process listening on 127.0.0.1:`port`, or undefined. */
export function pidOnPort(port) {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    return Number(/pid=(\d+)/.exec(out)?.[1]) || undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU milliseconds `pid` has used so far, or NaN. */
export function cpuMs(pid) {
  try {
    // Fields after the command name (which may hold spaces, so split after its ')').
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime, stime
  } catch {
    return NaN;
  }
}
