// Leases between instances: a named right held by one holder until it expires, unless renewed.
// Each operation is one statement, atomic on its own, so no session state (advisory locks) is
// needed and it works through PgBouncer in transaction mode.
import type { Queryable } from '../db/index.ts';

export interface LeaseHolder {
  holder: string;
  expiresAt: Date;
}

/**
 * Takes `name` for `holder` for `ttlMs` if it is free, expired or already theirs; otherwise
 * leaves it. Returns who holds it afterwards (the caller has it when that is them).
 */
export async function takeLease(
  q: Queryable,
  name: string,
  holder: string,
  ttlMs: number,
): Promise<LeaseHolder> {
  const taken = await q.maybeOne<{ holder: string; expires_at: Date }>(
    `INSERT INTO bot_leases AS l (name, holder, expires_at)
     VALUES ($1, $2, now() + $3 * interval '1 millisecond')
     ON CONFLICT (name) DO UPDATE
       SET holder = excluded.holder, expires_at = excluded.expires_at, heartbeat_at = now(),
           acquired_at = CASE WHEN l.holder = excluded.holder THEN l.acquired_at ELSE now() END
       WHERE l.holder = excluded.holder OR l.expires_at <= now()
     RETURNING holder, expires_at`,
    [name, holder, ttlMs],
  );
  if (taken) return { holder: taken.holder, expiresAt: taken.expires_at };
  // Held by someone else; it may have been released since, which the next try will see.
  const current = await q.maybeOne<{ holder: string; expires_at: Date }>(
    'SELECT holder, expires_at FROM bot_leases WHERE name = $1',
    [name],
  );
  return current
    ? { holder: current.holder, expiresAt: current.expires_at }
    : { holder: '', expiresAt: new Date(0) };
}

/** Extends the holder's lease; false when it is no longer theirs (expired and taken). */
export async function renewLease(
  q: Queryable,
  name: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const renewed = await q.exec(
    `UPDATE bot_leases SET expires_at = now() + $3 * interval '1 millisecond', heartbeat_at = now()
     WHERE name = $1 AND holder = $2 AND expires_at > now()`,
    [name, holder, ttlMs],
  );
  return renewed > 0;
}

/** Gives the lease up if the holder still has it. */
export async function giveBackLease(q: Queryable, name: string, holder: string): Promise<void> {
  await q.exec('DELETE FROM bot_leases WHERE name = $1 AND holder = $2', [name, holder]);
}
