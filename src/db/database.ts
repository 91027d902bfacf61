import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { Connection, withRetries } from './connection.ts';
import {
  ConnectionFailedError,
  DbError,
  NestedAcquireError,
  PoolClosedError,
  PoolQueueFullError,
  PoolSaturatedError,
} from './errors.ts';
import { Lease, type LeaseOptions, type Origin, type RowMode } from './lease.ts';
import { Pipelines } from './pipeline.ts';
import { cancelOverdue, localTimeouts } from './pooler.ts';
import { QueryMethods, Transaction, type TransactionOptions, type Values } from './queryable.ts';
import type { PoolSettings } from './settings.ts';
import { StatementCache } from './statement-cache.ts';
import { routeOneShot } from './statements.ts';
import { emptyCounters, type PoolStatus, RecentSamples } from './stats.ts';
import { typeParsers } from './types.ts';

export interface DbLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface DatabaseOptions {
  /** Omit `connectionString` to let the driver read the PG* variables. */
  connection: { connectionString?: string; ssl?: false | ConnectionOptions };
  settings: PoolSettings;
  log?: DbLogger;
}

const silent: DbLogger = { info() {}, warn() {}, error() {} };
const QUEUE_TIMEOUT = 'timeout exceeded when trying to connect';
/** Frames of the calling code kept for leak reports. */
const ORIGIN_FRAMES = 6;

/**
 * The process's one pool. Connections exist only inside a scope (`withConnection`,
 * `transaction`, or `await using conn = await db.acquire()`), and every way out of a scope goes
 * through the return path, which hands back only clean connections. One-shot queries
 * (`db.one`, `db.many`, `db.exec`…) are pipelined: several share a connection, each with its own
 * result or error, while a scope keeps its connection to itself.
 */
export class Database extends QueryMethods {
  readonly #pool: pg.Pool;
  readonly #settings: PoolSettings;
  readonly #log: DbLogger;
  readonly #counters = emptyCounters();
  readonly #waits = new RecentSamples();
  readonly #active = new Set<Lease>();
  /** The leases held by the current async call chain, to refuse a certain self-deadlock. */
  readonly #scopes = new AsyncLocalStorage<readonly Lease[]>();
  /** When each connection must be retired: its lifetime less a random jitter, so they don't all go at once. */
  readonly #retireAt = new WeakMap<pg.PoolClient, number>();
  /** Each connection's named statements (none when prepared statements are off). */
  readonly #statements = new WeakMap<pg.PoolClient, StatementCache>();
  readonly #prepared: boolean;
  readonly #pipelines: Pipelines;
  readonly #leakSweep: NodeJS.Timeout | undefined;
  readonly #deadlineSweep: NodeJS.Timeout | undefined;
  /** Checkouts asked of pg-pool and not yet answered; and, of them, scopes that found no free connection. */
  readonly #transactionSetup: string;
  #connecting = 0;
  #scopesQueued = 0;
  #initialized = false;
  #toppingUp = false;
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  constructor({ connection, settings, log = silent }: DatabaseOptions) {
    super();
    if (settings.min > settings.max) throw new DbError('Pool min must not exceed max.');
    this.#settings = settings;
    this.#log = log;
    if (settings.preparedStatements && settings.transactionPooler) {
      throw new DbError('Prepared statements cannot be used through a transaction pooler (PgBouncer).');
    }
    this.#prepared = settings.preparedStatements ?? !settings.transactionPooler;
    const pooler = settings.transactionPooler;
    this.#pool = new pg.Pool({
      ...connection,
      min: settings.min,
      max: settings.max,
      idleTimeoutMillis: settings.idleTimeoutMs,
      connectionTimeoutMillis: settings.acquireTimeoutMs,
      maxLifetimeSeconds: Math.ceil(settings.maxLifetimeMs / 1000),
      application_name: settings.applicationName,
      pipeline: true,
      types: typeParsers,
      // Sent in the startup packet: they become the session defaults that RESET ALL restores.
      // PgBouncer refuses them; through it, transactions SET LOCAL them and the pool keeps deadlines.
      statement_timeout: (!pooler && settings.statementTimeoutMs) || undefined,
      idle_in_transaction_session_timeout: (!pooler && settings.idleInTransactionTimeoutMs) || undefined,
    });
    this.#transactionSetup = pooler ? localTimeouts(settings) : '';
    this.#pipelines = new Pipelines(this.#pipelineHost(), {
      depth: settings.pipelineDepth,
      acquireTimeoutMs: settings.acquireTimeoutMs,
      maxWaiters: settings.maxWaiters,
    });
    this.#pool.on('connect', (client) => {
      if (this.#prepared) this.#statements.set(client, new StatementCache(settings.statementCacheSize));
      this.#counters.connectionsCreated++;
      if (settings.maxLifetimeMs > 0) {
        const lifetime = settings.maxLifetimeMs * (1 - Math.random() * settings.maxLifetimeJitter);
        this.#retireAt.set(client, performance.now() + lifetime);
      }
    });
    this.#pool.on('remove', () => {
      this.#counters.connectionsClosed++;
      this.#topUp();
    });
    // An idle connection died: pg-pool has already dropped it. Never let this crash the process.
    this.#pool.on('error', (error) => {
      if (this.#closing) return;
      this.#counters.connectionsLost++;
      this.#log.warn({ err: messageOf(error) }, 'Connection pool: an idle connection was lost');
    });
    if (settings.leakThresholdMs > 0) {
      const every = Math.max(50, Math.min(settings.leakThresholdMs / 2, 1000));
      this.#leakSweep = setInterval(() => this.#reportLeaks(), every);
      this.#leakSweep.unref();
    }
    if (pooler && settings.statementTimeoutMs > 0) {
      const every = Math.max(10, Math.min(settings.statementTimeoutMs / 4, 250));
      this.#deadlineSweep = setInterval(
        () => cancelOverdue(this.#active, settings.statementTimeoutMs),
        every,
      );
      this.#deadlineSweep.unref();
    }
  }

  /** Opens the minimum number of connections, proving the server is reachable. */
  async initialize(): Promise<void> {
    await this.#warm(Math.max(1, this.#settings.min));
    this.#initialized = true;
    this.#log.info({ min: this.#settings.min, max: this.#settings.max }, 'Connection pool: initialized');
  }

  /** A connection for a block of code: `await using conn = await db.acquire()`. */
  async acquire(): Promise<Connection> {
    const lease = await this.#acquireScope(this.#origin(this.acquire));
    return new Connection(lease, () => this.#giveBack(lease));
  }

  /** Runs `fn` with a connection and gives it back, clean, however `fn` ends. */
  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    const origin = this.#origin(this.withConnection);
    return this.#inScope(origin, (lease) => fn(new Connection(lease, () => this.#giveBack(lease))));
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const origin = this.#origin(this.transaction);
    return withRetries(options, () => this.#inScope(origin, (lease) => Transaction.run(lease, fn, options)));
  }

  /** Runs `fn` with a connection of its own, known to the async call chain, and gives it back however `fn` ends. */
  async #inScope<T>(origin: Origin | undefined, fn: (lease: Lease) => Promise<T>): Promise<T> {
    const lease = await this.#acquireScope(origin);
    try {
      return await this.#scopes.run([...(this.#scopes.getStore() ?? []), lease], () => fn(lease));
    } finally {
      await this.#giveBack(lease);
    }
  }

  protected async run(sql: string, values: Values | undefined, rowMode: RowMode): Promise<pg.QueryResult> {
    const askedAt = performance.now();
    if (routeOneShot(sql, values) === 'alone') {
      // A script or a session lock: a connection of its own, cleaned by the return path.
      // A one-shot query cannot leak past its statement: name the statement, not the stack (cheaper).
      const lease = await this.#acquireScope(this.#tracing ? oneShotOrigin(sql) : undefined);
      try {
        return await lease.send(sql, values, rowMode);
      } finally {
        await this.#giveBack(lease);
      }
    }
    this.#refuseNewWork();
    const shared = await this.#pipelines.take();
    try {
      const lease = shared.lease ?? (await shared.ready);
      return await lease.send(sql, values, rowMode, askedAt);
    } finally {
      this.#pipelines.settled(shared);
    }
  }

  status(): PoolStatus {
    // A shared connection that carries nothing right now is idle, though pg-pool has not had it back yet.
    const idleShared = this.#pipelines.idleLeases();
    const busy = [...this.#active].filter((lease) => !idleShared.includes(lease));
    return {
      initialized: this.#initialized,
      closed: this.#closing !== undefined,
      min: this.#settings.min,
      max: this.#settings.max,
      total: this.#pool.totalCount,
      idle: this.#pool.idleCount + idleShared.length,
      active: busy.length,
      waiting: this.#waiting(),
      connections: busy.map((lease) => ({
        pid: (lease.client as { processID?: number | null }).processID ?? 0,
        pipelined: lease.pipelined,
        inFlight: lease.pending,
      })),
      counters: { ...this.#counters },
      acquireWaitMs: this.#waits.percentiles(),
    };
  }

  /**
   * Refuses new work, lets borrowers finish until the deadline, then destroys what is left.
   * Resolves by the deadline even if a borrower never comes back.
   */
  close({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<void> {
    this.#closing ??= this.#shutDown(timeoutMs);
    return this.#closing;
  }

  async #shutDown(timeoutMs: number): Promise<void> {
    clearInterval(this.#leakSweep);
    clearInterval(this.#deadlineSweep);
    this.#pipelines.rejectQueued(new PoolClosedError());
    if (this.#active.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => {
          this.#drained = resolve;
        }),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    for (const lease of this.#active) {
      this.#log.warn(
        { heldMs: Math.round(lease.heldMs()), stack: lease.origin?.stack },
        'Connection pool: closing a connection still in use at the close deadline',
      );
      lease.returned = true;
      lease.closedByPool = true;
      // A pipelined client ends gracefully after its statements: this one must stop now.
      (
        lease.client as unknown as { connection: { stream: { destroy(): void } } }
      ).connection.stream.destroy();
      this.#release(lease, new PoolClosedError());
    }
    await this.#pool.end();
    this.#log.info({}, 'Connection pool: closed');
  }

  /** Opens connections until `count` are idle at once (idle ones are taken first, then new ones opened). */
  async #warm(count: number): Promise<void> {
    const broken = new WeakMap<pg.PoolClient, Error>();
    const hold = (client: pg.PoolClient) => {
      // Held until all are open: a connection dying meanwhile must not crash the process.
      const onError = (error: Error) => broken.set(client, error);
      client.on('error', onError);
      return { client, onError };
    };
    const held = await Promise.allSettled(
      Array.from({ length: count }, () => this.#pool.connect().then(hold)),
    );
    for (const result of held) {
      if (result.status !== 'fulfilled') continue;
      const { client, onError } = result.value;
      client.removeListener('error', onError);
      client.release(broken.get(client));
    }
    const failed = held.find((result) => result.status === 'rejected');
    if (failed) throw this.#acquireFailure(failed.reason, 0);
  }

  /** Keeps `min` connections open after some were closed, in the background. */
  #topUp(): void {
    const pool = this.#pool;
    if (!this.#initialized || this.#closing || this.#toppingUp || pool.totalCount >= this.#settings.min)
      return;
    this.#toppingUp = true;
    setImmediate(() => {
      const missing = this.#settings.min - pool.totalCount;
      const warming =
        missing > 0 && !this.#closing ? this.#warm(missing + pool.idleCount) : Promise.resolve();
      warming
        .catch(() => {}) // counted as failed connections; the next call retries
        .finally(() => {
          this.#toppingUp = false;
        });
    });
  }

  /** The caller's stack, taken before the first await so it still names the calling code. */
  #origin(entry: (...args: never[]) => unknown): Origin | undefined {
    if (!this.#tracing) return undefined;
    // Only the caller's frames, from the public method it called down: a short stack is much
    // cheaper to capture and to keep while the connection is held, and still names the code.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const origin = new Error('connection acquired here');
    Error.stackTraceLimit = ORIGIN_FRAMES;
    Error.captureStackTrace(origin, entry);
    Error.stackTraceLimit = limit;
    return origin;
  }

  get #tracing(): boolean {
    return this.#settings.leakThresholdMs > 0;
  }

  /** Refuses at once what could only wait forever or pile up: a closed pool, a certain self-deadlock. */
  #refuseNewWork(): void {
    if (this.#closing) {
      this.#counters.rejected++;
      throw new PoolClosedError();
    }
    const held = (this.#scopes.getStore() ?? []).filter((lease) => !lease.returned).length;
    if (held >= this.#settings.max) {
      this.#counters.rejected++;
      throw new NestedAcquireError(held, this.#settings.max);
    }
  }

  /** A connection of the caller's own: a scope, or a one-shot that must run alone. */
  async #acquireScope(origin: Origin | undefined): Promise<Lease> {
    this.#refuseNewWork();
    this.#pipelines.releaseIdle();
    const queued = !this.#hasFreeConnection();
    if (queued && this.#waiting() >= this.#settings.maxWaiters) {
      this.#counters.rejected++;
      throw new PoolQueueFullError(this.#settings.maxWaiters);
    }
    const started = performance.now();
    if (queued) this.#scopesQueued++;
    let client: pg.PoolClient;
    try {
      client = await this.#connect();
    } catch (error) {
      throw this.#acquireFailure(error, performance.now() - started);
    } finally {
      if (queued) this.#scopesQueued--;
    }
    this.#waits.add(performance.now() - started);
    return this.#lease(client, origin, false);
  }

  /** pg-pool's checkout, counted so that the pipelines know whether a connection is free right now. */
  async #connect(): Promise<pg.PoolClient> {
    this.#connecting++;
    try {
      return await this.#pool.connect();
    } finally {
      this.#connecting--;
    }
  }

  #lease(client: pg.PoolClient, origin: Origin | undefined, pipelined: boolean): Lease {
    if (this.#closing) {
      client.release();
      throw new PoolClosedError();
    }
    this.#counters.acquired++;
    // Pipeline mode only where statements of several callers share the client; a scope's
    // statements run one after another and the classic mode costs less per statement.
    (client as { pipeline: boolean }).pipeline = pipelined;
    const options: LeaseOptions = {
      statements: this.#statements.get(client),
      transactionPooler: this.#settings.transactionPooler,
      waits: pipelined ? this.#waits : undefined,
      transactionSetup: this.#transactionSetup,
    };
    const lease = new Lease(client, origin, options);
    this.#active.add(lease);
    return lease;
  }

  #hasFreeConnection(): boolean {
    return this.#active.size + this.#connecting < this.#settings.max;
  }

  #waiting(): number {
    return this.#scopesQueued + this.#pipelines.waiting;
  }

  #pipelineHost() {
    return {
      checkOut: async () => this.#lease(await this.#connect(), undefined, true),
      giveBack: (lease: Lease) => {
        this.#giveBack(lease);
      },
      hasFreeConnection: () => this.#hasFreeConnection(),
      scopeWaiting: () => this.#scopesQueued > 0,
      retiring: (lease: Lease) => this.#isPastLifetime(lease),
      waiting: () => this.#waiting(),
      queueFull: () => {
        this.#counters.rejected++;
        return new PoolQueueFullError(this.#settings.maxWaiters);
      },
      saturated: (waitedMs: number) => {
        this.#counters.timedOut++;
        return new PoolSaturatedError(Math.round(waitedMs), this.#settings.max, this.#holderStacks());
      },
      failed: (error: unknown) => {
        if (error instanceof Error && error.message === QUEUE_TIMEOUT) return undefined;
        return this.#acquireFailure(error, 0);
      },
    };
  }

  #acquireFailure(error: unknown, waitedMs: number): DbError {
    if (this.#closing) return new PoolClosedError();
    if (error instanceof Error && error.message === QUEUE_TIMEOUT) {
      this.#counters.timedOut++;
      return new PoolSaturatedError(Math.round(waitedMs), this.#settings.max, this.#holderStacks());
    }
    this.#counters.connectionsFailed++;
    return new ConnectionFailedError(error);
  }

  /**
   * The return path. Waits for the scope's queries still running, then hands the connection
   * back only if it is clean: an open transaction is rolled back, changed session settings are
   * reset, and a broken or unrepairable connection is destroyed.
   */
  #giveBack(lease: Lease): void | Promise<void> {
    if (lease.returned) {
      if (!lease.closedByPool) this.#counters.doubleReleases++;
      return;
    }
    lease.returned = true;
    if (lease.inFlight.size > 0) {
      return Promise.allSettled([...lease.inFlight]).then(() => this.#repair(lease));
    }
    return this.#repair(lease);
  }

  #repair(lease: Lease): void | Promise<void> {
    if (lease.lostError !== undefined) return this.#release(lease, lease.lostError);
    if (lease.sessionChange === 'discard') return this.#release(lease, new Error('session state changed'));
    const inTransaction = lease.client.getTransactionStatus() !== 'I';
    if (inTransaction || lease.sessionChange === 'reset') return this.#repairAsync(lease, inTransaction);
    this.#release(lease, this.#isPastLifetime(lease) ? new Error('retired') : undefined);
  }

  async #repairAsync(lease: Lease, inTransaction: boolean): Promise<void> {
    try {
      if (inTransaction) {
        this.#counters.dirtyReturns++;
        await lease.client.query('ROLLBACK');
      }
      if (lease.sessionChange === 'reset') {
        this.#counters.sessionResets++;
        await lease.client.query('RESET ALL');
      }
    } catch (error) {
      lease.lostError ??= error;
    }
    this.#release(lease, lease.lostError);
  }

  #release(lease: Lease, discardReason: unknown): void {
    this.#active.delete(lease);
    if (lease.lostError !== undefined && !lease.closedByPool) this.#counters.connectionsLost++;
    if (discardReason !== undefined) this.#counters.discarded++;
    lease.client.removeListener('error', lease.onError);
    if (lease.closedByPool) lease.client.on('error', () => {});
    lease.client.release(discardReason === undefined ? undefined : asError(discardReason));
    if (lease.leakReported) {
      this.#log.info(
        { heldMs: Math.round(lease.heldMs()) },
        'Connection pool: a leaked connection came back',
      );
    }
    if (this.#active.size === 0) this.#drained?.();
  }

  #isPastLifetime(lease: Lease): boolean {
    const retireAt = this.#retireAt.get(lease.client);
    return retireAt !== undefined && performance.now() > retireAt;
  }

  #reportLeaks(): void {
    const now = performance.now();
    for (const lease of this.#active) {
      // A pipelined connection is held as long as one-shot statements keep coming: not a leak.
      if (lease.pipelined || lease.leakReported || lease.heldMs(now) < this.#settings.leakThresholdMs)
        continue;
      lease.leakReported = true;
      this.#counters.leaks++;
      this.#log.warn(
        { heldMs: Math.round(lease.heldMs(now)), stack: lease.origin?.stack },
        'Connection pool: a connection is held past the leak threshold',
      );
    }
  }

  /** Where the longest-held connections were taken, for a saturation error. */
  #holderStacks(): string[] {
    const pipelined = [...this.#active].filter((lease) => lease.pipelined);
    const shared = pipelined.length
      ? [
          `${pipelined.length} connections carry one-shot statements (${pipelined.reduce((n, l) => n + l.pending, 0)} in flight)`,
        ]
      : [];
    return [...this.#active]
      .filter((lease) => !lease.pipelined)
      .sort((a, b) => a.acquiredAt - b.acquiredAt)
      .slice(0, 3)
      .flatMap((lease) =>
        lease.origin?.stack ? [`held ${Math.round(lease.heldMs())} ms, ${lease.origin.stack}`] : [],
      )
      .concat(shared);
  }
}

function oneShotOrigin(sql: string): Origin {
  return {
    get stack() {
      return `one-shot query: ${sql.replace(/\s+/g, ' ').slice(0, 200)}`;
    },
  };
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
