// Where the Mini App pages open. Telegram opens a web_app button only on an https address to a
// host it accepts (with a dot), so without one there is no button, and the screen says how to
// turn the pages on.
import { buttonAcceptsUrl } from './links.ts';

/** `path` (with `query`) under an https `publicUrl`; null when no web_app button can open it there. */
export function miniAppUrl(
  publicUrl: string,
  path: string,
  query: Record<string, string> = {},
): string | null {
  let base: URL;
  try {
    base = new URL(publicUrl);
  } catch {
    return null;
  }
  if (base.protocol !== 'https:' || !buttonAcceptsUrl(base.href)) return null;
  const url = new URL(path.replace(/^\/+/, ''), base.href.endsWith('/') ? base.href : `${base.href}/`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.href;
}

/** The upload page for one of the seller's products. */
export function uploadPageUrl(publicUrl: string, productId: string): string | null {
  return miniAppUrl(publicUrl, '/app/upload', { product: productId });
}

/** The buyer's library page. */
export function libraryPageUrl(publicUrl: string): string | null {
  return miniAppUrl(publicUrl, '/app/library');
}
