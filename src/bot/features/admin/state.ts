// The admin console's questions, what it remembers between screens, and its button actions.
// Callback data carries only short codes and ids: a search text stays in the session, and a
// payout selection travels as the digest of the lines shown (checked again on the server).

/** What the admin's next message answers. */
export type AdminPrompt =
  /** The transaction hash for exactly these payout lines (checked against the screen's digest). */
  | { on: 'tx'; payoutIds: number[]; totalCents: number; sellers: number }
  | { on: 'user-search' }
  | { on: 'suspend'; userId: number }
  /** The reason is given: a duration button or a typed end date finishes the suspension. */
  | { on: 'suspend-until'; userId: number; reason: string }
  | { on: 'product-search' }
  | { on: 'ban'; productId: string };

/** The latest searches, so their result pages need no text in the buttons. */
export interface AdminSession {
  userSearch?: string;
  productSearch?: string;
}

declare module '../../prompts.ts' {
  interface Prompts {
    admin: AdminPrompt;
  }
}

declare module '../../context.ts' {
  interface SessionData {
    admin?: AdminSession;
  }
}

/** Every admin action starts with `adm`: the guard and the prompt reset recognise them by it. */
export const ADMIN = {
  menu: 'adm',
  stats: 'adm.st',
  cancel: 'adm.x',
  /** Inbox: filter code and page; a ticket; a status change (ticket id, status). */
  inbox: 'adm.tk',
  ticket: 'adm.t',
  ticketStatus: 'adm.tst',
  /** Users: order code and page; search prompt; search results page; a user. */
  users: 'adm.ul',
  userSearch: 'adm.usq',
  userResults: 'adm.usr',
  user: 'adm.u',
  suspend: 'adm.sus',
  /** With the user id and a duration code. */
  suspendFor: 'adm.sue',
  restoreUser: 'adm.rst',
  /** Products: status code and page; search prompt; search results page; a product. */
  products: 'adm.prl',
  productSearch: 'adm.prq',
  productResults: 'adm.prr',
  product: 'adm.p',
  ban: 'adm.ban',
  /** With the product id and a preset reason code ('other' asks for one). */
  banFor: 'adm.banr',
  restoreProduct: 'adm.pok',
  /** Payouts: page of sellers; a seller's lines (seller id, page). */
  payouts: 'adm.po',
  seller: 'adm.ps',
  /** Mark paid: every line owed (digest); one seller's (seller id, digest); one line (payout id). */
  payAll: 'adm.pa',
  paySeller: 'adm.pas',
  payLine: 'adm.pa1',
  exports: 'adm.ex',
  /** With the export kind. */
  exportFile: 'adm.exf',
  /** The audit log: page; or one target's history (type, id, page). */
  audit: 'adm.al',
  auditOf: 'adm.alt',
} as const;

/** Pressing one of these keeps the admin's pending question. */
export function ownsAdminAction(data: string): boolean {
  return data === ADMIN.menu || data.startsWith('adm.');
}

/** Inbox filters as they travel in buttons. */
export const INBOX_CODES = { o: 'open', a: 'pending_admin', u: 'pending_user', r: 'resolved' } as const;
export type InboxCode = keyof typeof INBOX_CODES;

/** User list orders as they travel in buttons. */
export const USER_ORDER_CODES = { n: 'newest', s: 'spent', x: 'suspended' } as const;
export type UserOrderCode = keyof typeof USER_ORDER_CODES;

/** Product list filters as they travel in buttons ('all' for every status). */
export const PRODUCT_FILTERS = ['all', 'active', 'inactive', 'draft', 'banned', 'deleted'] as const;
export type ProductFilter = (typeof PRODUCT_FILTERS)[number];

/** Suspension lengths offered as buttons, in days; 0: until an admin restores the user. */
export const SUSPENSION_DAYS = [1, 7, 30, 0] as const;

/** Ban reasons offered as buttons; the text is written in the seller's language. */
export const BAN_PRESETS = ['copyright', 'illegal', 'scam', 'misleading', 'malware'] as const;
export type BanPreset = (typeof BAN_PRESETS)[number];

const ID = /^\d{1,15}$/;

/** A whole number from a button, or null for anything forged. */
export function numberArg(text: string | undefined): number | null {
  return text !== undefined && ID.test(text) ? Number(text) : null;
}

export function isOneOf<T extends string>(values: readonly T[], text: string | undefined): text is T {
  return text !== undefined && (values as readonly string[]).includes(text);
}
