// How much of the machine's CPU time the hypervisor gave to other guests (Linux's steal time):
// on a shared virtual machine, what disturbs a benchmark from outside.
import { readFileSync } from 'node:fs';

export interface CpuTicks {
  total: number;
  stolen: number;
}

/** The machine's CPU time counters from `/proc/stat`, in ticks (zeros where there is none). */
export function cpuTicks(): CpuTicks {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1);
    const ticks = fields.map(Number);
    return { total: ticks.reduce((sum, n) => sum + n, 0), stolen: ticks[7] ?? 0 };
  } catch {
    return { total: 0, stolen: 0 };
  }
}

/** The share of the machine's CPU time stolen since `from` (0 when unknown). */
export function stolenSince(from: CpuTicks): number {
  const now = cpuTicks();
  const total = now.total - from.total;
  return total > 0 ? (now.stolen - from.stolen) / total : 0;
}
