// The bot: middleware in the order every update meets it, then one Composer per feature.
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type Context, session } from 'grammy';
import type { BotContext, BotDeps, SessionData } from './context.ts';
import { errorBoundary } from './error-boundary.ts';
import { adminFeature, adminPromptReset } from './features/admin.ts';
import { browseDeepLinks, browseFeature } from './features/browse.ts';
import { buyFeature } from './features/buy.ts';
import { fallbackFeature } from './features/fallback.ts';
import { helpFeature } from './features/help.ts';
import { languageFeature } from './features/language.ts';
import { libraryFeature } from './features/library.ts';
import { sellFeature, sellPromptReset } from './features/sell.ts';
import { startFeature } from './features/start.ts';
import { supportFeature } from './features/support.ts';
import { ticketsFeature, ticketsPromptReset } from './features/tickets.ts';
import { createTranslator, i18nMiddleware, translator } from './i18n.ts';
import { RateLimiter, rateLimitMiddleware } from './rate-limit.ts';
import { postgresSessionStorage } from './session-storage.ts';

export const DEFAULT_RATE_LIMIT = { perMinute: 10 } as const;

/** One session per Telegram user, whatever the chat (the bot talks in private chats). */
export function sessionKey(ctx: Context): string | undefined {
  return ctx.from ? `user:${ctx.from.id}` : undefined;
}

export function createBot(deps: BotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.token, deps.botInfo ? { botInfo: deps.botInfo } : {});
  // 429 (flood wait) and 5xx from Telegram are retried after the delay it asks for.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));

  const i18n = createTranslator();
  const limiter = new RateLimiter((deps.rateLimit ?? DEFAULT_RATE_LIMIT).perMinute);

  // Handler errors stop here, whatever delivers the update (runner, webhook, tests): the user
  // is answered and the webhook still gets its 200, so Telegram does not resend the update.
  const boundary = errorBoundary(deps.log, i18n);
  bot.catch(boundary);
  const guarded = bot.errorBoundary(boundary);

  // One update at a time per user: two quick presses cannot overwrite each other's session.
  guarded.use(sequentialize(sessionKey));
  guarded.use(rateLimitMiddleware(limiter, i18n));
  guarded.use(
    session<SessionData, BotContext>({
      storage: postgresSessionStorage<SessionData>(deps.db),
      getSessionKey: sessionKey,
      initial: () => ({}),
    }),
  );
  guarded.use(i18nMiddleware(i18n));
  // Leaving the seller screens drops their pending question (before any feature answers).
  guarded.use(sellPromptReset());
  guarded.use(ticketsPromptReset());
  guarded.use(adminPromptReset());

  const buyer = { db: deps.db, storage: deps.storage, ...deps.buyer };
  guarded.use(
    startFeature({ ...browseDeepLinks(buyer, deps.log), ...deps.deepLinks }),
    languageFeature(deps.services),
    helpFeature(),
    supportFeature(),
    adminFeature({
      db: deps.db,
      adminIds: deps.adminIds,
      log: deps.log,
      translateFor: (language) => translator(i18n, language),
    }),
    sellFeature({
      db: deps.db,
      log: deps.log,
      storage: deps.storage,
      token: deps.token,
      fileBaseUrl: deps.telegramFileBaseUrl,
    }),
    ticketsFeature({
      db: deps.db,
      adminIds: deps.adminIds,
      log: deps.log,
      translateFor: (language) => translator(i18n, language),
    }),
    browseFeature(buyer, deps.log),
    buyFeature(buyer),
    libraryFeature(buyer, { log: deps.log, translateFor: (language) => translator(i18n, language) }),
    fallbackFeature(),
  );
  return bot;
}
