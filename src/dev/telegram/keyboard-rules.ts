// The Bot API's rules for inline keyboards: button texts, URL and Web App links, callback data
// size, and how two keyboards compare when Telegram decides whether an edit changes anything.
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { badRequest, LIMITS, type TelegramRefusal } from './strict.ts';

export function checkKeyboard(markup: unknown): TelegramRefusal | undefined {
  const buttons = keyboardRows(markup).flat();
  if (!buttons.every(hasAction)) {
    return badRequest(
      "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
  }
  for (const button of buttons) {
    if (!button.text.isWellFormed())
      return badRequest('inline keyboard button text must be encoded in UTF-8');
    if ('url' in button && button.url) {
      const invalid = linkError(button.url, false);
      if (invalid) return badRequest(`inline keyboard button URL '${button.url}' is invalid: ${invalid}`);
    }
    if ('web_app' in button && button.web_app) {
      const invalid = linkError(button.web_app.url, true);
      if (invalid) {
        return badRequest(
          `inline keyboard button Web App URL '${button.web_app.url}' is invalid: ${invalid}`,
        );
      }
    }
  }
  for (const button of buttons) {
    if ('callback_data' in button && Buffer.byteLength(button.callback_data) > LIMITS.callbackData) {
      return badRequest('BUTTON_DATA_INVALID');
    }
  }
  return undefined;
}

/** Button fields that give a button something to do, besides a non-empty url or callback_data. */
const ACTION_FIELDS = [
  'callback_game',
  'pay',
  'switch_inline_query',
  'switch_inline_query_chosen_chat',
  'switch_inline_query_current_chat',
  'login_url',
  'web_app',
  'copy_text',
];

function hasAction(button: InlineKeyboardButton): boolean {
  const fields = button as unknown as Record<string, unknown>;
  return (
    Boolean(fields.url) || Boolean(fields.callback_data) || ACTION_FIELDS.some((f) => fields[f] !== undefined)
  );
}

/**
 * Why Telegram refuses a button's link (TDLib's check_link), or undefined: http(s) or tg: only,
 * a host with a dot (so no localhost), and https for a Web App.
 */
function linkError(url: string, httpsOnly: boolean): string | undefined {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (/^tg:/i.test(url)) return httpsOnly ? 'Only HTTPS links are allowed' : undefined;
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return 'Unsupported URL protocol';
  const authority = url.slice(scheme === undefined ? 0 : scheme.length + 3).split(/[/?#]/)[0] ?? '';
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  const ipv6 = hostAndPort.startsWith('[');
  const host = ipv6 ? hostAndPort : hostAndPort.replace(/:\d*$/, '');
  if (host === '') return 'URL host is empty';
  if (httpsOnly && scheme !== 'https') return 'Only HTTPS links are allowed';
  if (!host.includes('.') && !ipv6) return 'Wrong HTTP URL';
  return undefined;
}

export function keyboardRows(markup: unknown): InlineKeyboardButton[][] {
  const rows = (markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [];
  // Telegram drops buttons without text, then empty rows.
  return rows.map((row) => row.filter((button) => button.text !== '')).filter((row) => row.length > 0);
}

/** The keyboard in a form where equal keyboards are equal strings ('' for none). */
export function markupKey(markup: unknown): string {
  const rows = keyboardRows(markup);
  return rows.length === 0 ? '' : JSON.stringify(rows.map((row) => row.map(sortedKeys)));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, sortedKeys(v)]),
  );
}
