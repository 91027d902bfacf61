// The per-user rate limit in front of every update (the bucket itself is the rate-limit service,
// in PostgreSQL, shared by every instance). A refused button press is always answered (a small
// alert saying when to try again); a refused message gets one reply per streak, so a flood does
// not make us spam the user.
import type { Context, MiddlewareFn } from 'grammy';
import type { RateLimitService, RateLimitSettings } from '../services/rate-limits.ts';
import { languageFromTelegram, type Translator, translator } from './i18n.ts';

/**
 * Answers a user's updates beyond the limit instead of handling them. It runs before the session
 * is loaded, so a flood costs one statement per update and nothing more; the answer is in the
 * user's Telegram language.
 */
export function rateLimitMiddleware(
  rateLimits: RateLimitService,
  limit: RateLimitSettings,
  i18n: Translator,
): MiddlewareFn<Context> {
  return async (ctx, next) => {
    if (!ctx.from) return next();
    const decision = await rateLimits.hit(ctx.from.id, limit);
    if (decision.allowed) return next();
    const t = translator(i18n, languageFromTelegram(ctx.from.language_code));
    const text = t('rate-limited', { seconds: decision.retryAfterSec });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
    else if (decision.firstRefusal && ctx.chat) await ctx.reply(text, { parse_mode: 'HTML' });
  };
}
