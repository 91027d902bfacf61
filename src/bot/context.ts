// The context every handler receives, the session it carries and what createBot needs.
import type { Context, SessionFlavor } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { FeePolicy } from '../domain/index.ts';
import type { Logger } from '../log.ts';
import type { Services } from '../services/index.ts';
import type { RateLimitSettings } from '../services/rate-limits.ts';
import type { InFlightUpdates } from './in-flight.ts';
import type { Messenger } from './messenger.ts';
import type { Html } from './ui/html.ts';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'fr';

export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

/**
 * What survives between updates, per Telegram user, in PostgreSQL. Features add their own
 * optional member (a wizard, a carousel position) by declaration merging on this interface.
 */
export interface SessionData {
  /** The language the user chose; absent until they choose or /start records one. */
  language?: Language;
}

/** Values interpolated into a translation: strings are HTML-escaped, `Html` is inserted as is. */
export type TranslationVariables = Record<string, string | number | Html>;
/** A message from the locale files, as HTML with every interpolated string escaped. */
export type Translate = (key: string, variables?: TranslationVariables) => string;

export interface I18nControls {
  /** The language of this update's replies. */
  language: Language;
  /** Saves the user's choice in the session and switches this update's replies to it. */
  setLanguage(language: Language): void;
}

export type BotContext = Context &
  SessionFlavor<SessionData> & {
    t: Translate;
    locale: I18nControls;
  };

export type DeepLinkHandler = (ctx: BotContext, id: string) => Promise<void>;

/** `/start product_<id>` and `/start shop_<sellerId>`: filled by the catalog features. */
export interface DeepLinkHandlers {
  product?: DeepLinkHandler;
  shop?: DeepLinkHandler;
}

/** What the bot shows that is not data: where links point, which coins, the clock. */
export interface BotSettings {
  /** Download links are `${publicUrl}/download/<token>`. */
  publicUrl: string;
  /** Mini App buttons on an http publicUrl too: only for the local Telegram of the chat page (Telegram wants https). */
  localMiniApps?: boolean;
  /** Coins offered (NOWPayments codes, PAY_CURRENCIES). */
  payCurrencies: readonly string[];
  feePolicy?: FeePolicy;
  /** The clock for badges ("new") and ages, for tests. */
  now?: () => Date;
}

export interface BotDeps {
  token: string;
  /** The only door to data: the bot reads and changes nothing else. */
  services: Services;
  log: Logger;
  settings: BotSettings;
  rateLimit?: RateLimitSettings;
  /** Known bot identity: skips the getMe call (tests, or a cached value). */
  botInfo?: UserFromGetMe;
  /** Base of Telegram's file downloads (default https://api.telegram.org; tests use a local server). */
  telegramFileBaseUrl?: string;
  /** Root of the Bot API (TELEGRAM_API_URL; default https://api.telegram.org). */
  apiRoot?: string;
  /** Counts the updates being handled, so a shutdown can wait for them. */
  inFlight?: InFlightUpdates;
  /** Webhook mode: one user's updates wait for each other across instances (chat leases). */
  chatLeases?: boolean;
}

/** What every feature Composer receives from createBot. */
export interface FeatureDeps {
  services: Services;
  settings: BotSettings;
  log: Logger;
  /** Messages to other users (relays, notices), in their own language. */
  messenger: Messenger;
}
