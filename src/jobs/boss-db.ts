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
    // Without values the statement goes as a simple query: pg-boss's schema scripts hold several.
    executeSql: async (text: string, values?: unknown[]) => ({
      rows: await q.many(text, values && values.length > 0 ? values : undefined),
    }),
  };
}
