// `https://t.me/<bot>?start=product_<id>` and `?start=shop_<sellerId>`: what /start receives.
import { ValidationError } from '../domain/errors.ts';
import { isId, parseId } from '../domain/ids.ts';

export type StartPayload =
  | { kind: 'product'; productId: string }
  | { kind: 'shop'; sellerId: number }
  | { kind: 'invalid' };

// Telegram ids fit in 52 bits; anything longer is not a seller.
const SELLER_ID = /^[1-9][0-9]{0,15}$/;

/** null for a plain /start; `invalid` for a payload we never issue (mistyped, truncated, foreign). */
export function parseStartPayload(payload: string): StartPayload | null {
  const text = payload.trim();
  if (text === '') return null;
  const separator = text.indexOf('_');
  const kind = text.slice(0, separator).toLowerCase();
  const value = text.slice(separator + 1);
  if (separator > 0 && kind === 'product') {
    try {
      return { kind: 'product', productId: parseId('product', value) };
    } catch (error) {
      if (error instanceof ValidationError) return { kind: 'invalid' };
      throw error;
    }
  }
  if (separator > 0 && kind === 'shop' && SELLER_ID.test(value)) {
    const sellerId = Number(value);
    if (Number.isSafeInteger(sellerId)) return { kind: 'shop', sellerId };
  }
  return { kind: 'invalid' };
}

/** The payload for a product's share link (`?start=…`): at most 64 characters of [A-Za-z0-9_-]. */
export function productStartPayload(productId: string): string {
  if (!isId('product', productId)) throw new TypeError(`Not a product id: ${productId}`);
  return `product_${productId}`;
}

export function shopStartPayload(sellerId: number): string {
  if (!Number.isSafeInteger(sellerId) || sellerId <= 0) throw new TypeError(`Not a seller id: ${sellerId}`);
  return `shop_${sellerId}`;
}

/** The link a user can share: opens the bot and sends /start with the payload. */
export function startLink(botUsername: string, payload: string): string {
  return `https://t.me/${botUsername}?start=${payload}`;
}
