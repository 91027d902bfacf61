// What the pool does differently through a transaction pooler (PgBouncer, pool_mode = transaction),
// where no session setting can be relied on.
import { sendCancel } from './cancel.ts';
import type { Lease } from './lease.ts';
import type { PoolSettings } from './settings.ts';

/** Appended to BEGIN: the timeouts as SET LOCAL, in the same message (no extra round trip). */
export function localTimeouts({ statementTimeoutMs, idleInTransactionTimeoutMs }: PoolSettings): string {
  let sql = '';
  if (statementTimeoutMs > 0) sql += `; SET LOCAL statement_timeout = ${statementTimeoutMs}`;
  if (idleInTransactionTimeoutMs > 0) {
    sql += `; SET LOCAL idle_in_transaction_session_timeout = ${idleInTransactionTimeoutMs}`;
  }
  return sql;
}

/**
 * Statements outside `transaction()` have no server-side timeout through a pooler: cancel the
 * one at the head of each connection once it has run past the statement timeout.
 */
export function cancelOverdue(leases: Iterable<Lease>, statementTimeoutMs: number): void {
  const deadline = performance.now() - statementTimeoutMs;
  for (const lease of leases) {
    if (lease.pending === 0 || lease.timeoutsLocal || lease.headSince > deadline) continue;
    if (lease.cancelledHead === lease.headSince) continue;
    lease.cancelledHead = lease.headSince;
    sendCancel(lease.client);
  }
}
