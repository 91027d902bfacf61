// The seller's payout history: balances (in escrow, owed, paid) and every transfer the admins
// recorded, latest first, with its date, amount, number of sales and Solana transaction (linked
// to an explorer, where anyone can check it).
import { Composer } from 'grammy';
import type { PayoutTransfer } from '../../../services/payouts.ts';
import type { BotContext } from '../../context.ts';
import { acknowledge, answerAlert } from '../../refusals.ts';
import { actionPattern, callbackData } from '../../ui/callback-data.ts';
import { formatDate, formatMoney } from '../../ui/format.ts';
import { html } from '../../ui/html.ts';
import { button, keyboard, pager } from '../../ui/keyboard.ts';
import { showScreen } from '../../ui/screen.ts';
import { SELL_BUTTONS, type SellDeps } from './state.ts';

/** With a page number (0-based). */
export const SELLER_PAYOUTS = 'spy';
export const SELLER_PAYOUTS_BUTTON = callbackData(SELLER_PAYOUTS, 0);

const PAGE_SIZE = 6;
const EXPLORER = 'https://solscan.io/tx/';

function transferLine(ctx: BotContext, transfer: PayoutTransfer): string {
  const hash = transfer.txHash;
  const short = `${hash.slice(0, 6)}…${hash.slice(-6)}`;
  return ctx.t('sell-payouts-line', {
    date: formatDate(ctx.locale.language, transfer.paidAt),
    amount: formatMoney(ctx.locale.language, transfer.amountCents),
    count: transfer.lines,
    tx: html`<a href="${EXPLORER}${hash}">${short}</a>`,
  });
}

export function payoutHistoryComposer(deps: SellDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { accounts, payouts } = deps.services;

  composer.callbackQuery(actionPattern(SELLER_PAYOUTS, 1), async (ctx) => {
    const requested = Number(ctx.match[1]);
    if (!Number.isSafeInteger(requested)) return answerAlert(ctx, ctx.t('button-expired'));
    if (!(await accounts.sellerProfile(ctx.from.id))) return answerAlert(ctx, ctx.t('error-not-seller'));
    const query = (page: number) =>
      payouts.history(ctx.from.id, { limit: PAGE_SIZE, offset: page * PAGE_SIZE });
    let history = await query(requested);
    const pages = Math.ceil(history.total / PAGE_SIZE);
    const page = Math.min(requested, Math.max(pages - 1, 0));
    if (page !== requested) history = await query(page);
    const balances = await payouts.balances(ctx.from.id);
    const money = (cents: number) => formatMoney(ctx.locale.language, cents);
    const head = ctx.t('sell-payouts', {
      escrow: money(balances.escrowCents),
      available: money(balances.availableCents),
      paid: money(balances.paidCents),
    });
    const body =
      history.items.length > 0
        ? [
            ctx.t('sell-payouts-transfers', { count: history.total }),
            ...history.items.map((transfer) => transferLine(ctx, transfer)),
          ].join('\n')
        : ctx.t('sell-payouts-none');
    await acknowledge(ctx);
    await showScreen(ctx, {
      text: `${head}\n\n${body}`,
      keyboard: keyboard(pager(SELLER_PAYOUTS, page, pages), [
        button(ctx.t('sell-button-dashboard'), SELL_BUTTONS.dashboard),
      ]),
    });
  });

  return composer;
}
