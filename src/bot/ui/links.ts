// Links to our own pages (PUBLIC_URL): a URL button when Telegram accepts one, else the link in
// the message text. Telegram refuses a button to a host without a dot (BUTTON_URL_INVALID), and
// PUBLIC_URL is http://localhost:3000 on a developer's machine.
import type { InlineKeyboardButton } from 'grammy/types';
import { html } from './html.ts';
import { urlButton } from './keyboard.ts';

/** Whether Telegram takes `url` on a button: http(s) to a host with a dot, or an IPv6 address. */
export function buttonAcceptsUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  return parsed.hostname.includes('.') || parsed.hostname.startsWith('[');
}

/** How to offer a link: a button (and nothing in the text), or no button and a line for the text. */
export interface LinkOffer {
  button: InlineKeyboardButton.UrlButton | null;
  /** HTML to append to the message: '' when the button carries the link. */
  text: string;
}

export function offerLink(label: string, url: string): LinkOffer {
  if (buttonAcceptsUrl(url)) return { button: urlButton(label, url), text: '' };
  // Shown whole: Telegram may not make a text link of a host without a dot either.
  return { button: null, text: html`\n\n${label}\n<a href="${url}">${url}</a>`.value };
}
