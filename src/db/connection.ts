import type pg from 'pg';
import { ConnectionReleasedError, TransactionConflictError } from './errors.ts';
import type { Lease, RowMode } from './lease.ts';
import { QueryMethods, Transaction, type TransactionOptions, type Values } from './queryable.ts';

/** A checked-out connection. Give it back with `await using` or by leaving `withConnection`. */
export class Connection extends QueryMethods {
  readonly #lease: Lease;
  readonly #giveBack: () => void | Promise<void>;

  constructor(lease: Lease, giveBack: () => void | Promise<void>) {
    super();
    this.#lease = lease;
    this.#giveBack = giveBack;
  }

  protected run(sql: string, values: Values | undefined, rowMode: RowMode): Promise<pg.QueryResult> {
    if (this.#lease.returned) return Promise.reject(new ConnectionReleasedError());
    return this.#lease.run(sql, values, rowMode);
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.#lease.returned) return Promise.reject(new ConnectionReleasedError());
    return withRetries(options, () => Transaction.run(this.#lease, fn, options));
  }

  /** Gives the connection back; a second call does nothing (it is counted). */
  async release(): Promise<void> {
    await this.#giveBack();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#giveBack();
  }
}

/** Runs `attempt` again on a serialization failure or deadlock, up to `options.retries` times. */
export function withRetries<T>(options: TransactionOptions, attempt: () => Promise<T>): Promise<T> {
  return options.retries ? retrying(options.retries, attempt) : attempt();
}

async function retrying<T>(retries: number, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof TransactionConflictError) || tries >= retries) throw error;
      await new Promise((resolve) => setTimeout(resolve, (5 + Math.random() * 20) * 2 ** tries));
    }
  }
}
