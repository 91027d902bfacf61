// pg-boss runs on our pool: every statement it sends goes through src/db, so the process never
// opens more than DB_POOL_MAX connections and pg-boss gets no pool of its own.
import type PgBoss from 'pg-boss';
import type { Queryable } from '../db/index.ts';

/**
 * pg-boss's `db` option over a Queryable. Given the open transaction of a caller, `send` writes
 * the job in that transaction: the job exists exactly when the transaction commits.
 */
export function bossDb(q: Queryable): PgBoss.Db {
  return {
    // Without values the statement goes as a simple query: pg-boss's scripts hold several. The pool
    // runs such a script alone on a connection; each opens and closes its own transaction and
    // takes only transaction-level advisory locks, so it also holds through a transaction pooler.
    executeSql: async (text: string, values?: unknown[]) => ({
      rows: await q.many(text, values && values.length > 0 ? values : undefined),
    }),
  };
}
