// The command menu Telegram shows next to the text box, one list per language. Every command
// works whatever the language: /achat and /buy, /vendre and /sell reach the same screens.
import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { LANGUAGES, type Language } from './context.ts';
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

/**
 * Publishes the French list as the default (any other language sees it) and each language's
 * list for users whose Telegram is set to it.
 */
export async function publishCommands(api: Api, i18n: Translator = createTranslator()): Promise<void> {
  await api.setMyCommands(commandList(i18n, 'fr'));
  for (const language of LANGUAGES) {
    await api.setMyCommands(commandList(i18n, language), { language_code: language });
  }
}
