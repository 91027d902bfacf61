// What a user reads when a service refuses: the error's own translation (`error-<code>` in the
// locale files, with its details as variables), the same sentence wherever it happens. Anything
// that is not a refusal (a bug, the database down) goes on to the error boundary.
import { AppError, type ErrorKind, localeKeyOf } from '../errors.ts';
import type { BotContext } from './context.ts';
import { TELEGRAM_LIMITS, truncate } from './ui/text.ts';

/** Kinds a person can act on; the rest (internal, unavailable storage or database) are our failures. */
const REFUSALS: ReadonlySet<ErrorKind> = new Set([
  'invalid',
  'forbidden',
  'not_found',
  'conflict',
  'gone',
  'too_large',
  'unsupported_media_type',
  'range_not_satisfiable',
  'rate_limited',
]);

/**
 * True for errors that carry a message for the user: refusals, and an unavailable payment
 * provider. Errors whose message names internals (the data layer's) are never shown.
 */
export function isRefusal(error: unknown): error is AppError {
  return (
    error instanceof AppError &&
    error.public &&
    (REFUSALS.has(error.kind) || error.code === 'payment_provider_unavailable')
  );
}

/** The refusal in the reader's language, or null when `error` is not one (the caller rethrows). */
export function refusalText(ctx: BotContext, error: unknown): string | null {
  if (!isRefusal(error)) return null;
  const variables: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(error.details)) {
    if (typeof value === 'string' || typeof value === 'number') variables[name] = value;
  }
  return ctx.t(localeKeyOf(error.code), variables);
}

/** Runs `action`; a refusal comes back as its message instead of being thrown. */
export async function attempt<T>(
  ctx: BotContext,
  action: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; message: string; error: AppError }> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    const message = refusalText(ctx, error);
    if (message === null) throw error;
    return { ok: false, message, error: error as AppError };
  }
}

/** Answers a button press with the message as an alert (the screen stays), or replies to a message. */
export async function answerAlert(ctx: BotContext, message: string): Promise<void> {
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({
      text: truncate(stripTags(message), TELEGRAM_LIMITS.alert),
      show_alert: true,
    });
  } else await ctx.reply(message, { parse_mode: 'HTML' });
}

/** Stops the button's spinner; harmless when the press was already answered. */
export async function acknowledge(ctx: BotContext, text?: string): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery(text ? { text } : {}).catch(() => undefined);
}

/** Alerts are plain text: our messages may carry <b> and entities. */
function stripTags(message: string): string {
  return message
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
