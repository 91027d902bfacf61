/** Cumulative counters since the pool was created; they only go up. */
export interface PoolCounters {
  /** Connections handed to borrowers. */
  acquired: number;
  /** Acquires that gave up after the acquire timeout (pool saturated). */
  timedOut: number;
  /** Acquires refused at once: wait queue full, pool closed, or a certain self-deadlock. */
  rejected: number;
  /** Connections held past the leak threshold. */
  leaks: number;
  /** Connections handed back inside an open or failed transaction (rolled back). */
  dirtyReturns: number;
  /** Connections handed back with session settings changed (RESET ALL). */
  sessionResets: number;
  /** Connections destroyed on return instead of reused (broken, unrepairable, or past their lifetime). */
  discarded: number;
  /** Release calls on an already released connection (harmless). */
  doubleReleases: number;
  /** Connections handed to a waiting caller while their transaction's COMMIT was being answered. */
  commitHandOvers: number;
  /** Server connections opened. */
  connectionsCreated: number;
  /** Connections that died (server restart, terminated backend, network), idle or checked out. */
  connectionsLost: number;
  /** Attempts to open a connection that failed. */
  connectionsFailed: number;
  /** Server connections closed, for any reason (idle timeout, lifetime, discarded, lost). */
  connectionsClosed: number;
}

export function emptyCounters(): PoolCounters {
  return {
    acquired: 0,
    timedOut: 0,
    rejected: 0,
    leaks: 0,
    dirtyReturns: 0,
    sessionResets: 0,
    discarded: 0,
    doubleReleases: 0,
    commitHandOvers: 0,
    connectionsCreated: 0,
    connectionsLost: 0,
    connectionsFailed: 0,
    connectionsClosed: 0,
  };
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
}

/**
 * While samples keep arriving, `percentiles()` computes anew at most this often and answers its
 * last result in between: /health served flat out spent half its CPU selecting quantiles.
 */
const RECOMPUTE_EVERY_MS = 100;

/** The most recent samples in a fixed ring, so percentiles follow the current load in constant memory. */
export class RecentSamples {
  readonly #ring: Float64Array;
  /** Where percentiles() rearranges a copy of the ring, allocated once. */
  readonly #scratch: Float64Array;
  readonly #observers: ((value: number) => void)[] = [];
  #count = 0;
  #last: { result: Percentiles; count: number; at: number } | undefined;

  constructor(size = 4096) {
    this.#ring = new Float64Array(size);
    this.#scratch = new Float64Array(size);
  }

  add(value: number): void {
    this.#ring[this.#count % this.#ring.length] = value;
    this.#count++;
    for (const observer of this.#observers) observer(value);
  }

  /** `observer` is told every sample from now on, as it is added. */
  observe(observer: (value: number) => void): void {
    this.#observers.push(observer);
  }

  /**
   * Exact quantiles of the recent samples (the value a sort would put at rank ⌊q·n⌋), found by
   * selection rather than a sort: /health asks for them on every call. While samples keep
   * arriving they are computed at most every 100 ms; a call sooner gets the last result.
   */
  percentiles(now = performance.now()): Percentiles {
    const last = this.#last;
    if (last && (last.count === this.#count || now - last.at < RECOMPUTE_EVERY_MS)) return last.result;
    const result = this.#compute();
    this.#last = { result, count: this.#count, at: now };
    return result;
  }

  #compute(): Percentiles {
    const n = Math.min(this.#count, this.#ring.length);
    if (n === 0) return { p50: 0, p95: 0, p99: 0, max: 0, samples: 0 };
    const values = this.#scratch;
    values.set(this.#ring.subarray(0, n));
    const rank = (q: number) => Math.min(n - 1, Math.floor(q * n));
    // Each selection leaves the larger values on its right: the next, higher rank is searched there.
    const p50 = select(values, rank(0.5), 0, n - 1);
    const p95 = select(values, rank(0.95), rank(0.5), n - 1);
    const p99 = select(values, rank(0.99), rank(0.95), n - 1);
    let max = p99;
    for (let i = rank(0.99) + 1; i < n; i++) max = Math.max(max, values[i] as number);
    return { p50: round(p50), p95: round(p95), p99: round(p99), max: round(max), samples: n };
  }
}

/**
 * Rearranges `a[lo..hi]` so that `a[k]` holds the value a sort would put there, with none larger
 * before it and none smaller after (Hoare's quickselect, median-of-three pivot); returns it.
 */
function select(a: Float64Array, k: number, lo: number, hi: number): number {
  const at = (i: number) => a[i] as number;
  let low = lo;
  let high = hi;
  while (low < high) {
    const x = at(low);
    const y = at((low + high) >> 1);
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), at(high)));
    let i = low;
    let j = high;
    while (i <= j) {
      while (at(i) < pivot) i++;
      while (at(j) > pivot) j--;
      if (i <= j) {
        const swapped = at(i);
        a[i++] = at(j);
        a[j--] = swapped;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else break; // between j and i every value equals the pivot
  }
  return at(k);
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export interface PoolStatus {
  initialized: boolean;
  closed: boolean;
  min: number;
  max: number;
  /** Server connections open or opening. */
  total: number;
  idle: number;
  /** Connections checked out by borrowers. */
  active: number;
  /** Callers queued for a connection. */
  waiting: number;
  /** Each checked-out connection: its server process, whether one-shot statements share it, and how many of its statements are in flight. */
  connections: ConnectionStatus[];
  counters: PoolCounters;
  /** Time callers waited for a connection; for a pipelined statement, until its turn on the connection came. */
  acquireWaitMs: Percentiles;
  /** How the statement and idle-in-transaction timeouts reach the server. */
  timeouts: TimeoutEnforcement;
}

/**
 * - `session`: set when each connection opens (direct connections);
 * - `server defaults`: through a pooler, the server starts every session with ours (ALTER ROLE … SET);
 * - `each transaction`: through a pooler, set by each transaction; the pool cancels one-shot
 *   statements past the statement timeout itself;
 * - `off`: both timeouts are 0.
 */
export type TimeoutEnforcement = 'session' | 'server defaults' | 'each transaction' | 'off';

export interface ConnectionStatus {
  /** The server's process id (through a pooler, the pooler's own id for this client connection). */
  pid: number;
  pipelined: boolean;
  inFlight: number;
}
