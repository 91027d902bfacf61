import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import {
  ConnectionFailedError,
  type DbError,
  NestedAcquireError,
  PoolClosedError,
  PoolQueueFullError,
  PoolSaturatedError,
} from './errors.ts';
import type { LeakWatch } from './leaks.ts';
import { Lease, type LeaseOptions, type Origin } from './lease.ts';
import { type PipelineHost, Pipelines, type SharedConnection } from './pipeline.ts';
import { localTimeouts } from './pooler.ts';
import type { ReturnPath } from './return-path.ts';
import type { PoolSettings } from './settings.ts';
import { StatementCache } from './statement-cache.ts';
import type { StatementCosts } from './statement-costs.ts';
import type { PoolCounters, RecentSamples } from './stats.ts';

/**
 * How long the statements in flight on a shared connection may be expected to take before quick
 * statements stop joining it, and what a statement not seen yet is taken to cost: about a hundred
 * indexed reads here. It bounds how long a packed statement waits for its turn.
 */
export const PACK_MS = 2;

/** pg-pool's message when a checkout waited past `connectionTimeoutMillis`; ours say the same. */
const QUEUE_TIMEOUT = 'timeout exceeded when trying to connect';

/** A caller waiting for a connection to be handed back, first come first served. */
interface Waiter {
  readonly deadline: number;
  readonly origin: Origin | undefined;
  readonly pipelined: boolean;
  resolve(lease: Lease): void;
  reject(error: unknown): void;
}

export interface CheckoutsOptions {
  pool: pg.Pool;
  settings: PoolSettings;
  /** The checked-out leases: a lease joins the set when its connection is handed out. */
  active: Set<Lease>;
  counters: PoolCounters;
  /** How long callers waited for a connection. */
  waits: RecentSamples;
  leaks: LeakWatch;
  returnPath: ReturnPath;
  /** What one-shot statements cost their connection, timed on the shared ones. */
  costs: StatementCosts;
}

/**
 * Hands pg-pool's connections out as leases: a connection of its own to a scope, or a place on a
 * connection shared by one-shot statements (the pipelines decide which). Refuses at once what
 * could only wait forever or pile up (a closed pool, a certain self-deadlock, a full queue), and
 * turns a failed checkout into the pool's error.
 */
export class Checkouts {
  readonly #pool: pg.Pool;
  readonly #settings: PoolSettings;
  readonly #active: Set<Lease>;
  readonly #counters: PoolCounters;
  readonly #waits: RecentSamples;
  readonly #leaks: LeakWatch;
  readonly #returnPath: ReturnPath;
  readonly #costs: StatementCosts;
  readonly #pipelines: Pipelines;
  /** The leases held by the current async call chain, to refuse a certain self-deadlock. */
  readonly #scopes = new AsyncLocalStorage<readonly Lease[]>();
  /** Each connection's named statements (none when prepared statements are off). */
  readonly #statements = new WeakMap<pg.PoolClient, StatementCache>();
  readonly #prepared: boolean;
  /** Callers that found every connection checked out, oldest first (same timeout: earliest deadline first). */
  readonly #queue: Waiter[] = [];
  /** One timer for the whole queue, due at its head's deadline. */
  #deadline: NodeJS.Timeout | undefined;
  #transactionSetup: string;
  /** Checkouts asked of pg-pool and not yet answered. */
  #connecting = 0;
  /** Scopes that found no free connection and are not served yet (in the queue or at pg-pool). */
  #scopesQueued = 0;
  #closed = false;

  constructor(options: CheckoutsOptions) {
    const { settings } = options;
    this.#pool = options.pool;
    this.#settings = settings;
    this.#active = options.active;
    this.#counters = options.counters;
    this.#waits = options.waits;
    this.#leaks = options.leaks;
    this.#returnPath = options.returnPath;
    this.#costs = options.costs;
    this.#prepared = settings.preparedStatements ?? !settings.transactionPooler;
    this.#transactionSetup = settings.transactionPooler ? localTimeouts(settings) : '';
    this.#pipelines = new Pipelines(this.#pipelineHost(), {
      depth: settings.pipelineDepth,
      packMs: PACK_MS,
      acquireTimeoutMs: settings.acquireTimeoutMs,
      maxWaiters: settings.maxWaiters,
    });
  }

  /** Callers waiting for a connection to be handed back. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Callers queued for a connection, scopes and one-shot statements together. */
  get waiting(): number {
    return this.#scopesQueued + this.#pipelines.waiting;
  }

  /** The server applies our timeouts itself: transactions no longer set them. */
  timeoutsFromServer(): void {
    this.#transactionSetup = '';
  }

  /** Gives a connection just opened its cache of named statements (when prepared statements are on). */
  opened(client: pg.PoolClient): void {
    if (this.#prepared) this.#statements.set(client, new StatementCache(this.#settings.statementCacheSize));
  }

  /** Runs `fn` with a connection of its own, known to the async call chain, and gives it back however `fn` ends. */
  async scoped<T>(origin: Origin | undefined, fn: (lease: Lease) => Promise<T>): Promise<T> {
    const lease = await this.scope(origin);
    try {
      const outer = this.#scopes.getStore();
      return await this.#scopes.run(outer ? [...outer, lease] : [lease], () => fn(lease));
    } finally {
      await this.#returnPath.giveBack(lease);
    }
  }

  /** A connection of the caller's own: a scope, or a one-shot that must run alone. */
  async scope(origin: Origin | undefined): Promise<Lease> {
    this.#refuseNewWork();
    this.#pipelines.releaseIdle();
    const queued = !this.#hasFreeConnection();
    if (queued && this.waiting >= this.#settings.maxWaiters) {
      this.#counters.rejected++;
      throw new PoolQueueFullError(this.#settings.maxWaiters);
    }
    const started = performance.now();
    if (queued) this.#scopesQueued++;
    let lease: Lease;
    try {
      lease = await this.#checkOut(origin, false);
    } catch (error) {
      throw this.failure(error, performance.now() - started);
    } finally {
      if (queued) this.#scopesQueued--;
    }
    this.#waits.add(performance.now() - started);
    return lease;
  }

  /**
   * A clean connection coming back goes straight to the oldest caller waiting for one, without
   * passing through pg-pool (whose hand-back and checkout cost more than the statements of a
   * short transaction); `false` when no one waits. Callers in pg-pool's own queue wait for a
   * connection being opened, their place kept: they need none of those handed back.
   */
  handOver(client: pg.PoolClient): boolean {
    const waiter = this.#queue.shift();
    if (!waiter) return false;
    waiter.resolve(this.#lease(client, waiter.origin, waiter.pipelined));
    return true;
  }

  /** A connection went back to pg-pool or was closed: callers queued here take the free places. */
  freed(): void {
    while (this.#queue.length > 0 && this.#hasFreePlace()) {
      const waiter = this.#queue.shift() as Waiter;
      this.#connect()
        .then((client) => this.#lease(client, waiter.origin, waiter.pipelined))
        .then(waiter.resolve, waiter.reject);
    }
  }

  /**
   * A place on a shared connection for one one-shot statement expected to take `costMs` there
   * (`StatementCosts.expected`); `settled` must follow, with the same cost, once it is answered.
   */
  share(costMs: number): SharedConnection | Promise<SharedConnection> {
    this.#refuseNewWork();
    return this.#pipelines.take(costMs);
  }

  /** The statement given `shared` for `costMs` was answered (or failed). */
  settled(shared: SharedConnection, costMs: number): void {
    this.#pipelines.settled(shared, costMs);
  }

  /** Shared connections carrying nothing right now: idle, though pg-pool has not had them back yet. */
  idleShared(): Lease[] {
    return this.#pipelines.idleLeases();
  }

  /** The pool's error for a checkout that failed after waiting `waitedMs`. */
  failure(error: unknown, waitedMs: number): DbError {
    if (this.#closed) return new PoolClosedError();
    if (error instanceof Error && error.message === QUEUE_TIMEOUT) {
      this.#counters.timedOut++;
      return this.#saturated(waitedMs);
    }
    this.#counters.connectionsFailed++;
    return new ConnectionFailedError(error);
  }

  /** Refuses every new checkout, and every one-shot statement still queued (the pool is closing). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#deadline);
    for (const waiter of this.#queue.splice(0)) waiter.reject(new PoolClosedError());
    this.#pipelines.rejectQueued(new PoolClosedError());
  }

  /** Refuses at once what could only wait forever or pile up: a closed pool, a certain self-deadlock. */
  #refuseNewWork(): void {
    if (this.#closed) {
      this.#counters.rejected++;
      throw new PoolClosedError();
    }
    const scopes = this.#scopes.getStore();
    // Fewer scopes than `max` around this call cannot hold every connection.
    const held = scopes && scopes.length >= this.#settings.max ? scopes.filter((l) => !l.returned).length : 0;
    if (held >= this.#settings.max) {
      this.#counters.rejected++;
      throw new NestedAcquireError(held, this.#settings.max);
    }
  }

  /** A lease on a free connection, else on the first one handed back, waiting at most `acquireTimeoutMs`. */
  #checkOut(origin: Origin | undefined, pipelined: boolean): Promise<Lease> {
    if (this.#hasFreeConnection())
      return this.#connect().then((client) => this.#lease(client, origin, pipelined));
    return new Promise((resolve, reject) => {
      const deadline = performance.now() + this.#settings.acquireTimeoutMs;
      this.#queue.push({ deadline, origin, pipelined, resolve, reject });
      this.#armDeadline();
    });
  }

  /** Times out the callers past their deadline, then waits for the next one's. */
  #armDeadline(): void {
    if (this.#deadline || this.#queue.length === 0) return;
    const wait = (this.#queue[0] as Waiter).deadline - performance.now();
    this.#deadline = setTimeout(
      () => {
        this.#deadline = undefined;
        const now = performance.now();
        while (this.#queue.length > 0 && (this.#queue[0] as Waiter).deadline <= now) {
          (this.#queue.shift() as Waiter).reject(new Error(QUEUE_TIMEOUT));
        }
        this.#armDeadline();
      },
      Math.max(0, wait),
    );
    this.#deadline.unref();
  }

  /** pg-pool's checkout, counted so that the pipelines know whether a connection is free right now. */
  async #connect(): Promise<pg.PoolClient> {
    this.#connecting++;
    let failed = false;
    try {
      return await this.#pool.connect();
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      this.#connecting--;
      // A connection that could not be opened leaves its place to a queued caller.
      if (failed && this.#queue.length > 0) this.freed();
    }
  }

  #lease(client: pg.PoolClient, origin: Origin | undefined, pipelined: boolean): Lease {
    if (this.#closed) {
      client.release();
      throw new PoolClosedError();
    }
    this.#counters.acquired++;
    // Pipeline mode only where statements of several callers share the client, or behind the
    // COMMIT of the previous holder still being answered; a scope's statements run one after
    // another and the classic mode costs less per statement.
    const driver = client as unknown as { pipeline: boolean; readyForQuery: boolean };
    driver.pipeline = pipelined || !driver.readyForQuery;
    const options: LeaseOptions = {
      statements: this.#statements.get(client),
      transactionPooler: this.#settings.transactionPooler,
      waits: pipelined ? this.#waits : undefined,
      costs: pipelined ? this.#costs : undefined,
      transactionSetup: this.#transactionSetup,
    };
    const lease = new Lease(client, origin, options);
    this.#active.add(lease);
    return lease;
  }

  /** A connection for a new caller now, without waiting; none while callers queue (they come first). */
  #hasFreeConnection(): boolean {
    return this.#queue.length === 0 && this.#hasFreePlace();
  }

  /** Fewer connections checked out or being checked out than `max`. */
  #hasFreePlace(): boolean {
    return this.#active.size + this.#connecting < this.#settings.max;
  }

  #saturated(waitedMs: number): PoolSaturatedError {
    return new PoolSaturatedError(Math.round(waitedMs), this.#settings.max, this.#leaks.holderStacks());
  }

  #pipelineHost(): PipelineHost {
    return {
      checkOut: () => this.#checkOut(undefined, true),
      giveBack: (lease: Lease) => {
        this.#returnPath.giveBack(lease);
      },
      hasFreeConnection: () => this.#hasFreeConnection(),
      scopeWaiting: () => this.#scopesQueued > 0,
      retiring: (lease: Lease) => this.#returnPath.isPastLifetime(lease),
      waiting: () => this.waiting,
      queueFull: () => {
        this.#counters.rejected++;
        return new PoolQueueFullError(this.#settings.maxWaiters);
      },
      saturated: (waitedMs: number) => {
        this.#counters.timedOut++;
        return this.#saturated(waitedMs);
      },
      failed: (error: unknown) => {
        if (error instanceof Error && error.message === QUEUE_TIMEOUT) return undefined;
        return this.failure(error, 0);
      },
    };
  }
}
