import type pg from 'pg';
import { ConnectionReleasedError, DbError, NoRowError, TooManyRowsError } from './errors.ts';
import type { Lease, RowMode } from './lease.ts';
import { pendingBegin } from './submit.ts';

export type Row = Record<string, unknown>;
export type Values = readonly unknown[];

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  isolation?: IsolationLevel;
  readOnly?: boolean;
  /** Run the whole transaction again this many times on a serialization failure or deadlock. */
  retries?: number;
}

/**
 * What repositories accept: the database, a connection or an open transaction. The same
 * repository function then runs alone or as one step of a caller's transaction.
 */
export interface Queryable {
  /** Exactly one row, else `NoRowError` / `TooManyRowsError`. */
  one<R extends Row = Row>(sql: string, values?: Values): Promise<R>;
  /** One row or `null`; more than one is a `TooManyRowsError`. */
  maybeOne<R extends Row = Row>(sql: string, values?: Values): Promise<R | null>;
  /** Every row as an object (possibly none); a script without values answers every statement's rows. */
  many<R extends Row = Row>(sql: string, values?: Values): Promise<R[]>;
  /** Every row as an array of column values. */
  rows<R extends unknown[] = unknown[]>(sql: string, values?: Values): Promise<R[]>;
  /** Runs a statement (or a script); returns the number of rows it touched. */
  exec(sql: string, values?: Values): Promise<number>;
  /** COMMIT when `fn` resolves, ROLLBACK when it throws; inside a transaction, a savepoint. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

/** The typed query methods, over one primitive each holder implements. */
export abstract class QueryMethods implements Queryable {
  protected abstract run(sql: string, values: Values | undefined, rowMode: RowMode): Promise<pg.QueryResult>;
  abstract transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;

  async one<R extends Row = Row>(sql: string, values?: Values): Promise<R> {
    const row = onlyRow<R>(sql, (await this.run(sql, values, 'object')).rows);
    if (row === null) throw new NoRowError(sql);
    return row;
  }

  async maybeOne<R extends Row = Row>(sql: string, values?: Values): Promise<R | null> {
    return onlyRow<R>(sql, (await this.run(sql, values, 'object')).rows);
  }

  async many<R extends Row = Row>(sql: string, values?: Values): Promise<R[]> {
    return (await this.run(sql, values, 'object')).rows as R[];
  }

  async rows<R extends unknown[] = unknown[]>(sql: string, values?: Values): Promise<R[]> {
    return (await this.run(sql, values, 'array')).rows as R[];
  }

  async exec(sql: string, values?: Values): Promise<number> {
    return (await this.run(sql, values, 'object')).rowCount ?? 0;
  }
}

/** The one row of an answer, `null` when there is none; more than one is a `TooManyRowsError`. */
function onlyRow<R extends Row>(sql: string, rows: unknown[]): R | null {
  if (rows.length > 1) throw new TooManyRowsError(sql, rows.length);
  return (rows[0] as R | undefined) ?? null;
}

/** An open transaction (or savepoint). It refuses queries once finished. */
export class Transaction extends QueryMethods {
  readonly #lease: Lease;
  readonly #depth: number;
  #finished = false;

  constructor(lease: Lease, depth: number) {
    super();
    this.#lease = lease;
    this.#depth = depth;
  }

  protected run(sql: string, values: Values | undefined, rowMode: RowMode): Promise<pg.QueryResult> {
    if (this.#finished || this.#lease.returned) {
      return Promise.reject(new ConnectionReleasedError('transaction'));
    }
    return this.#lease.run(sql, values, rowMode);
  }

  /** A nested transaction: a savepoint, rolled back alone when `fn` throws. */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    if (options?.isolation || options?.readOnly || options?.retries) {
      throw new DbError('A nested transaction (savepoint) takes no isolation, readOnly or retries option.');
    }
    const savepoint = `agora_sp_${this.#depth + 1}`;
    await this.run(`SAVEPOINT ${savepoint}`, undefined, 'object');
    const inner = new Transaction(this.#lease, this.#depth + 1);
    try {
      const result = await fn(inner);
      await inner.#finish(`RELEASE SAVEPOINT ${savepoint}`);
      return result;
    } catch (error) {
      await inner.#finish(`ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => {});
      throw error;
    }
  }

  /** Waits for the statements still running, then refuses new ones. */
  async #settle(): Promise<void> {
    if (this.#lease.inFlight.size) await Promise.allSettled([...this.#lease.inFlight]);
    this.#finished = true;
  }

  /** Ends the transaction or savepoint with `sql`; `sent` is called once it is written, before its answer. */
  async #finish(sql: string, sent?: () => void): Promise<pg.QueryResult> {
    await this.#settle();
    const answer = this.#lease.run(sql, undefined, 'object');
    sent?.();
    return answer;
  }

  /**
   * Runs `fn` in BEGIN … COMMIT on the lease; ROLLBACK (or discard) when anything fails. BEGIN
   * leaves with the first statement (one round trip less); when it fails, that statement fails
   * with its error, and so do the later ones. `commitSent` is told when COMMIT has been written.
   */
  static async run<T>(
    lease: Lease,
    fn: (tx: Transaction) => Promise<T>,
    options: TransactionOptions,
    commitSent?: () => void,
  ): Promise<T> {
    lease.begin(pendingBegin(beginStatement(options), lease.transactionSetup));
    const tx = new Transaction(lease, 0);
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      await tx.#settle();
      if (lease.began) {
        await tx.#finish('ROLLBACK').catch((rollbackError: unknown) => {
          lease.lostError ??= rollbackError;
        });
      }
      lease.endTransaction();
      throw error;
    }
    const commit = await tx.#finish('COMMIT', commitSent).finally(() => lease.endTransaction());
    // COMMIT of a transaction in which a statement failed rolls back without an error.
    if (commit.command === 'ROLLBACK') {
      throw new DbError('The transaction was rolled back: one of its statements failed.');
    }
    return result;
  }
}

function beginStatement({ isolation, readOnly }: TransactionOptions): string {
  let sql = 'BEGIN';
  if (isolation) sql += ` ISOLATION LEVEL ${ISOLATION_SQL[isolation]}`;
  if (readOnly) sql += ' READ ONLY';
  return sql;
}

const ISOLATION_SQL: Record<IsolationLevel, string> = {
  'read committed': 'READ COMMITTED',
  'repeatable read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
};
