import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { Checkouts, PACK_MS } from './checkout.ts';
import { Connection, withRetries } from './connection.ts';
import { DbError, PoolClosedError } from './errors.ts';
import { openOneAtATime } from './growth.ts';
import { LeakWatch } from './leaks.ts';
import type { Lease, RowMode } from './lease.ts';
import { type DbLogger, silentLogger } from './logger.ts';
import { cancelOverdue, roleTimeoutsHint, serverAppliesTimeouts, TIMEOUT_SETTINGS_SQL } from './pooler.ts';
import { QueryMethods, Transaction, type TransactionOptions, type Values } from './queryable.ts';
import { ReturnPath } from './return-path.ts';
import type { PoolSettings } from './settings.ts';
import { StatementCosts } from './statement-costs.ts';
import { routeOneShot } from './statements.ts';
import { emptyCounters, type PoolStatus, RecentSamples, type TimeoutEnforcement } from './stats.ts';
import { poolStatus } from './status.ts';
import { typeParsers } from './types.ts';
import { WarmUp } from './warm-up.ts';

export type { DbLogger } from './logger.ts';

export interface DatabaseOptions {
  /** Omit `connectionString` to let the driver read the PG* variables. */
  connection: { connectionString?: string; ssl?: false | ConnectionOptions };
  settings: PoolSettings;
  log?: DbLogger;
}

/**
 * The process's one pool. Connections exist only inside a scope (`withConnection`,
 * `transaction`, or `await using conn = await db.acquire()`), and every way out of a scope goes
 * through the return path, which hands back only clean connections. One-shot queries
 * (`db.one`, `db.many`, `db.exec`…) are pipelined: several share a connection, each with its own
 * result or error, while a scope keeps its connection to itself.
 *
 * The work is shared by collaborators over the same state (the checked-out leases, the counters):
 * `Checkouts` hands connections out, `ReturnPath` takes them back clean, `LeakWatch` names who
 * holds them, `WarmUp` keeps `min` open; this class is the public face and the lifecycle.
 */
export class Database extends QueryMethods {
  readonly #pool: pg.Pool;
  readonly #settings: PoolSettings;
  readonly #log: DbLogger;
  readonly #counters = emptyCounters();
  readonly #waits = new RecentSamples();
  readonly #costs = new StatementCosts(PACK_MS);
  /** Every checked-out lease: added by the checkouts, removed by the return path. */
  readonly #active = new Set<Lease>();
  readonly #leaks: LeakWatch;
  readonly #returnPath: ReturnPath;
  readonly #checkouts: Checkouts;
  readonly #warmUp: WarmUp;
  #deadlineSweep: NodeJS.Timeout | undefined;
  #timeouts: TimeoutEnforcement;
  #closing: Promise<void> | undefined;

  constructor({ connection, settings, log = silentLogger }: DatabaseOptions) {
    super();
    if (settings.min > settings.max) throw new DbError('Pool min must not exceed max.');
    this.#settings = settings;
    this.#log = log;
    if (settings.preparedStatements && settings.transactionPooler) {
      throw new DbError('Prepared statements cannot be used through a transaction pooler (PgBouncer).');
    }
    const pool = driverPool(connection, settings);
    openOneAtATime(pool, settings.max);
    const active = this.#active;
    const counters = this.#counters;
    this.#pool = pool;
    this.#leaks = new LeakWatch(active, { thresholdMs: settings.leakThresholdMs, counters, log });
    this.#returnPath = new ReturnPath({
      active,
      counters,
      leaks: this.#leaks,
      maxLifetimeMs: settings.maxLifetimeMs,
      maxLifetimeJitter: settings.maxLifetimeJitter,
      handOver: (client) => this.#checkouts.handOver(client),
      waiting: () => this.#checkouts.queued > 0,
    });
    const checkouts = new Checkouts({
      pool,
      settings,
      active,
      counters,
      waits: this.#waits,
      leaks: this.#leaks,
      returnPath: this.#returnPath,
      costs: this.#costs,
    });
    this.#checkouts = checkouts;
    this.#warmUp = new WarmUp(pool, { min: settings.min, failure: (error) => checkouts.failure(error, 0) });
    pool.on('connect', (client) => {
      checkouts.opened(client);
      counters.connectionsCreated++;
      this.#returnPath.opened(client);
    });
    pool.on('remove', () => {
      counters.connectionsClosed++;
      this.#warmUp.topUp();
      checkouts.freed();
    });
    // A connection given back broken frees its place once pg-pool has dropped it (it tells just before).
    pool.on('release', (error) => {
      if (error) process.nextTick(() => checkouts.freed());
    });
    // An idle connection died: pg-pool has already dropped it. Never let this crash the process.
    pool.on('error', (error) => {
      if (this.#closing) return;
      counters.connectionsLost++;
      log.warn({ err: messageOf(error) }, 'Connection pool: an idle connection was lost');
    });
    const timeoutsOn = settings.statementTimeoutMs > 0 || settings.idleInTransactionTimeoutMs > 0;
    this.#timeouts = !timeoutsOn ? 'off' : settings.transactionPooler ? 'each transaction' : 'session';
    if (settings.transactionPooler && settings.statementTimeoutMs > 0) {
      const every = Math.max(10, Math.min(settings.statementTimeoutMs / 4, 250));
      this.#deadlineSweep = setInterval(() => cancelOverdue(active, settings.statementTimeoutMs), every);
      this.#deadlineSweep.unref();
    }
  }

  /** Opens the minimum number of connections, proving the server is reachable. */
  async initialize(): Promise<void> {
    await this.#warmUp.initialize();
    const hint = this.#timeouts === 'each transaction' ? await this.#lookForServerTimeouts() : undefined;
    const { min, max } = this.#settings;
    this.#log.info(
      { min, max, timeouts: this.#timeouts, ...(hint && { hint }) },
      'Connection pool: initialized',
    );
  }

  /**
   * Through a pooler, a server that already applies our timeouts spares each transaction setting
   * them; otherwise, how an operator can make it so.
   */
  async #lookForServerTimeouts(): Promise<string | undefined> {
    const rows = await this.many<{ name: string; setting: string; source: string; database: string }>(
      TIMEOUT_SETTINGS_SQL,
    );
    if (!serverAppliesTimeouts(rows, this.#settings))
      return roleTimeoutsHint(rows[0]?.database ?? '', this.#settings);
    this.#checkouts.timeoutsFromServer();
    clearInterval(this.#deadlineSweep);
    this.#timeouts = 'server defaults';
    return undefined;
  }

  /** A connection for a block of code: `await using conn = await db.acquire()`. */
  async acquire(): Promise<Connection> {
    const lease = await this.#checkouts.scope(this.#leaks.origin(this.acquire));
    return new Connection(lease, () => this.#returnPath.giveBack(lease));
  }

  /** Runs `fn` with a connection and gives it back, clean, however `fn` ends. */
  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    const origin = this.#leaks.origin(this.withConnection, fn);
    return this.#checkouts.scoped(origin, (lease) =>
      fn(new Connection(lease, () => this.#returnPath.giveBack(lease))),
    );
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const origin = this.#leaks.origin(this.transaction, fn);
    // Through a transaction pooler, statements behind a COMMIT could reach the server session it frees.
    const handOn = !this.#settings.transactionPooler;
    return withRetries(options, () =>
      this.#checkouts.scoped(origin, (lease) =>
        Transaction.run(
          lease,
          fn,
          options,
          handOn ? () => this.#returnPath.handOnCommitting(lease) : undefined,
        ),
      ),
    );
  }

  protected async run(sql: string, values: Values | undefined, rowMode: RowMode): Promise<pg.QueryResult> {
    const askedAt = performance.now();
    if (routeOneShot(sql, values) === 'alone') {
      // A script or a session lock: a connection of its own, cleaned by the return path.
      const lease = await this.#checkouts.scope(this.#leaks.oneShotOrigin(sql));
      try {
        return await lease.send(sql, values, rowMode);
      } finally {
        await this.#returnPath.giveBack(lease);
      }
    }
    const costMs = this.#costs.expected(sql);
    const shared = await this.#checkouts.share(costMs);
    try {
      const lease = shared.lease ?? (await shared.ready);
      return await lease.send(sql, values, rowMode, askedAt);
    } finally {
      this.#checkouts.settled(shared, costMs);
    }
  }

  /**
   * `observer` is told, in milliseconds, how long each caller from now on waited for a connection
   * (a histogram's feed; `status()` keeps quantiles over the recent ones).
   */
  observeAcquireWaits(observer: (waitedMs: number) => void): void {
    this.#waits.observe(observer);
  }

  status(): PoolStatus {
    return poolStatus({
      initialized: this.#warmUp.initialized,
      closed: this.#closing !== undefined,
      min: this.#settings.min,
      max: this.#settings.max,
      driver: this.#pool,
      active: this.#active,
      idleShared: this.#checkouts.idleShared(),
      waiting: this.#checkouts.waiting,
      counters: this.#counters,
      waits: this.#waits,
      timeouts: this.#timeouts,
    });
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
    this.#leaks.stop();
    clearInterval(this.#deadlineSweep);
    this.#warmUp.stop();
    this.#checkouts.close();
    if (this.#active.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.#returnPath.drained(),
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
      this.#returnPath.destroy(lease, new PoolClosedError());
    }
    await this.#pool.end();
    this.#log.info({}, 'Connection pool: closed');
  }
}

/** The driver's pool, configured for ours: pipelining available, our type parsers, the session timeouts. */
function driverPool(connection: DatabaseOptions['connection'], settings: PoolSettings): pg.Pool {
  const pooler = settings.transactionPooler;
  return new pg.Pool({
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
    // PgBouncer refuses them; through it, transactions set them locally and the pool keeps deadlines.
    statement_timeout: (!pooler && settings.statementTimeoutMs) || undefined,
    idle_in_transaction_session_timeout: (!pooler && settings.idleInTransactionTimeoutMs) || undefined,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
