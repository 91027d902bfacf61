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

/** The most recent samples in a fixed ring, so percentiles follow the current load in constant memory. */
export class RecentSamples {
  readonly #ring: Float64Array;
  readonly #observers: ((value: number) => void)[] = [];
  #count = 0;

  constructor(size = 4096) {
    this.#ring = new Float64Array(size);
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

  percentiles(): Percentiles {
    const n = Math.min(this.#count, this.#ring.length);
    const sorted = this.#ring.slice(0, n).sort();
    const at = (q: number) => (n === 0 ? 0 : round(sorted[Math.min(n - 1, Math.floor(q * n))] as number));
    return {
      p50: at(0.5),
      p95: at(0.95),
      p99: at(0.99),
      max: n ? round(sorted[n - 1] as number) : 0,
      samples: n,
    };
  }
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
