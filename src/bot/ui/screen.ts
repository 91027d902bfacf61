// One way to show a screen: edit the pressed message in place when the update is a button
// press on one of our text messages, otherwise send a new message. Always HTML, no link preview.
import { GrammyError } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { BotContext } from '../context.ts';
import type { Html } from './html.ts';

export interface Screen {
  /** Safe HTML: built with `html`, or a translation (`ctx.t` escapes what it interpolates). */
  text: Html | string;
  keyboard?: InlineKeyboardMarkup;
}

const NOT_MODIFIED = /message is not modified/i;
// Too old to edit, deleted meanwhile, or not a text message (a photo card): send a new one.
const CANNOT_EDIT = /message (?:to edit not found|can't be edited)|there is no text in the message to edit/i;

export async function showScreen(ctx: BotContext, screen: Screen): Promise<void> {
  const text = String(screen.text);
  const options = {
    parse_mode: 'HTML' as const,
    link_preview_options: { is_disabled: true },
    ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
  };
  const pressed = ctx.callbackQuery?.message;
  if (pressed && 'text' in pressed && pressed.text !== undefined) {
    try {
      await ctx.editMessageText(text, options);
      return;
    } catch (error) {
      if (error instanceof GrammyError && NOT_MODIFIED.test(error.description)) return;
      if (!(error instanceof GrammyError && CANNOT_EDIT.test(error.description))) throw error;
    }
  }
  await ctx.reply(text, options);
}
