// The bot: middleware in the order every update meets it, then one Composer per feature. Every
// feature talks to data only through `deps.services`.
import { createHash } from 'node:crypto';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type Context, type MiddlewareFn, session } from 'grammy';
import type { User } from 'grammy/types';
import type { AccountService } from '../services/accounts.ts';
import { checkRateLimit, DEFAULT_RATE_LIMIT } from '../services/rate-limits.ts';
import { API_TIMEOUT_SECONDS, apiRetries } from './api-retry.ts';
import { chatLease } from './chat-lease.ts';
import type { BotContext, BotDeps, SessionData } from './context.ts';
import { errorBoundary } from './error-boundary.ts';
import { adminFeature, ownsAdminAction } from './features/admin/index.ts';
import { browseFeature } from './features/browse/index.ts';
import { buyFeature } from './features/buy.ts';
import { fallbackFeature } from './features/fallback.ts';
import { helpFeature } from './features/help.ts';
import { languageFeature } from './features/language.ts';
import { libraryFeature, ownsLibraryAction } from './features/library.ts';
import { reachabilityFeature } from './features/reachability.ts';
import { ownsSellAction, sellFeature } from './features/sell/index.ts';
import { startFeature } from './features/start.ts';
import { supportFeature } from './features/support.ts';
import { ownsTicketAction, ticketsFeature } from './features/tickets/index.ts';
import { createTranslator, i18nMiddleware } from './i18n.ts';
import { createMessenger } from './messenger.ts';
import { privateChatsOnly } from './private-only.ts';
import { promptReset } from './prompts.ts';
import { rateLimitMiddleware } from './rate-limit.ts';
import { sessionStorage } from './session-storage.ts';

declare module './context.ts' {
  interface SessionData {
    /** A short digest of the identity last recorded in the users table (not the names again). */
    recorded?: string;
  }
}

/** What changes in a Telegram identity that the users table keeps, as a short digest. */
export function identityDigest(from: Pick<User, 'id' | 'username' | 'first_name' | 'last_name'>): string {
  const identity = [from.id, from.username ?? '', from.first_name, from.last_name ?? ''].join('\n');
  return createHash('sha256').update(identity).digest('base64url').slice(0, 16);
}

/**
 * Records everyone who writes to the bot, on their first update, and again only when Telegram
 * reports a new username or name: one upsert per change, not one write per update.
 */
export function recordUsers(accounts: Pick<AccountService, 'registerUser'>): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const from = ctx.from;
    if (from && !from.is_bot) {
      const digest = identityDigest(from);
      if (ctx.session.recorded !== digest) {
        await accounts.registerUser(from, ctx.locale.language);
        ctx.session.recorded = digest;
      }
    }
    await next();
  };
}

/** One session per Telegram user, whatever the chat (the bot talks in private chats). */
export function sessionKey(ctx: Context): string | undefined {
  return ctx.from ? `user:${ctx.from.id}` : undefined;
}

export function createBot(deps: BotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.token, {
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    client: { timeoutSeconds: API_TIMEOUT_SECONDS, ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}) },
  });
  bot.api.config.use(apiRetries(deps.log));
  if (deps.inFlight) bot.use(deps.inFlight.middleware());

  const i18n = createTranslator();
  const rateLimit = deps.rateLimit ?? DEFAULT_RATE_LIMIT;
  checkRateLimit(rateLimit);
  const messenger = createMessenger({ api: bot.api, i18n, accounts: deps.services.accounts, log: deps.log });

  // Handler errors stop here, whatever delivers the update (runner, webhook, tests): the user
  // is answered and the webhook still gets its 200, so Telegram does not resend the update.
  const boundary = errorBoundary(deps.log, i18n);
  bot.catch(boundary);
  const guarded = bot.errorBoundary(boundary);

  // One update at a time per user: two quick presses cannot overwrite each other's session.
  guarded.use(sequentialize(sessionKey));
  // …and none across instances either, when several take webhook requests.
  if (deps.chatLeases) guarded.use(chatLease(deps.services.leases, sessionKey, deps.log));
  guarded.use(reachabilityFeature(deps.services.orders));
  guarded.use(rateLimitMiddleware(deps.services.rateLimits, rateLimit, i18n));
  guarded.use(privateChatsOnly(i18n));
  guarded.use(
    session<SessionData, BotContext>({
      storage: sessionStorage<SessionData>(deps.services.sessions),
      getSessionKey: sessionKey,
      initial: () => ({}),
    }),
  );
  guarded.use(i18nMiddleware(i18n));
  guarded.use(recordUsers(deps.services.accounts));
  // Leaving a feature drops its pending question, before any feature answers.
  guarded.use(
    promptReset({
      sell: ownsSellAction,
      tickets: ownsTicketAction,
      admin: ownsAdminAction,
      library: ownsLibraryAction,
    }),
  );

  const feature = { services: deps.services, settings: deps.settings, log: deps.log, messenger };
  const browse = browseFeature(feature);
  guarded.use(
    startFeature(browse.deepLinks),
    languageFeature(deps.services.accounts),
    helpFeature(),
    supportFeature(),
    adminFeature(feature),
    sellFeature({
      ...feature,
      token: deps.token,
      ...(deps.telegramFileBaseUrl ? { fileBaseUrl: deps.telegramFileBaseUrl } : {}),
    }),
    ticketsFeature(feature),
    browse.composer,
    buyFeature(feature),
    libraryFeature(feature),
    fallbackFeature(),
  );
  return bot;
}
