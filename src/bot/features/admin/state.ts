// The admin console's questions and button actions.
import { callbackData } from '../../ui/callback-data.ts';

/** What the admin's next message answers. */
export type AdminPrompt =
  | { on: 'tx'; sellerId: number }
  | { on: 'user' }
  | { on: 'suspend'; userId: number }
  | { on: 'product' }
  | { on: 'ban'; productId: string };

declare module '../../prompts.ts' {
  interface Prompts {
    admin: AdminPrompt;
  }
}

export const ADMIN_ACTIONS = {
  menu: callbackData('adm'),
  stats: callbackData('adm.st'),
  users: callbackData('adm.us'),
  products: callbackData('adm.pr'),
  cancel: callbackData('adm.x'),
  /** With a page number. */
  payouts: 'adm.po',
  /** With a seller id. */
  pay: 'adm.pay',
  /** With a user id. */
  user: 'adm.u',
  suspend: 'adm.sus',
  restoreUser: 'adm.rst',
  /** With a product id. */
  product: 'adm.p',
  ban: 'adm.ban',
  restoreProduct: 'adm.pok',
} as const;

/** Pressing one of these keeps the admin's pending question. */
export function ownsAdminAction(data: string): boolean {
  return data.startsWith('adm');
}
