// At most N actions (messages, button presses) per user in a rolling minute. Counted in this
// process's memory: exact with one instance; with several, each instance counts its own share
// of a user's updates (Telegram spreads them), so the effective limit is N per instance.
import type { Context, MiddlewareFn } from 'grammy';
import { languageFromTelegram, type Translator, translator } from './i18n.ts';

export const RATE_WINDOW_MS = 60_000;
// Users are forgotten once their window has passed; sweeping every so many hits keeps memory flat.
const SWEEP_EVERY = 1_000;

export type RateDecision = 'allowed' | 'limited' | 'limited-again';

export class RateLimiter {
  readonly #perWindow: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #hits = new Map<number, { times: number[]; warned: boolean }>();
  #sinceSweep = 0;

  constructor(perWindow: number, windowMs = RATE_WINDOW_MS, now: () => number = Date.now) {
    if (!Number.isInteger(perWindow) || perWindow < 1)
      throw new RangeError('perWindow must be a positive integer');
    this.#perWindow = perWindow;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Counts one action; 'limited' the first time the user is over, 'limited-again' after that. */
  hit(userId: number): RateDecision {
    const now = this.#now();
    if (++this.#sinceSweep >= SWEEP_EVERY) this.#sweep(now);
    const entry = this.#hits.get(userId) ?? { times: [], warned: false };
    this.#hits.set(userId, entry);
    entry.times = entry.times.filter((t) => now - t < this.#windowMs);
    if (entry.times.length < this.#perWindow) {
      entry.times.push(now);
      entry.warned = false;
      return 'allowed';
    }
    if (entry.warned) return 'limited-again';
    entry.warned = true;
    return 'limited';
  }

  #sweep(now: number): void {
    this.#sinceSweep = 0;
    for (const [userId, entry] of this.#hits) {
      if (entry.times.every((t) => now - t >= this.#windowMs)) this.#hits.delete(userId);
    }
  }
}

/**
 * Drops a user's updates beyond the limit. The first refused one gets a friendly message, the
 * rest only stop the button's spinner, so a user hammering a button does not make us spam them.
 * It runs before the session is loaded, so a flood costs no database work; the message is in
 * the user's Telegram language.
 */
export function rateLimitMiddleware(limiter: RateLimiter, i18n: Translator): MiddlewareFn<Context> {
  return async (ctx, next) => {
    if (!ctx.from) return next();
    const decision = limiter.hit(ctx.from.id);
    if (decision === 'allowed') return next();
    const t = translator(i18n, languageFromTelegram(ctx.from.language_code));
    const text = decision === 'limited' ? t('rate-limited') : undefined;
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery(text ? { text, show_alert: true } : undefined);
    } else if (text && ctx.chat) {
      await ctx.reply(text, { parse_mode: 'HTML' });
    }
  };
}
