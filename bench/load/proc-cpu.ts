import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports CPU time in clock ticks of 1/100 s on every platform we run on. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  readonly parent: number;
  /** utime + stime, and cutime + cstime (children waited for), in ticks. */
  readonly own: number;
  readonly reaped: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses) start at the state.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      parent: Number(fields[1]),
      own: Number(fields[11]) + Number(fields[12]),
      reaped: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by process `pid` and its children, living or gone
 * (PostgreSQL's postmaster and its backends, say), or undefined if it is gone.
 */
export function processTreeCpuSeconds(pid: number): number | undefined {
  const root = readStat(pid);
  if (!root) return undefined;
  let ticks = root.own + root.reaped;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = readStat(Number(entry));
    if (child?.parent === pid) ticks += child.own;
  }
  return ticks / TICKS_PER_SECOND;
}

/** The process of `program` whose command line has `-p PORT` (PostgreSQL's postmaster), or undefined. */
export function findByPortArgument(program: string, port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const at = args.indexOf('-p');
      if (at >= 0 && args[at + 1] === String(port) && args[0]?.endsWith(`/${program}`)) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}
