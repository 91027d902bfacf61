// What a seller reads when the services refuse: one localized sentence per kind of mistake.
// Anything else is a bug and is rethrown to the error boundary.
import { ValidationError } from '../../domain/index.ts';
import { AppError } from '../../services/errors.ts';
import type { BotContext } from '../context.ts';

function validationText(ctx: BotContext, error: ValidationError): string {
  const d = error.details;
  if (error.code.endsWith('_invalid_chars') && error.field !== 'solana_address') {
    return ctx.t('sell-error-text-chars');
  }
  switch (error.field) {
    case 'title':
      return ctx.t('sell-error-title');
    case 'description':
      return ctx.t('sell-error-description');
    case 'seller_name':
      return ctx.t('sell-error-name');
    case 'bio':
      return ctx.t('sell-error-bio');
    case 'email':
      return ctx.t('sell-error-email');
    case 'price':
      return error.code === 'price_below_minimum' || error.code === 'price_above_maximum'
        ? ctx.t('sell-error-price-range', { min: String(d.min ?? ''), max: String(d.max ?? '') })
        : ctx.t('sell-error-price');
    case 'solana_address':
      if (error.code === 'solana_address_length') {
        return ctx.t('sell-error-address-length', { length: Number(d.length ?? 0) });
      }
      if (error.code === 'solana_address_invalid_chars') {
        return ctx.t('sell-error-address-chars', { position: Number(d.position ?? 0) });
      }
      return ctx.t('sell-error-address');
    default:
      return ctx.t('sell-error-input');
  }
}

function serviceText(ctx: BotContext, error: AppError): string {
  switch (error.code) {
    case 'user_suspended':
      return ctx.t('sell-error-suspended');
    case 'email_taken':
      return ctx.t('sell-error-email-taken');
    case 'product_banned':
      return ctx.t('sell-error-banned');
    case 'product_file_missing':
      return ctx.t('sell-error-file-missing');
    case 'not_seller':
      return ctx.t('sell-error-not-seller');
    case 'category_not_found':
      return ctx.t('sell-error-category');
    case 'image_type_invalid':
    case 'image_too_large':
      return ctx.t('sell-error-cover');
    default:
      // Someone else's product, a deleted one, an id that does not exist: the same polite no.
      return ctx.t('sell-error-product-unavailable');
  }
}

/** The message for a refusal, or null when `error` is not one (the caller rethrows). */
export function refusalText(ctx: BotContext, error: unknown): string | null {
  if (error instanceof ValidationError) return validationText(ctx, error);
  if (error instanceof AppError) return serviceText(ctx, error);
  return null;
}

/** Runs `action`; a refusal is returned as its message instead of thrown. */
export async function attempt<T>(
  ctx: BotContext,
  action: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    const message = refusalText(ctx, error);
    if (message === null) throw error;
    return { ok: false, message };
  }
}

/** Answers a button press with the refusal as an alert (the screen stays as it was). */
export async function refuse(ctx: BotContext, message: string): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: stripTags(message), show_alert: true });
  else await ctx.reply(message, { parse_mode: 'HTML' });
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
