import type { Socket } from 'node:net';
import type pg from 'pg';
import { ConnectionLostError, StatementTimeoutError, toDbError } from './errors.ts';
import type { StatementCache } from './statement-cache.ts';
import type { StatementCosts } from './statement-costs.ts';
import { assertTransactionScoped, type SessionEffect, sessionEffect, setEffect } from './statements.ts';
import type { RecentSamples } from './stats.ts';
import { BeginFailed, type PendingBegin, submit } from './submit.ts';

export type RowMode = 'object' | 'array';

// Commands whose effect outlives the statement and would reach the next borrower.
const UNRESETTABLE = new Set(['LISTEN', 'PREPARE', 'DECLARE', 'DEALLOCATE', 'DISCARD', 'LOAD']);

/** Where a connection was taken: a stack trace, or a description for the pool's one-shot queries. */
export interface Origin {
  readonly stack?: string | undefined;
}

/** What a lease needs to know of its pool. */
export interface LeaseOptions {
  /** This connection's named statements; `undefined` sends every statement unnamed. */
  statements: StatementCache | undefined;
  /** Through a transaction pooler: session-level statements are refused before they are sent. */
  transactionPooler: boolean;
  /** Pipelined leases sample how long each statement waited for its turn on the connection. */
  waits: RecentSamples | undefined;
  /** Pipelined leases time how long each statement kept the connection busy. */
  costs: StatementCosts | undefined;
  /** Sent with BEGIN: through a pooler, the timeouts local to the transaction (no session defaults there). */
  transactionSetup: string;
}

/**
 * One checkout of a pooled client: what the return path needs to know to hand it back clean.
 * A scope's lease runs its statements one after another; a pipelined lease carries one-shot
 * statements of many callers at once, answered in order. Internal to src/db.
 */
export class Lease {
  readonly client: pg.PoolClient;
  readonly acquiredAt = performance.now();
  /** Where the connection was taken, for leak reports (only with leak detection on). */
  readonly origin: Origin | undefined;
  /** The scope's statements still running, waited for before the connection is given back. */
  readonly inFlight = new Set<Promise<unknown>>();
  returned = false;
  /** Handed to the next caller while its COMMIT was still being answered (`ReturnPath.handOnCommitting`). */
  handedOnCommitting = false;
  leakReported = false;
  /** Set when the pool itself destroyed this connection (close deadline). */
  closedByPool = false;
  sessionChange: SessionEffect = 'none';
  lostError: unknown;
  /** Inside `Transaction.run` through a pooler: the server enforces the timeouts (set locally). */
  timeoutsLocal = false;
  /** When the statement at the head of the connection started running (deadlines, waits). */
  headSince = 0;
  /** The head statement the pool asked the server to cancel (client-side statement deadline). */
  cancelledHead = -1;
  /** When each statement sent and not yet answered was asked for, oldest first. */
  readonly #asked: number[] = [];
  /** The last statement of the scope: the next waits for it. */
  #tail: Promise<unknown> = Promise.resolve();
  readonly #options: LeaseOptions;
  #corked = false;
  /** BEGIN, to leave with the scope's next statement (no round trip of its own). */
  #begin: PendingBegin | undefined;
  /** Why BEGIN failed: the transaction's later statements are refused (they would run outside it). */
  #beginFailure: unknown;

  constructor(client: pg.PoolClient, origin: Origin | undefined, options: LeaseOptions) {
    this.client = client;
    this.origin = origin;
    this.#options = options;
    client.on('error', this.onError);
  }

  /** Socket errors while checked out: remembered (the connection is discarded on return), never thrown. */
  readonly onError = (error: unknown): void => {
    this.lostError ??= error;
  };

  get transactionSetup(): string {
    return this.#options.transactionSetup;
  }

  get pipelined(): boolean {
    return this.#options.waits !== undefined;
  }

  /** Statements sent on this connection and not yet answered. */
  get pending(): number {
    return this.#asked.length;
  }

  /** When the oldest statement sent and not yet answered was asked for; `undefined` when none is. */
  get oldestAskedAt(): number | undefined {
    return this.#asked[0];
  }

  /** Opens a transaction: its BEGIN leaves in front of the scope's next statement. */
  begin(begin: PendingBegin): void {
    this.#begin = begin;
  }

  /** Whether the transaction's BEGIN was sent and did not fail: else there is nothing to roll back. */
  get began(): boolean {
    return this.#begin === undefined && this.#beginFailure === undefined;
  }

  /** The transaction opened by `begin` is over, committed or not. */
  endTransaction(): void {
    this.#begin = undefined;
    this.#beginFailure = undefined;
    this.timeoutsLocal = false;
  }

  /**
   * A scope's statement, waited for on return. A scope's statements run one after another, except
   * inside a transaction whose BEGIN has been answered: there a statement asked for while others
   * are in flight leaves at once behind them (several statements, one round trip). Nothing else
   * changes: the server runs them in the order asked, and once one fails the transaction is
   * aborted and the later ones fail, as they would one after another.
   */
  run(sql: string, values: readonly unknown[] | undefined, rowMode: RowMode): Promise<pg.QueryResult> {
    const send = () =>
      this.#beginFailure === undefined ? this.send(sql, values, rowMode) : Promise.reject(this.#beginFailure);
    let pending: Promise<pg.QueryResult>;
    const inTransaction = this.client.getTransactionStatus() === 'T';
    // Statements asked together there then leave in one write, not one each.
    if (inTransaction) this.#batchWrites();
    if (this.inFlight.size === 0) pending = send();
    else if (inTransaction) {
      // The driver's pipeline mode sends a query while another is answered (until the next checkout).
      (this.client as unknown as { pipeline: boolean }).pipeline = true;
      pending = send();
    } else pending = this.#tail.then(send, send);
    this.inFlight.add(pending);
    this.#tail = pending;
    const forget = () => this.inFlight.delete(pending);
    pending.then(forget, forget);
    return pending;
  }

  /**
   * Sends one statement now (pipelined behind those in flight), named when prepared statements
   * are on; a plan the schema made stale is prepared again and the statement re-sent once,
   * unless a transaction is open (its failure then ends the transaction, like any error).
   */
  async send(
    sql: string,
    values: readonly unknown[] | undefined,
    rowMode: RowMode,
    askedAt = performance.now(),
    retried = false,
  ): Promise<pg.QueryResult> {
    const begin = this.#begin;
    this.#begin = undefined;
    if (this.#options.transactionPooler) {
      assertTransactionScoped(sql, begin !== undefined || this.client.getTransactionStatus() !== 'I');
    } else {
      this.#mark(sessionEffect(sql));
    }
    const statements = this.#options.statements;
    let name: string | undefined;
    if (statements) {
      const deallocating = this.#deallocate(statements);
      if (deallocating && !this.pipelined) await deallocating;
      if (values?.length) name = statements.nameFor(sql);
    }
    if (this.pipelined) this.#batchWrites();
    this.#enter(askedAt);
    let result: pg.QueryResult | pg.QueryResult[];
    try {
      result = await submit(
        this.client,
        { text: sql, values: values as unknown[] | undefined, name, rowMode },
        begin,
      );
    } catch (error) {
      this.#leave();
      if (begin) return this.#failedAfterBegin(error, sql, name, begin);
      const stale = name !== undefined && isStalePlan(error);
      if (stale) statements?.invalidate(sql);
      if (stale && !retried && this.client.getTransactionStatus() === 'I') {
        return this.send(sql, values, rowMode, askedAt, true);
      }
      throw this.#failure(error, sql);
    }
    const busyMs = this.#leave();
    this.#options.costs?.observe(sql, busyMs);
    if (!begin) return this.#track(result, sql);
    this.timeoutsLocal = begin.timeoutsLocal;
    // The answer starts with BEGIN's (and the setup's): the caller asked for its statement's.
    return this.#track(Array.isArray(result) ? result.slice(begin.statements.length) : result, sql);
  }

  /**
   * The statement sent behind BEGIN failed. When BEGIN itself failed (the server skipped the
   * statement), the transaction's later statements are refused: they would run outside it.
   */
  #failedAfterBegin(error: unknown, sql: string, name: string | undefined, begin: PendingBegin): never {
    if (name !== undefined && isStalePlan(error)) this.#options.statements?.invalidate(sql);
    if (error instanceof BeginFailed) {
      // Whatever made BEGIN fail, this connection is not handed on.
      this.sessionChange = 'discard';
      this.#beginFailure = this.#failure(error.reason, begin.statements[0] ?? 'BEGIN');
      throw this.#beginFailure;
    }
    this.timeoutsLocal = begin.timeoutsLocal;
    throw this.#failure(error, sql);
  }

  #parsed(): Record<string, unknown> | undefined {
    return (this.client as unknown as { connection?: { parsedStatements?: Record<string, unknown> } })
      .connection?.parsedStatements;
  }

  #failure(error: unknown, sql: string) {
    const cancelled = this.cancelledHead !== -1 && (error as { code?: unknown })?.code === '57014';
    if (cancelled) this.cancelledHead = -1;
    const failure = cancelled
      ? new StatementTimeoutError(`canceling statement due to statement timeout (${sql.slice(0, 120)})`, {
          code: '57014',
          message: 'statement timeout (client-side deadline)',
        })
      : toDbError(error, sql);
    if (failure instanceof ConnectionLostError) this.lostError ??= failure;
    return failure;
  }

  /** Names given up by the statement cache, deallocated ahead of the next statement, outside transactions. */
  #deallocate(statements: StatementCache): Promise<unknown> | undefined {
    if (this.client.getTransactionStatus() !== 'I') return;
    const names = statements.takeReleased();
    if (names.length === 0) return;
    const parsed = this.#parsed();
    for (const name of names) delete parsed?.[name];
    // Pipelined, it goes ahead of the statement without waiting; a scope's client runs one at a time.
    return this.client.query(names.map((name) => `DEALLOCATE ${name}`).join('; ')).catch(() => {});
  }

  /**
   * Holds the socket's writes until the current burst of callbacks is over, so that statements
   * queued on this connection in the same tick leave in one write (one system call, one packet).
   */
  #batchWrites(): void {
    if (this.#corked) return;
    const socket = (this.client as unknown as { connection: { stream: Socket } }).connection.stream;
    this.#corked = true;
    socket.cork();
    process.nextTick(() => {
      this.#corked = false;
      socket.uncork();
    });
  }

  #enter(askedAt: number): void {
    const now = performance.now();
    if (this.#asked.length === 0) {
      this.headSince = now;
      this.#options.waits?.add(now - askedAt);
    }
    this.#asked.push(askedAt);
  }

  /** The head statement was answered: how long it was at the head; the next one is now. */
  #leave(): number {
    const now = performance.now();
    const busyMs = now - this.headSince;
    this.#asked.shift();
    const next = this.#asked[0];
    if (next !== undefined) {
      this.headSince = now;
      this.#options.waits?.add(now - next);
    }
    return busyMs;
  }

  #track(result: pg.QueryResult | pg.QueryResult[], sql: string): pg.QueryResult {
    const single = Array.isArray(result) ? (result.length === 1 ? result[0] : undefined) : result;
    if (single) {
      this.#note(single.command, sql, true);
      return single;
    }
    const results = result as pg.QueryResult[];
    for (const { command } of results) this.#note(command, sql, false);
    // A script answers every row of every statement, in order, and every row it touched.
    const last = results[results.length - 1] as pg.QueryResult;
    return {
      ...last,
      rows: results.flatMap((r) => r.rows),
      rowCount: results.reduce((sum, r) => sum + (r.rowCount ?? 0), 0),
    };
  }

  /** Remembers what a command of `sql` left in the session (`single`: its only one), for the return path to clean. */
  #note(command: string, sql: string, single: boolean): void {
    if (this.#options.transactionPooler) return;
    if (UNRESETTABLE.has(command)) this.#mark('discard');
    else if (command === 'SET') this.#mark(setEffect(sql, single));
    else if (command === 'RESET') this.#mark('reset');
  }

  /** What the return path must do grows, never shrinks: a reset, or the connection's end. */
  #mark(effect: SessionEffect): void {
    if (effect === 'discard') this.sessionChange = 'discard';
    else if (effect === 'reset' && this.sessionChange === 'none') this.sessionChange = 'reset';
  }

  heldMs(now = performance.now()): number {
    return now - this.acquiredAt;
  }
}

/** The server's cached plan no longer matches the schema, or the named statement is gone. */
function isStalePlan(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === '26000') return true;
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change');
}
