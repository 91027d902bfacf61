import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { PoolCounters, PoolStatus } from './db/index.ts';
import type { IpnOutcome } from './http/ipn.ts';

const COUNTER_HELP: Record<keyof PoolCounters, string> = {
  acquired: 'Connections handed to borrowers',
  timedOut: 'Acquires that gave up after the acquire timeout (pool saturated)',
  rejected: 'Acquires refused at once (queue full, pool closed, certain self-deadlock)',
  leaks: 'Connections held past the leak threshold',
  dirtyReturns: 'Connections returned inside a transaction and rolled back',
  sessionResets: 'Connections returned with changed session settings and reset',
  discarded: 'Connections destroyed on return instead of reused',
  doubleReleases: 'Release calls on an already released connection',
  connectionsCreated: 'Server connections opened',
  connectionsLost: 'Server connections that died (restart, termination, network)',
  connectionsFailed: 'Attempts to open a server connection that failed',
  connectionsClosed: 'Server connections closed for any reason',
};

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A Prometheus registry exposing the pool's gauges and counters, read from the pool's status at scrape time. */
export function createMetrics(poolStatus: () => PoolStatus): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'agora_' });
  new Gauge({
    name: 'agora_db_pool_connections',
    help: 'Pool connections by state, and the configured bounds',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const s = poolStatus();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'active' }, s.active);
      this.set({ state: 'waiting' }, s.waiting);
      this.set({ state: 'min' }, s.min);
      this.set({ state: 'max' }, s.max);
    },
  });
  new Gauge({
    name: 'agora_db_pool_acquire_wait_ms',
    help: 'Time callers waited for a connection, over the most recent acquires',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      const { p50, p95, p99, max } = poolStatus().acquireWaitMs;
      this.set({ quantile: '0.5' }, p50);
      this.set({ quantile: '0.95' }, p95);
      this.set({ quantile: '0.99' }, p99);
      this.set({ quantile: '1' }, max);
    },
  });
  for (const [key, help] of Object.entries(COUNTER_HELP) as [keyof PoolCounters, string][]) {
    new Counter({
      name: `agora_db_pool_${snake(key)}_total`,
      help,
      registers: [registry],
      collect() {
        // The pool keeps the running total; mirror it at scrape time.
        this.reset();
        this.inc(poolStatus().counters[key]);
      },
    });
  }
  return registry;
}

/** Business counter: NOWPayments notifications by how they ended (completed = an order paid). */
export function countIpnOutcomes(registry: Registry): (result: IpnOutcome) => void {
  const counter = new Counter({
    name: 'agora_ipn_notifications_total',
    help: 'NOWPayments notifications received, by outcome (completed means an order was paid)',
    labelNames: ['result'],
    registers: [registry],
  });
  return (result) => counter.inc({ result });
}
