// A token bucket per user: a burst of quick actions (browsing a carousel, a registration typed
// fast) goes through, and a steady flood is held to the refill rate. Counted in this process's
// memory. A refused button press is always answered (a small alert saying when to try again);
// a refused message gets one reply per streak, so a flood does not make us spam the user.
import type { Context, MiddlewareFn } from 'grammy';
import { languageFromTelegram, type Translator, translator } from './i18n.ts';

export type RateDecision =
  | { allowed: true }
  | { allowed: false; retryAfterSec: number; firstRefusal: boolean };

export interface RateLimitSettings {
  /** Actions a user may do in a row before waiting. */
  burst: number;
  /** The steady rate afterwards, per minute. */
  perMinute: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = Object.freeze({ burst: 30, perMinute: 60 });

// Users whose bucket is full again are forgotten; sweeping every so many hits keeps memory flat.
const SWEEP_EVERY = 1_000;

interface Bucket {
  tokens: number;
  at: number;
  refused: boolean;
}

export class RateLimiter {
  readonly #settings: RateLimitSettings;
  readonly #now: () => number;
  readonly #buckets = new Map<number, Bucket>();
  #sinceSweep = 0;

  constructor(settings: RateLimitSettings, now: () => number = Date.now) {
    for (const value of [settings.burst, settings.perMinute]) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError('rate limits are positive integers');
    }
    this.#settings = settings;
    this.#now = now;
  }

  /** Counts one action of the user. */
  hit(userId: number): RateDecision {
    const now = this.#now();
    if (++this.#sinceSweep >= SWEEP_EVERY) this.#sweep(now);
    const bucket = this.#refill(this.#buckets.get(userId), now);
    this.#buckets.set(userId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.refused = false;
      return { allowed: true };
    }
    const firstRefusal = !bucket.refused;
    bucket.refused = true;
    const msPerToken = 60_000 / this.#settings.perMinute;
    return {
      allowed: false,
      retryAfterSec: Math.ceil(((1 - bucket.tokens) * msPerToken) / 1000),
      firstRefusal,
    };
  }

  #refill(bucket: Bucket | undefined, now: number): Bucket {
    const { burst, perMinute } = this.#settings;
    if (!bucket) return { tokens: burst, at: now, refused: false };
    const tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) * perMinute) / 60_000);
    return { tokens, at: now, refused: bucket.refused };
  }

  #sweep(now: number): void {
    this.#sinceSweep = 0;
    for (const [userId, bucket] of this.#buckets) {
      if (this.#refill(bucket, now).tokens >= this.#settings.burst) this.#buckets.delete(userId);
    }
  }
}

/**
 * Answers a user's updates beyond the limit instead of handling them. It runs before the session
 * is loaded, so a flood costs no database work; the answer is in the user's Telegram language.
 */
export function rateLimitMiddleware(limiter: RateLimiter, i18n: Translator): MiddlewareFn<Context> {
  return async (ctx, next) => {
    if (!ctx.from) return next();
    const decision = limiter.hit(ctx.from.id);
    if (decision.allowed) return next();
    const t = translator(i18n, languageFromTelegram(ctx.from.language_code));
    const text = t('rate-limited', { seconds: decision.retryAfterSec });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
    else if (decision.firstRefusal && ctx.chat) await ctx.reply(text, { parse_mode: 'HTML' });
  };
}
