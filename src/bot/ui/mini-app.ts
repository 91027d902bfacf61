// Where the Mini App pages open. Telegram opens a web_app button only on an https address to a
// host it accepts (with a dot), so without one there is no button, and the screen says how to
// turn the pages on (the local Telegram of the chat page, on this machine, opens them over http too).
import type { BotSettings } from '../context.ts';
import { buttonAcceptsUrl } from './links.ts';

type MiniAppSettings = Pick<BotSettings, 'publicUrl' | 'localMiniApps'>;

/** `path` (with `query`) under an https `publicUrl`; null when no web_app button can open it there. */
export function miniAppUrl(
  settings: MiniAppSettings,
  path: string,
  query: Record<string, string> = {},
): string | null {
  let base: URL;
  try {
    base = new URL(settings.publicUrl);
  } catch {
    return null;
  }
  const accepted = settings.localMiniApps
    ? base.protocol === 'http:' || base.protocol === 'https:'
    : base.protocol === 'https:' && buttonAcceptsUrl(base.href);
  if (!accepted) return null;
  const url = new URL(path.replace(/^\/+/, ''), base.href.endsWith('/') ? base.href : `${base.href}/`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.href;
}

/** The upload page for one of the seller's products. */
export function uploadPageUrl(settings: MiniAppSettings, productId: string): string | null {
  return miniAppUrl(settings, '/app/upload', { product: productId });
}

/** The buyer's library page. */
export function libraryPageUrl(settings: MiniAppSettings): string | null {
  return miniAppUrl(settings, '/app/library');
}
