import type pg from 'pg';
import type { Lease } from './lease.ts';
import type { PoolCounters, PoolStatus, RecentSamples, TimeoutEnforcement } from './stats.ts';

/** The parts of the pool `db.status()` reads, at one instant. */
export interface StatusSources {
  initialized: boolean;
  closed: boolean;
  min: number;
  max: number;
  driver: pg.Pool;
  /** Every checked-out lease, shared ones included. */
  active: ReadonlySet<Lease>;
  /** Shared connections carrying nothing right now. */
  idleShared: readonly Lease[];
  waiting: number;
  counters: PoolCounters;
  waits: RecentSamples;
  timeouts: TimeoutEnforcement;
}

/** The pool's state and counters, as `db.status()` reports them. */
export function poolStatus(sources: StatusSources): PoolStatus {
  const { driver, idleShared } = sources;
  // A shared connection that carries nothing right now is idle, though pg-pool has not had it back yet.
  const busy = [...sources.active].filter((lease) => !idleShared.includes(lease));
  return {
    initialized: sources.initialized,
    closed: sources.closed,
    min: sources.min,
    max: sources.max,
    total: driver.totalCount,
    idle: driver.idleCount + idleShared.length,
    active: busy.length,
    waiting: sources.waiting,
    connections: busy.map((lease) => ({
      pid: (lease.client as { processID?: number | null }).processID ?? 0,
      pipelined: lease.pipelined,
      inFlight: lease.pending,
    })),
    counters: { ...sources.counters },
    acquireWaitMs: sources.waits.percentiles(),
    timeouts: sources.timeouts,
  };
}
