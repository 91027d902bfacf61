// pg-boss runs on our pool: every statement it sends goes through src/db, so the process never
// opens more than DB_POOL_MAX connections and pg-boss gets no pool of its own.
import type { Db } from 'pg-boss';
import type { Queryable } from '../db/index.ts';

/**
 * pg-boss's `db` option over a Queryable. Given the open transaction of a caller, `send` writes
 * the job in that transaction: the job exists exactly when the transaction commits.
 */
export function bossDb(q: Queryable): Db {
  return {
    // Without values the statement goes as a simple query: pg-boss's locked work is one
    // `BEGIN; lock; work; COMMIT;` script whose every statement's rows it reads, and the pool
    // answers a script with all of them. Each script opens and closes its own transaction and
    // takes only transaction-level advisory locks, so it also holds through a transaction pooler.
    executeSql: async (text: string, values?: unknown[]) => ({
      rows: await q.many(text, values && values.length > 0 ? values : undefined),
    }),
  };
}
