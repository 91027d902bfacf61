// Where the Mini App pages open. Telegram opens a web_app button only on an https address, so
// without an https PUBLIC_URL there is no button, and the screen says how to turn the pages on.

/** `path` (with `query`) under an https `publicUrl`; null when the marketplace is not served over https. */
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
  if (base.protocol !== 'https:') return null;
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
