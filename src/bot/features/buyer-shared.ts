// The buyer side's shared pieces (browse, buy, library): its dependencies, what it keeps in the
// session, and the polite answer to a button that names something the user may not see.
import type { Database } from '../../db/index.ts';
import type { FeePolicy } from '../../domain/index.ts';
import type { Category } from '../../repositories/categories.ts';
import type { CheckoutService } from '../../services/checkout.ts';
import type { CompletionService } from '../../services/completion.ts';
import type { DownloadSettings } from '../../services/downloads.ts';
import { NotFoundError, NotOwnerError } from '../../services/errors.ts';
import type { FileStorage } from '../../storage/index.ts';
import type { BotContext, SessionData } from '../context.ts';

/** What the composition root gives the buyer features (`BotDeps.buyer`); every member is optional. */
export interface BuyerOptions {
  /** Orders and payments; without it the Buy button says payments are unavailable. */
  checkout?: Pick<CheckoutService, 'startOrder' | 'payOrder'>;
  /** The "refresh status" button: asks NOWPayments and applies the same transition as the IPN. */
  completion?: Pick<CompletionService, 'refresh'>;
  /** Download links are `${publicUrl}/download/<token>`. */
  publicUrl?: string;
  /** Coins offered (NOWPayments codes, PAY_CURRENCIES). */
  payCurrencies?: readonly string[];
  feePolicy?: FeePolicy;
  downloads?: DownloadSettings;
  /** The clock for badges ("new") and expiries, for tests. */
  now?: () => Date;
}

export interface BuyerDeps extends BuyerOptions {
  db: Database;
  /** Covers and previews are read from here (BotDeps.storage); without it cards are text only. */
  storage?: FileStorage;
}

declare module '../context.ts' {
  interface BotDeps {
    buyer?: BuyerOptions;
  }
  interface SessionData {
    buyer?: BuyerSession;
  }
}

/** What the buyer's next message answers: a review text, a message to the seller, a problem report. */
export type BuyerPrompt =
  | { on: 'review'; orderId: string; productId: string; rating: number }
  | { on: 'contact'; orderId: string }
  | { on: 'report'; orderId: string };

export interface BuyerSession {
  prompt?: BuyerPrompt;
}

/**
 * True when some feature waits for the user's next message: by convention each feature keeps
 * its session member as an object whose `prompt` is set while it waits (see sell-state.ts).
 * Free text typed then belongs to that prompt, not to the search.
 */
export function awaitsTypedInput(session: SessionData): boolean {
  return Object.values(session).some(
    (member) => typeof member === 'object' && member !== null && 'prompt' in member && member.prompt != null,
  );
}

export function clearBuyerPrompt(ctx: BotContext): void {
  if (ctx.session.buyer) delete ctx.session.buyer.prompt;
  if (ctx.session.buyer && Object.keys(ctx.session.buyer).length === 0) delete ctx.session.buyer;
}

export function setBuyerPrompt(ctx: BotContext, prompt: BuyerPrompt): void {
  ctx.session.buyer = { ...ctx.session.buyer, prompt };
}

/** The user's id as Telegram reports it in the update: the only identity the buyer side trusts. */
export function buyerId(ctx: BotContext): number {
  if (!ctx.from) throw new Error('an update without a sender reached a buyer handler');
  return ctx.from.id;
}

/**
 * Something that does not exist, or is not the user's (someone else's order, a product taken off
 * sale): the same polite answer for both, so a forged button learns nothing. Other errors go on
 * to the error boundary.
 */
export async function refuseUnknown(ctx: BotContext, error: unknown): Promise<void> {
  if (!(error instanceof NotFoundError || error instanceof NotOwnerError)) throw error;
  await answerAlert(ctx, ctx.t('browse-not-available'));
}

/** Answers the pressed button with an alert, or replies when the update is a message. */
export async function answerAlert(ctx: BotContext, text: string): Promise<void> {
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text, show_alert: true });
  } else {
    await ctx.reply(text, { parse_mode: 'HTML' });
  }
}

/** Stops the button's spinner; harmless when the press was already answered. */
export async function acknowledge(ctx: BotContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
}

export function categoryLabel(
  ctx: BotContext,
  category: Pick<Category, 'emoji' | 'nameFr' | 'nameEn'>,
): string {
  const name = ctx.locale.language === 'fr' ? category.nameFr : category.nameEn;
  return category.emoji ? `${category.emoji} ${name}` : name;
}

/** A whole, non-negative index from callback data, or null. */
export function indexArg(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,6}$/.test(text)) return null;
  return Number(text);
}

/** Button actions of the buyer side: browse (b.), buy (b.) and library (l.). */
export const BUYER_ACTIONS = {
  category: 'b.cat',
  detail: 'b.pd',
  detailBack: 'b.pb',
  reviews: 'b.rv',
  preview: 'b.pp',
  shop: 'b.shop',
  buy: 'b.buy',
  pay: 'b.pay',
  status: 'b.st',
  libraryPage: 'l.page',
  download: 'l.dl',
  reviewStart: 'l.rs',
  reviewRate: 'l.rt',
  reviewSkip: 'l.rk',
  contact: 'l.cs',
  report: 'l.rp',
  cancelPrompt: 'l.x',
} as const;
