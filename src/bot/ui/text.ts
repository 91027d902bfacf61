// Telegram measures texts in UTF-16 code units after removing the HTML markup, and refuses a
// string cut in the middle of a surrogate pair. Everything the bot shortens goes through here.

/** What Telegram accepts, in UTF-16 units of the visible text. */
export const TELEGRAM_LIMITS = Object.freeze({ message: 4096, caption: 1024, alert: 200, button: 64 });

const ENTITY = /&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi;

/** The length Telegram counts for an HTML-formatted text: tags removed, each entity one character. */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(ENTITY, '_').length;
}

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * At most `max` UTF-16 units of `text`, cut between the characters a reader sees (never inside
 * a surrogate pair, nor between an emoji and its modifiers or the parts of a flag), with an
 * ellipsis when something was removed.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${clipped(text, max - 1).trimEnd()}…`;
}

/** The longest start of `text` within `max` UTF-16 units that ends between graphemes (no ellipsis). */
export function clipped(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = '';
  for (const { segment } of GRAPHEMES.segment(text)) {
    if (cut.length + segment.length > max) break;
    cut += segment;
  }
  return cut;
}

/** One line of at most `max` units: runs of white space become one space. */
export function oneLine(text: string, max: number): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), max);
}

/**
 * The largest part of `text` whose rendering fits `limit` visible units: `render` is called with
 * shorter and shorter versions (cut at character boundaries) until one fits.
 */
export function fitted(text: string, limit: number, render: (part: string) => string): string {
  const full = render(text);
  const over = visibleLength(full) - limit;
  if (over <= 0) return full;
  let budget = Math.max(0, text.length - over - 1);
  for (;;) {
    const candidate = render(truncate(text, budget));
    if (visibleLength(candidate) <= limit || budget === 0) return candidate;
    budget = Math.max(0, budget - Math.max(1, visibleLength(candidate) - limit));
  }
}
