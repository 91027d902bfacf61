// What the pool does differently through a transaction pooler (PgBouncer, pool_mode = transaction),
// where no session setting can be relied on.
import { sendCancel } from './cancel.ts';
import type { Lease } from './lease.ts';
import type { PoolSettings } from './settings.ts';

/** The two timeouts' values and where they come from, as `serverAppliesTimeouts` reads them (and the database, for the hint). */
export const TIMEOUT_SETTINGS_SQL =
  "SELECT name, setting, source, current_database() AS database FROM pg_settings WHERE name IN ('statement_timeout', 'idle_in_transaction_session_timeout')";

// Where a value comes from when every new session of this role and database starts with it
// (not 'session' or 'client': those belong to one connection).
const SERVER_WIDE = new Set(['configuration file', 'command line', 'database', 'user', 'database user']);

/**
 * Whether the server already starts every session with exactly our timeouts (`ALTER ROLE … SET
 * statement_timeout = …`, or the database's or server's configuration): then transactions through
 * the pooler need no setup statement, and one-shot statements are bounded by the server too.
 */
export function serverAppliesTimeouts(
  rows: readonly { name: string; setting: string; source: string }[],
  { statementTimeoutMs, idleInTransactionTimeoutMs }: PoolSettings,
): boolean {
  const wanted: Record<string, number> = {
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: idleInTransactionTimeoutMs,
  };
  return (
    rows.length === 2 &&
    rows.every(
      ({ name, setting, source }) =>
        wanted[name] === 0 || (SERVER_WIDE.has(source) && Number(setting) === wanted[name]),
    )
  );
}

/**
 * What to run once so that the server starts every session with the pool's timeouts: then
 * transactions through the pooler send no setup statement (PgBouncer's RECONNECT makes its server
 * sessions pick the defaults up).
 */
export function roleTimeoutsHint(
  database: string,
  { statementTimeoutMs, idleInTransactionTimeoutMs }: PoolSettings,
): string {
  const role = `ALTER ROLE CURRENT_USER IN DATABASE "${database.replaceAll('"', '""')}" SET`;
  const settings = [
    statementTimeoutMs > 0 ? `${role} statement_timeout = ${statementTimeoutMs};` : '',
    idleInTransactionTimeoutMs > 0
      ? `${role} idle_in_transaction_session_timeout = ${idleInTransactionTimeoutMs};`
      : '',
  ].filter(Boolean);
  return `Each transaction sets the timeouts, one statement more each. To spare it: ${settings.join(' ')} Then RECONNECT in PgBouncer's console and restart.`;
}

/**
 * Sent with BEGIN: the timeouts, local to the transaction, in one statement of the same message
 * (no extra round trip, one statement for the server to parse); '' when both are off.
 */
export function localTimeouts({ statementTimeoutMs, idleInTransactionTimeoutMs }: PoolSettings): string {
  const settings: string[] = [];
  if (statementTimeoutMs > 0) settings.push(`set_config('statement_timeout', '${statementTimeoutMs}', true)`);
  if (idleInTransactionTimeoutMs > 0) {
    settings.push(`set_config('idle_in_transaction_session_timeout', '${idleInTransactionTimeoutMs}', true)`);
  }
  return settings.length ? `SELECT ${settings.join(', ')}` : '';
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
