import type { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { LeakWatch } from './leaks.ts';
import type { Lease } from './lease.ts';
import type { PoolCounters } from './stats.ts';

export interface ReturnPathOptions {
  /** The checked-out leases: a lease leaves the set when its connection is handed back. */
  active: Set<Lease>;
  counters: PoolCounters;
  leaks: LeakWatch;
  maxLifetimeMs: number;
  maxLifetimeJitter: number;
  /** Gives a clean connection to a caller waiting for one; `false` when none waits (it goes to pg-pool). */
  handOver(client: pg.PoolClient): boolean;
  /** Whether a caller waits for a connection to be handed back. */
  waiting(): boolean;
}

/**
 * The return path: every checkout ends here, and hands on only clean connections (to the oldest
 * waiting caller, else to pg-pool). It
 * waits for the scope's statements still running; an open transaction is rolled back, changed
 * session settings are reset, and a broken, unrepairable or retired connection is destroyed.
 */
export class ReturnPath {
  readonly #active: Set<Lease>;
  readonly #counters: PoolCounters;
  readonly #leaks: LeakWatch;
  readonly #maxLifetimeMs: number;
  readonly #maxLifetimeJitter: number;
  readonly #handOver: (client: pg.PoolClient) => boolean;
  readonly #waiting: () => boolean;
  /** When each connection must be retired: its lifetime less a random jitter, so they don't all go at once. */
  readonly #retireAt = new WeakMap<pg.PoolClient, number>();
  #drained: (() => void) | undefined;

  constructor(options: ReturnPathOptions) {
    this.#active = options.active;
    this.#counters = options.counters;
    this.#leaks = options.leaks;
    this.#maxLifetimeMs = options.maxLifetimeMs;
    this.#maxLifetimeJitter = options.maxLifetimeJitter;
    this.#handOver = options.handOver;
    this.#waiting = options.waiting;
  }

  /** Starts the lifetime of a connection just opened. */
  opened(client: pg.PoolClient): void {
    if (this.#maxLifetimeMs <= 0) return;
    const lifetime = this.#maxLifetimeMs * (1 - Math.random() * this.#maxLifetimeJitter);
    this.#retireAt.set(client, performance.now() + lifetime);
  }

  /** Whether the connection has outlived its lifetime: it takes no more work and is destroyed on return. */
  isPastLifetime(lease: Lease): boolean {
    const retireAt = this.#retireAt.get(lease.client);
    return retireAt !== undefined && performance.now() > retireAt;
  }

  /** Hands the connection back once clean; a second call does nothing (it is counted). */
  giveBack(lease: Lease): void | Promise<void> {
    if (lease.returned) {
      if (!lease.closedByPool && !lease.handedOnCommitting) this.#counters.doubleReleases++;
      return;
    }
    lease.returned = true;
    if (lease.inFlight.size > 0) {
      return Promise.allSettled([...lease.inFlight]).then(() => this.#repair(lease));
    }
    return this.#repair(lease);
  }

  /**
   * The transaction's COMMIT has just been written and nothing else of the scope is in flight: a
   * caller waiting for a connection takes this one now, its first statements queued behind COMMIT
   * (often in the same write) instead of waiting a round trip for its answer. Whether COMMIT
   * succeeds or fails, the session is idle after it, so this is only done when nothing else needs
   * cleaning: no session change, no lost connection, lifetime not over, and someone waiting
   * (pg-pool must never hold a connection still answering). `false` leaves the return as usual.
   */
  handOnCommitting(lease: Lease): boolean {
    const clean =
      lease.lostError === undefined && lease.sessionChange === 'none' && lease.inFlight.size === 1;
    if (lease.returned || !clean || this.isPastLifetime(lease) || !this.#waiting()) return false;
    lease.returned = true;
    lease.handedOnCommitting = true;
    this.#counters.commitHandOvers++;
    this.#release(lease, undefined);
    return true;
  }

  /**
   * Destroys a connection still in use (the close deadline): its statements fail, and its
   * borrower's later release does nothing.
   */
  destroy(lease: Lease, reason: Error): void {
    lease.returned = true;
    lease.closedByPool = true;
    // A pipelined client ends gracefully after its statements: this one must stop now.
    (lease.client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    this.#release(lease, reason);
  }

  /** Resolves when no connection is checked out any more (the last one came back). */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      this.#drained = resolve;
    });
  }

  #repair(lease: Lease): void | Promise<void> {
    if (lease.lostError !== undefined) return this.#release(lease, lease.lostError);
    const answering = answerEnd(lease.client);
    if (answering) return answering.then(() => this.#repair(lease));
    if (lease.sessionChange === 'discard') return this.#release(lease, new Error('session state changed'));
    const inTransaction = lease.client.getTransactionStatus() !== 'I';
    if (inTransaction || lease.sessionChange === 'reset') return this.#repairAsync(lease, inTransaction);
    this.#release(lease, this.isPastLifetime(lease) ? new Error('retired') : undefined);
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

  /** Hands the client on when `discardReason` is undefined (to a waiting caller or pg-pool), else destroys it. */
  #release(lease: Lease, discardReason: unknown): void {
    this.#active.delete(lease);
    if (lease.lostError !== undefined && !lease.closedByPool) this.#counters.connectionsLost++;
    if (discardReason !== undefined) this.#counters.discarded++;
    lease.client.removeListener('error', lease.onError);
    if (lease.closedByPool) lease.client.on('error', () => {});
    this.#leaks.returned(lease);
    if (discardReason === undefined && this.#handOver(lease.client)) return;
    lease.client.release(discardReason === undefined ? undefined : asError(discardReason));
    if (this.#active.size === 0) this.#drained?.();
  }
}

/**
 * Resolves once the driver has read the ReadyForQuery that closes the last answer, or the
 * connection has ended; `undefined` when it already has. A failed statement is reported as soon
 * as its error arrives, and PostgreSQL flushes the error on its own: until the ReadyForQuery
 * behind it is read, the transaction status is the one from before the statement (a script that
 * failed after its own BEGIN would look idle, and hand its aborted transaction to the next borrower).
 */
function answerEnd(client: pg.PoolClient): Promise<void> | undefined {
  const driver = client as unknown as { readyForQuery: boolean; _ended: boolean; connection: EventEmitter };
  if (driver.readyForQuery || driver._ended) return;
  return new Promise((resolve) => {
    const done = () => {
      driver.connection.removeListener('readyForQuery', done);
      client.removeListener('end', done);
      resolve();
    };
    // After the driver's own listener, which records the status.
    driver.connection.on('readyForQuery', done);
    client.on('end', done);
  });
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
