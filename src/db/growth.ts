import type pg from 'pg';

/** The parts of pg-pool this module steers: its ceiling, and the queue it serves. */
interface DriverPoolInternals {
  options: { max: number };
  _pulseQueue(): void;
}

/**
 * Makes the driver's pool open one connection at a time, as HikariCP does. pg-pool opens a
 * connection for every caller that finds none idle, so a burst of callers opens many at once:
 * each a new backend that costs the server several ms of CPU (cold caches, every statement
 * prepared again) just when it is busiest, although most of those callers would have had a
 * connection handed back sooner. Here pg-pool's ceiling stays one above the connections already
 * open: while one opens, other callers wait in pg-pool's queue for whichever comes first, a
 * connection given back or the one being opened; the next opens as soon as it is up while
 * callers still wait, up to `max`.
 */
export function openOneAtATime(pool: pg.Pool, max: number): void {
  const driver = pool as unknown as DriverPoolInternals;
  let open = 0;
  const setCeiling = () => {
    driver.options.max = Math.min(max, open + 1);
  };
  setCeiling();
  pool.on('connect', () => {
    open++;
    setCeiling();
    // pg-pool looks at its queue again only when a connection comes back: callers still
    // waiting for one would wait for that, though the ceiling now lets the next open.
    process.nextTick(() => driver._pulseQueue());
  });
  pool.on('remove', () => {
    open = Math.max(0, open - 1);
    setCeiling();
  });
}
