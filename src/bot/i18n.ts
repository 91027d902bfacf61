// Fluent translations from locales/*.ftl. French is the default; a user's language is their
// saved choice (session), else their Telegram language when it is English, else French.
import { join } from 'node:path';
import { I18n } from '@grammyjs/i18n';
import type { MiddlewareFn } from 'grammy';
import {
  type BotContext,
  DEFAULT_LANGUAGE,
  isLanguage,
  LANGUAGES,
  type Language,
  type Translate,
  type TranslationVariables,
} from './context.ts';
import { escapeHtml, Html } from './ui/html.ts';

export const LOCALES_DIR = join(import.meta.dirname, '..', '..', 'locales');

export type Translator = I18n<BotContext>;

export function createTranslator(directory = LOCALES_DIR): Translator {
  const i18n = new I18n<BotContext>({
    defaultLocale: DEFAULT_LANGUAGE,
    // Fluent wraps placeables in invisible bidi marks by default; Telegram would show them in copies.
    fluentBundleOptions: { useIsolating: false },
  });
  i18n.loadLocalesDirSync(directory);
  for (const language of LANGUAGES) {
    if (!i18n.locales.includes(language))
      throw new Error(`Missing locale file ${language}.ftl in ${directory}`);
  }
  return i18n;
}

function escapeVariables(variables: TranslationVariables = {}): Record<string, string | number> {
  const safe: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(variables)) {
    safe[name] = value instanceof Html ? value.value : typeof value === 'string' ? escapeHtml(value) : value;
  }
  return safe;
}

/** `translate` bound to a language, escaping interpolated strings: the result is safe HTML. */
export function translator(i18n: Translator, language: Language): Translate {
  return (key, variables) => i18n.translate(language, key, escapeVariables(variables));
}

/** The language for a Telegram user who has not chosen one yet. */
export function languageFromTelegram(code: string | undefined): Language {
  return code?.toLowerCase().startsWith('en') ? 'en' : DEFAULT_LANGUAGE;
}

/** Installs `ctx.t` and `ctx.locale`; runs after the session middleware. */
export function i18nMiddleware(i18n: Translator): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const saved = ctx.from ? ctx.session.language : undefined;
    let language: Language = isLanguage(saved) ? saved : languageFromTelegram(ctx.from?.language_code);
    ctx.t = translator(i18n, language);
    ctx.locale = {
      get language() {
        return language;
      },
      setLanguage(chosen: Language) {
        ctx.session.language = chosen;
        language = chosen;
        ctx.t = translator(i18n, chosen);
      },
    };
    await next();
  };
}
