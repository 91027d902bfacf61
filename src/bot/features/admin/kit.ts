// What every part of the admin console shares: the Moderator of the presser (verified against
// ADMIN_IDS on every update), refusals, the common buttons, and numbers, amounts and dates in the
// admin's language.
import type { Composer } from 'grammy';
import type { Moderator } from '../../../services/moderation.ts';
import type { BotContext, FeatureDeps } from '../../context.ts';
import { pendingPrompt } from '../../prompts.ts';
import { refusalText } from '../../refusals.ts';
import { callbackData } from '../../ui/callback-data.ts';
import { formatDate, formatDateTime, formatMoney } from '../../ui/format.ts';
import { button, keyboard } from '../../ui/keyboard.ts';
import { oneLine, TELEGRAM_LIMITS, truncate } from '../../ui/text.ts';
import { ADMIN, type AdminPrompt } from './state.ts';

export interface AdminKit {
  deps: FeatureDeps;
  /** The sender as a Moderator: only admins' updates reach the admin composer. */
  moderator(ctx: BotContext): Moderator;
  /** Tells the admin why an action was refused; anything that is not a refusal is a bug (rethrown). */
  refuse(ctx: BotContext, error: unknown): Promise<void>;
}

/** Answers the admin's typed text if the pending question is this area's (true), else false. */
export type PromptAnswer = (ctx: BotContext, prompt: AdminPrompt, text: string) => Promise<boolean>;

/** One part of the console: registers its buttons on the admins-only composer, and its answers. */
export type AdminArea = (admin: Composer<BotContext>, kit: AdminKit) => PromptAnswer | undefined;

export function adminKit(deps: FeatureDeps): AdminKit {
  return {
    deps,
    moderator(ctx) {
      if (!ctx.from) throw new Error('an update without a sender reached the admin feature');
      return deps.services.moderation.moderator(ctx.from.id);
    },
    async refuse(ctx, error) {
      const text = refusalText(ctx, error);
      if (text === null) throw error;
      if (ctx.callbackQuery) {
        await ctx.answerCallbackQuery({ text: plain(text), show_alert: true });
        return;
      }
      const asking = pendingPrompt(ctx, 'admin') !== undefined;
      await ctx.reply(text, {
        parse_mode: 'HTML',
        reply_markup: asking ? cancelKeyboard(ctx) : keyboard([backButton(ctx)]),
      });
    },
  };
}

/** Alerts are plain text, at most 200 characters. */
function plain(text: string): string {
  const flat = text
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
  return truncate(flat, TELEGRAM_LIMITS.alert);
}

export function backButton(ctx: BotContext) {
  return button(ctx.t('admin-button-back'), callbackData(ADMIN.menu));
}

export function cancelKeyboard(ctx: BotContext) {
  return keyboard([button(ctx.t('admin-button-cancel'), callbackData(ADMIN.cancel))]);
}

export function money(ctx: BotContext, cents: number): string {
  return formatMoney(ctx.locale.language, cents);
}

export function day(ctx: BotContext, date: Date): string {
  return formatDate(ctx.locale.language, date);
}

export function moment(ctx: BotContext, date: Date): string {
  return formatDateTime(ctx.locale.language, date);
}

/** A person as admins name them: first and last name, or their id when Telegram gave none. */
export function personName(person: { firstName: string; lastName?: string }, id: number): string {
  const name = `${person.firstName} ${person.lastName ?? ''}`.trim();
  return name === '' ? `#${id}` : name;
}

/** Clips a line for a button label or a list (Telegram shows about 40 characters of a button). */
export function clip(text: string, max: number): string {
  return oneLine(text, max);
}

/** The page to show for `requested` among `total` items: the last one when it went past the end. */
export function clampPage(requested: number, total: number, size: number): number {
  const pages = Math.max(1, Math.ceil(total / size));
  return Math.min(Math.max(0, requested), pages - 1);
}
