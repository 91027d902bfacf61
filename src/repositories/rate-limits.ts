// The bot's per-user rate limit, in PostgreSQL so that every instance counts against the same
// bucket. One statement decides: it refills, takes a token or counts a refusal, atomically (the
// row lock of the upsert orders two instances' decisions for one user). The server's clock is
// the only clock, so instances whose clocks differ still agree.
import type { Queryable } from '../db/index.ts';

export type RateLimitRow = {
  /** 0 when the action was allowed, else how many were refused in a row (this one included). */
  refusals: number;
  /** Seconds from now until the bucket is full again. */
  fullInSec: number;
};

/**
 * Counts one action of `userId` against a bucket of `burst` tokens refilled one every
 * `secPerToken` seconds. Allowed while the bucket's full instant, pushed one token later by
 * this action, stays within the burst from now.
 */
export async function takeToken(
  q: Queryable,
  userId: number,
  burst: number,
  secPerToken: number,
): Promise<RateLimitRow> {
  return q.one<RateLimitRow>(
    `INSERT INTO bot_rate_limits AS b (user_id, full_at, refusals)
     VALUES ($1, now() + make_interval(secs => $3), 0)
     ON CONFLICT (user_id) DO UPDATE SET (full_at, refusals) = (
       SELECT CASE WHEN allowed THEN start + make_interval(secs => $3) ELSE b.full_at END,
              CASE WHEN allowed THEN 0 ELSE b.refusals + 1 END
       FROM (SELECT greatest(b.full_at, now()) AS start) s,
            LATERAL (SELECT s.start <= now() + make_interval(secs => $3 * ($2 - 1)) AS allowed) a
     )
     RETURNING refusals, extract(epoch FROM full_at - now())::float8 AS "fullInSec"`,
    [userId, burst, secPerToken],
  );
}

/** Forgets buckets that are full again (they mean what no row means); returns how many. */
export function deleteFullBuckets(q: Queryable): Promise<number> {
  return q.exec('DELETE FROM bot_rate_limits WHERE full_at <= now()');
}
