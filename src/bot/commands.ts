// The command menu Telegram shows next to the text box, one list per language. Every command
// works whatever the language: /achat and /buy, /vendre and /sell reach the same screens.
import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { Logger } from '../log.ts';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './context.ts';
import { describeError } from './error-boundary.ts';
import { createTranslator, type Translator } from './i18n.ts';

export interface CommandEntry {
  command: string;
  /** Locale key of the description shown in the menu. */
  description: string;
  /** The languages whose menu lists it (a synonym appears in one language only). */
  languages: readonly Language[];
}

export const COMMANDS: readonly CommandEntry[] = [
  { command: 'start', description: 'command-start', languages: LANGUAGES },
  { command: 'achat', description: 'command-buy', languages: ['fr'] },
  { command: 'buy', description: 'command-buy', languages: ['en'] },
  { command: 'vendre', description: 'command-sell', languages: ['fr'] },
  { command: 'sell', description: 'command-sell', languages: ['en'] },
  { command: 'library', description: 'command-library', languages: LANGUAGES },
  { command: 'stats', description: 'command-stats', languages: LANGUAGES },
  { command: 'shop', description: 'command-shop', languages: LANGUAGES },
  { command: 'help', description: 'command-help', languages: LANGUAGES },
  { command: 'support', description: 'command-support', languages: LANGUAGES },
];

/** The buy and sell commands under both names, for `composer.command(...)`. */
export const BUY_COMMANDS = ['buy', 'achat'];
export const SELL_COMMANDS = ['sell', 'vendre'];

export function commandList(i18n: Translator, language: Language): BotCommand[] {
  return COMMANDS.filter((c) => c.languages.includes(language)).map((c) => ({
    command: c.command,
    description: i18n.translate(language, c.description),
  }));
}

/** What publishCommands needs besides the API. */
export interface PublishOptions {
  /** Their private chats list /admin too. */
  adminIds: ReadonlySet<number>;
  log: Logger;
  i18n?: Translator;
}

type CommandScope = NonNullable<Parameters<Api['setMyCommands']>[1]>['scope'];

/**
 * The menus and the bot's descriptions, each in French (also the default for any other
 * language) and English: every command in private chats; in groups only /start, which points to
 * the private chat; /admin added in each admin's own chat. A call Telegram refuses (an admin
 * who never opened the bot: "chat not found") is logged and the others still go.
 */
export async function publishCommands(
  api: Api,
  { adminIds, log, i18n = createTranslator() }: PublishOptions,
): Promise<void> {
  const attempt = async (what: string, call: () => Promise<unknown>) => {
    await call().catch((error: unknown) =>
      log.warn({ err: describeError(error), what }, 'Could not publish to Telegram'),
    );
  };
  for (const language of [undefined, ...LANGUAGES]) {
    const shown = language ?? DEFAULT_LANGUAGE;
    const t = (key: string) => i18n.translate(shown, key);
    const lang = language ? { language_code: language } : {};
    const commands = commandList(i18n, shown);
    const menu = async (list: BotCommand[], scope: CommandScope) =>
      attempt(`commands ${scope?.type ?? 'default'} ${language ?? ''}`, () =>
        api.setMyCommands(list, { scope, ...lang }),
      );
    await menu(commands, { type: 'all_private_chats' });
    await menu([{ command: 'start', description: t('command-start-group') }], { type: 'all_group_chats' });
    for (const chatId of adminIds) {
      await menu([...commands, { command: 'admin', description: t('command-admin') }], {
        type: 'chat',
        chat_id: chatId,
      });
    }
    await attempt(`description ${language ?? ''}`, () => api.setMyDescription(t('bot-description'), lang));
    await attempt(`short description ${language ?? ''}`, () =>
      api.setMyShortDescription(t('bot-short-description'), lang),
    );
  }
}
