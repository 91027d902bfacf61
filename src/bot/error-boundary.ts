// What happens when a handler throws: the operator gets a log line without secrets or user
// text, and the user gets a polite answer instead of a spinning button or silence.
import { type BotError, GrammyError, HttpError } from 'grammy';
import { type Logger, scrubSecrets } from '../log.ts';
import type { BotContext } from './context.ts';
import { languageFromTelegram, type Translator, translator } from './i18n.ts';
import { SessionConflictError } from './session-storage.ts';

function scrub(text: string | undefined): string | undefined {
  return text === undefined ? undefined : scrubSecrets(text);
}

/** The error as a log field: name, message, Telegram's code, stack; never the request payload. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError) {
    return { name: error.name, method: error.method, code: error.error_code, description: error.description };
  }
  if (error instanceof HttpError) {
    return { name: error.name, message: scrub(error.message), cause: scrub(String(error.error)) };
  }
  if (error instanceof Error) {
    return { name: error.name, message: scrub(error.message), stack: scrub(error.stack) };
  }
  return { name: typeof error, message: scrub(String(error)) };
}

export function updateType(ctx: BotContext): string {
  return Object.keys(ctx.update).find((key) => key !== 'update_id') ?? 'unknown';
}

export function errorBoundary(log: Logger, i18n: Translator): (error: BotError<BotContext>) => Promise<void> {
  return async ({ error, ctx }) => {
    log.error(
      {
        err: describeError(error),
        updateId: ctx.update.update_id,
        updateType: updateType(ctx),
        userId: ctx.from?.id,
      },
      'Bot update failed',
    );
    // The failure may have happened before the translations were installed (session read).
    const t =
      typeof ctx.t === 'function' ? ctx.t : translator(i18n, languageFromTelegram(ctx.from?.language_code));
    // A refused session write has its own words: the user's other action won, this one was not kept.
    const text = error instanceof SessionConflictError ? t('error-session-conflict') : t('error-generic');
    try {
      // A button the handler had already answered cannot be answered twice: say it in the chat.
      const answered = ctx.callbackQuery
        ? await ctx.answerCallbackQuery({ text, show_alert: true }).catch(() => false)
        : false;
      if (!answered && ctx.chat) await ctx.reply(text, { parse_mode: 'HTML' });
    } catch (answerError) {
      log.warn(
        { err: describeError(answerError), updateId: ctx.update.update_id },
        'Could not tell the user',
      );
    }
  };
}
