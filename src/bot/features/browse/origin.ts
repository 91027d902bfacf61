// Where a detail view was opened from, carried in its buttons, so Back returns to the same
// carousel position.
import { type CallbackData, callbackData } from '../../ui/callback-data.ts';
import { BUYER_ACTIONS } from '../buyer-shared.ts';
import { MENU_ACTIONS } from '../menu.ts';

export type Origin =
  | { kind: 'category'; categoryId: number; index: number }
  | { kind: 'shop'; sellerId: number; index: number }
  | { kind: 'none' };

export function encodeOrigin(origin: Origin): string {
  if (origin.kind === 'category') return `c${origin.categoryId}-${origin.index}`;
  if (origin.kind === 'shop') return `s${origin.sellerId}-${origin.index}`;
  return 'x';
}

export function decodeOrigin(text: string): Origin {
  const match = /^([cs])(\d{1,16})-(\d{1,6})$/.exec(text);
  if (!match) return { kind: 'none' };
  const id = Number(match[2]);
  const index = Number(match[3]);
  if (!Number.isSafeInteger(id)) return { kind: 'none' };
  return match[1] === 'c'
    ? { kind: 'category', categoryId: id, index }
    : { kind: 'shop', sellerId: id, index };
}

/** The Back button's data: the carousel position, or the category picker. */
export function originData(origin: Origin): CallbackData {
  if (origin.kind === 'category')
    return callbackData(BUYER_ACTIONS.category, origin.categoryId, origin.index);
  if (origin.kind === 'shop') return callbackData(BUYER_ACTIONS.shop, origin.sellerId, origin.index);
  return MENU_ACTIONS.buy;
}
