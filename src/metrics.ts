// Prometheus metrics in the usual names and units: Node's process metrics unprefixed, HTTP request
// durations as a histogram in seconds, the pool's state read at scrape time, and the business
// counters (fed through BusinessEvents, so no service knows prom-client).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolCounters, PoolStatus } from './db/index.ts';
import type { BusinessEvents } from './events.ts';
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
  commitHandOvers: 'Connections handed to a waiting caller behind the COMMIT still being answered',
  connectionsCreated: 'Server connections opened',
  connectionsLost: 'Server connections that died (restart, termination, network)',
  connectionsFailed: 'Attempts to open a server connection that failed',
  connectionsClosed: 'Server connections closed for any reason',
};

// From a 5 ms health probe to a download of several minutes.
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 600];

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export interface AppMetrics {
  registry: Registry;
  /** The business counters. */
  events: BusinessEvents;
  /** NOWPayments notifications by how they ended. */
  countIpn(result: IpnOutcome): void;
  /** One answered request: its route pattern (never its URL), and how long it took. */
  observeRequest(request: { method: string; route: string; statusCode: number }, seconds: number): void;
}

// From a warm connection (well under a millisecond) to the acquire timeout (5 s by default).
const WAIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The pool, as the metrics read it: its state at scrape time, and every acquire's wait. */
export interface ObservedPool {
  status(): PoolStatus;
  observeAcquireWaits(observer: (waitedMs: number) => void): void;
}

export function createMetrics(pool: ObservedPool): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerPoolMetrics(registry, pool);

  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, from the first byte read to the last byte sent',
    labelNames: ['method', 'route', 'status_code'],
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const counter = (name: string, help: string) => new Counter({ name, help, registers: [registry] });
  const paid = counter('agora_orders_paid_total', 'Orders that became paid (by a provider payment, or free)');
  const delivered = counter('agora_deliveries_total', 'Paid orders delivered to their buyer');
  const downloads = counter('agora_downloads_total', 'Downloads started through one-time links');
  const payouts = counter('agora_payouts_paid_total', 'Seller payout lines recorded as paid');
  const users = counter('agora_users_new_total', 'Telegram users seen for the first time');
  const ipn = new Counter({
    name: 'agora_ipn_notifications_total',
    help: 'NOWPayments notifications received, by outcome (completed means an order was paid)',
    labelNames: ['result'],
    registers: [registry],
  });

  return {
    registry,
    events: {
      orderPaid: () => paid.inc(),
      orderDelivered: () => delivered.inc(),
      downloadServed: () => downloads.inc(),
      payoutsPaid: (count) => payouts.inc(count),
      userJoined: () => users.inc(),
    },
    countIpn(result) {
      ipn.inc({ result });
    },
    observeRequest({ method, route, statusCode }, seconds) {
      requests.observe({ method, route, status_code: String(statusCode) }, seconds);
    },
  };
}

function registerPoolMetrics(registry: Registry, pool: ObservedPool): void {
  const poolStatus = () => pool.status();
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
  const waits = new Histogram({
    name: 'agora_db_pool_acquire_wait_seconds',
    help: 'Time each caller waited for a connection (or a place on a shared one)',
    buckets: WAIT_BUCKETS,
    registers: [registry],
  });
  pool.observeAcquireWaits((waitedMs) => waits.observe(waitedMs / 1000));
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
}
