import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ConnectionLostError, toDbError } from './errors.ts';

export type RowMode = 'object' | 'array';

// Commands whose effect outlives the statement and would reach the next borrower.
const RESETTABLE = new Set(['SET', 'RESET']);
const UNRESETTABLE = new Set(['LISTEN', 'PREPARE', 'DECLARE']);
// Session-level advisory locks survive the scope; only closing the session surely frees them.
const SESSION_LOCK = /pg_(try_)?advisory_lock(_shared)?\s*\(/i;

/** Where a connection was taken: a stack trace, or a description for the pool's one-shot queries. */
export interface Origin {
  readonly stack?: string | undefined;
}

/**
 * One checkout of a pooled client: what the return path needs to know to hand it back clean.
 * Internal to src/db; borrowers only ever see `Connection` or `Transaction`.
 */
export class Lease {
  readonly client: pg.PoolClient;
  readonly acquiredAt = performance.now();
  /** Where the connection was taken, for leak reports (only with leak detection on). */
  readonly origin: Origin | undefined;
  readonly inFlight = new Set<Promise<unknown>>();
  returned = false;
  leakReported = false;
  /** Set when the pool itself destroyed this connection (close deadline). */
  closedByPool = false;
  sessionChange: 'none' | 'reset' | 'discard' = 'none';
  lostError: unknown;
  /** The last statement sent: the next waits for it, as the protocol runs one at a time. */
  #tail: Promise<unknown> = Promise.resolve();
  readonly #statementName: ((sql: string) => string) | undefined;

  constructor(
    client: pg.PoolClient,
    origin: Origin | undefined,
    statementName: ((sql: string) => string) | undefined,
  ) {
    this.client = client;
    this.origin = origin;
    this.#statementName = statementName;
    client.on('error', this.onError);
  }

  /** Socket errors while checked out: remembered (the connection is discarded on return), never thrown. */
  readonly onError = (error: unknown): void => {
    this.lostError ??= error;
  };

  /** Sends a statement; statements of one scope run one after another, and are waited for on return. */
  run(sql: string, values: readonly unknown[] | undefined, rowMode: RowMode): Promise<pg.QueryResult> {
    const send = () => this.send(sql, values, rowMode);
    const pending = this.inFlight.size ? this.#tail.then(send, send) : send();
    this.inFlight.add(pending);
    this.#tail = pending;
    const forget = () => this.inFlight.delete(pending);
    pending.then(forget, forget);
    return pending;
  }

  /** One statement, untracked: for the pool's own one-shot queries, where nothing else shares the lease. */
  async send(sql: string, values: readonly unknown[] | undefined, rowMode: RowMode): Promise<pg.QueryResult> {
    const config: pg.QueryConfig = { text: sql, values: values as unknown[] | undefined };
    if (rowMode === 'array') (config as { rowMode?: string }).rowMode = 'array';
    if (this.#statementName && values?.length) config.name = this.#statementName(sql);
    if (sql.includes('advisory_lock') && SESSION_LOCK.test(sql)) this.sessionChange = 'discard';
    try {
      return this.#track(await this.client.query(config));
    } catch (error) {
      const failure = toDbError(error, sql);
      if (failure instanceof ConnectionLostError) this.lostError ??= failure;
      throw failure;
    }
  }

  #track(result: pg.QueryResult | pg.QueryResult[]): pg.QueryResult {
    const results = Array.isArray(result) ? result : [result];
    for (const { command } of results) {
      if (UNRESETTABLE.has(command)) this.sessionChange = 'discard';
      else if (RESETTABLE.has(command) && this.sessionChange === 'none') this.sessionChange = 'reset';
    }
    return results[results.length - 1] as pg.QueryResult;
  }

  heldMs(now = performance.now()): number {
    return now - this.acquiredAt;
  }
}

/** Statement names for opt-in prepared statements: stable per SQL text. */
export function statementNamer(): (sql: string) => string {
  const names = new Map<string, string>();
  return (sql) => {
    let name = names.get(sql);
    if (!name) {
      name = `agora_${createHash('sha1').update(sql).digest('base64url').slice(0, 20)}`;
      if (names.size < 5_000) names.set(sql, name);
    }
    return name;
  };
}
