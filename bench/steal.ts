// What disturbs a benchmark from outside: the machine's CPU time the hypervisor gave to other
// guests (Linux's steal time), and the CPU other processes of this machine used meanwhile.
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuTicks {
  total: number;
  stolen: number;
  /** Busy time: user, nice, system, irq and softirq. */
  busy: number;
}

/** The machine's CPU time counters from `/proc/stat`, in ticks (zeros where there is none). */
export function cpuTicks(): CpuTicks {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1);
    const ticks = fields.map(Number);
    const busy = [0, 1, 2, 5, 6].reduce((sum, i) => sum + (ticks[i] ?? 0), 0);
    return { total: ticks.reduce((sum, n) => sum + n, 0), stolen: ticks[7] ?? 0, busy };
  } catch {
    return { total: 0, stolen: 0, busy: 0 };
  }
}

/**
 * CPU ticks of `root` and every process below it, from `/proc/<pid>/stat`: each one's own time
 * and that of its children already reaped (a closed PostgreSQL backend counts in the postmaster's).
 */
function treeTicks(root: number): number {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After the command name in parentheses: state, ppid, … utime (14th field), stime, cutime, cstime.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(pid, Number(fields[1]));
      ticks.set(
        pid,
        [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0),
      );
    } catch {
      // gone meanwhile
    }
  }
  let sum = 0;
  for (const [pid, own] of ticks) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parent.get(at)) {
      if (at === root) {
        sum += own;
        break;
      }
    }
  }
  return sum;
}

/** Where `othersSince` counts from: the machine's ticks, and those of this process and its descendants. */
export interface OthersMark {
  machine: CpuTicks;
  ours: number;
}

export function othersMark(): OthersMark {
  return { machine: cpuTicks(), ours: treeTicks(process.pid) };
}

/**
 * The share of the machine's CPU time that processes other than this one and its descendants
 * (the server, PostgreSQL, the reaped ones included) used since `from` (0 when unknown).
 */
export function othersSince(from: OthersMark): number {
  const now = othersMark();
  const total = now.machine.total - from.machine.total;
  const busy = now.machine.busy - from.machine.busy;
  return total > 0 ? Math.max(0, busy - (now.ours - from.ours)) / total : 0;
}

/** The share of the machine's CPU time stolen since `from` (0 when unknown). */
export function stolenSince(from: CpuTicks): number {
  const now = cpuTicks();
  const total = now.total - from.total;
  return total > 0 ? (now.stolen - from.stolen) / total : 0;
}
