// The bot's per-user rate limit: a token bucket per user (a burst of quick actions goes through,
// a steady flood is held to the refill rate), kept in PostgreSQL so that every instance serving
// the bot counts against the same bucket. One statement per decision.
import type { Database } from '../db/index.ts';
import { deleteFullBuckets, takeToken } from '../repositories/rate-limits.ts';

export interface RateLimitSettings {
  /** Actions a user may do in a row before waiting. */
  burst: number;
  /** The steady rate afterwards, per minute. */
  perMinute: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = Object.freeze({ burst: 30, perMinute: 60 });

export type RateDecision =
  | { allowed: true }
  | { allowed: false; retryAfterSec: number; firstRefusal: boolean };

// Every so many decisions this process forgets the buckets that are full again: the table holds
// only users seen lately, and the delete (a scan of that small table) is paid rarely.
const PRUNE_EVERY = 1_000;

/** A RangeError unless both limits are positive integers. */
export function checkRateLimit(settings: RateLimitSettings): void {
  for (const value of [settings.burst, settings.perMinute]) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError('rate limits are positive integers');
  }
}

export function createRateLimitService({ db }: { db: Database }) {
  let sincePrune = 0;
  return {
    /** Counts one action of the user against `limit`. */
    async hit(userId: number, limit: RateLimitSettings): Promise<RateDecision> {
      if (++sincePrune >= PRUNE_EVERY) {
        sincePrune = 0;
        await deleteFullBuckets(db);
      }
      const secPerToken = 60 / limit.perMinute;
      const { refusals, fullInSec } = await takeToken(db, userId, limit.burst, secPerToken);
      if (refusals === 0) return { allowed: true };
      // One token is back once the bucket is within burst - 1 tokens of full.
      const retryAfterSec = Math.max(1, Math.ceil(fullInSec - (limit.burst - 1) * secPerToken));
      return { allowed: false, retryAfterSec, firstRefusal: refusals === 1 };
    },
  };
}

export type RateLimitService = ReturnType<typeof createRateLimitService>;
