// The buyer side's shared pieces (browse, buy, library): the sender's identity, category labels,
// button arguments and the button actions.
import type { Category } from '../../services/catalog.ts';
import type { BotContext } from '../context.ts';

/** The user's id as Telegram reports it in the update: the only identity the buyer side trusts. */
export function buyerId(ctx: BotContext): number {
  if (!ctx.from) throw new Error('an update without a sender reached a buyer handler');
  return ctx.from.id;
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
  downloadVersion: 'l.dv',
  reviewStart: 'l.rs',
  reviewRate: 'l.rt',
  reviewSkip: 'l.rk',
  contact: 'l.cs',
  report: 'l.rp',
  cancelPrompt: 'l.x',
} as const;
