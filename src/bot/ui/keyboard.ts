// Inline keyboards from rows of buttons whose data can only come from `callbackData`.
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { type CallbackData, callbackData } from './callback-data.ts';

/** Buttons that are not shown in this state are written as `false` or `null` and dropped. */
export type MaybeButton = InlineKeyboardButton | false | null | undefined;

export function button(text: string, data: CallbackData): InlineKeyboardButton.CallbackButton {
  return { text, callback_data: data };
}

export function urlButton(text: string, url: string): InlineKeyboardButton.UrlButton {
  return { text, url };
}

/** Opens one of our Mini App pages inside Telegram (an https address: see `miniAppUrl`). */
export function webAppButton(text: string, url: string): InlineKeyboardButton.WebAppButton {
  return { text, web_app: { url } };
}

export function keyboard(...rows: MaybeButton[][]): InlineKeyboardMarkup {
  const inline_keyboard = rows
    .map((row) => row.filter((b): b is InlineKeyboardButton => Boolean(b)))
    .filter((row) => row.length > 0);
  return { inline_keyboard };
}

/** The action that does nothing, for labels such as "3/16" in a pager. */
export const NOOP = callbackData('noop');

/**
 * ◀️ i/N ▶️ for a carousel edited in place; previous and next wrap around. Pages are 0-based in
 * the data, 1-based on screen. `args` are the ids that come before the page number.
 */
export function pager(
  action: string,
  page: number,
  total: number,
  ...args: (string | number)[]
): MaybeButton[] {
  if (total <= 1) return [];
  const previous = (page - 1 + total) % total;
  const next = (page + 1) % total;
  return [
    button('◀️', callbackData(action, ...args, previous)),
    button(`${page + 1}/${total}`, NOOP),
    button('▶️', callbackData(action, ...args, next)),
  ];
}
