// Messages the bot sends to someone other than the person it is answering (a delivery, a relayed
// ticket message, a sale notice): always in the recipient's own saved language, French when they
// never chose one.
import { type Api, GrammyError } from 'grammy';
import type { Logger } from '../log.ts';
import type { AccountService } from '../services/accounts.ts';
import type { Reach } from '../services/orders.ts';
import type { Language, Translate } from './context.ts';
import { type Translator, translator } from './i18n.ts';

export type SendOptions = Parameters<Api['sendMessage']>[2];

/** What to send, written with the recipient's translations (and their language, for formatting). */
export type Compose = (t: Translate, language: Language) => { text: string; options?: SendOptions };

export interface Messenger {
  /** Sends a message in the recipient's language; throws when Telegram refuses. */
  send(userId: number, compose: Compose): Promise<void>;
  /** Sends, or says the recipient cannot be reached (`isUnreachable`); other failures throw. */
  reach(userId: number, compose: Compose): Promise<Reach>;
  /** Best effort: a failure is logged with `what`, and false is returned. */
  trySend(userId: number, compose: Compose, what: string): Promise<boolean>;
  /** The recipient's translations, for messages sent another way (a document, a photo). */
  translatorFor(userId: number): Promise<Translate>;
}

/**
 * Telegram's answers that no retry changes: the user blocked the bot, deleted their account or
 * never opened a chat with it (403 Forbidden), or the chat does not exist.
 */
export function isUnreachable(error: unknown): boolean {
  return (
    error instanceof GrammyError && (error.error_code === 403 || /chat not found/i.test(error.description))
  );
}

export function createMessenger(deps: {
  api: Api;
  i18n: Translator;
  accounts: Pick<AccountService, 'languageOf'>;
  log: Pick<Logger, 'warn'>;
}): Messenger {
  const translatorFor = async (userId: number) =>
    translator(deps.i18n, await deps.accounts.languageOf(userId));
  const send = async (userId: number, compose: Compose) => {
    const language = await deps.accounts.languageOf(userId);
    const { text, options } = compose(translator(deps.i18n, language), language);
    await deps.api.sendMessage(userId, text, { parse_mode: 'HTML', ...options });
  };
  return {
    send,
    translatorFor,
    async reach(userId, compose) {
      try {
        await send(userId, compose);
        return 'sent';
      } catch (error) {
        if (isUnreachable(error)) return 'unreachable';
        throw error;
      }
    },
    async trySend(userId, compose, what) {
      try {
        await send(userId, compose);
        return true;
      } catch (error) {
        deps.log.warn({ err: error, userId }, `${what} not sent`);
        return false;
      }
    },
  };
}
