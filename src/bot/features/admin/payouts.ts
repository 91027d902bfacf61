// Payouts in the console: the total owed (and what is still in escrow), the sellers to pay by
// page, a seller's order lines with their wallet, and "mark paid" for one line, one seller or
// everything, with the Solana transaction hash. A mark-paid button carries the digest of exactly
// the lines its screen showed: pressed after the lines changed, it shows them again instead; the
// lines are then kept by id in the question until the hash comes, and the service pays each one
// at most once. Sellers are told, in their language, with the transaction.
import { ConflictError } from '../../../errors.ts';
import type { Owed, PaidBatch, PendingPayout } from '../../../services/payouts.ts';
import type { BotContext } from '../../context.ts';
import { ask, clearPrompt } from '../../prompts.ts';
import { acknowledge, answerAlert } from '../../refusals.ts';
import { actionPattern, callbackData } from '../../ui/callback-data.ts';
import { Html, html } from '../../ui/html.ts';
import { button, keyboard, pager } from '../../ui/keyboard.ts';
import { type Screen, showScreen } from '../../ui/screen.ts';
import { type AdminArea, backButton, cancelKeyboard, clampPage, clip, day, money } from './kit.ts';
import { tellPaid } from './notices.ts';
import { ADMIN, type AdminPrompt, numberArg } from './state.ts';

const SELLERS_PAGE_SIZE = 6;
const LINES_PAGE_SIZE = 6;
/** The hash question lists at most this many sellers and wallets (the rest are counted). */
const PROMPT_SELLERS = 10;

interface SellerOwed {
  sellerId: number;
  name: string;
  wallet: string;
  totalCents: number;
  lines: number;
  since: Date;
}

/** The owed lines grouped by seller, oldest debt first (lines come oldest first). */
function bySeller(lines: PendingPayout[]): SellerOwed[] {
  const sellers = new Map<number, SellerOwed>();
  for (const line of lines) {
    const seller = sellers.get(line.sellerId) ?? {
      sellerId: line.sellerId,
      name: line.sellerName,
      wallet: line.payoutAddress,
      totalCents: 0,
      lines: 0,
      since: line.availableAt ?? line.escrowUntil,
    };
    seller.totalCents += line.amountCents;
    seller.lines++;
    sellers.set(line.sellerId, seller);
  }
  return [...sellers.values()];
}

function summaryScreen(ctx: BotContext, owed: Owed, requested: number): Screen {
  const sellers = bySeller(owed.lines);
  const page = clampPage(requested, sellers.length, SELLERS_PAGE_SIZE);
  const shown = sellers.slice(page * SELLERS_PAGE_SIZE, (page + 1) * SELLERS_PAGE_SIZE);
  const head = ctx.t('admin-payouts', {
    total: money(ctx, owed.totalCents),
    lines: owed.lines.length,
    sellers: sellers.length,
    escrow: money(ctx, owed.escrowCents),
    truncated: owed.truncated ? 'yes' : 'no',
  });
  if (sellers.length === 0) {
    return {
      text: `${head}\n\n${ctx.t('admin-payouts-empty')}`,
      keyboard: keyboard(
        [button(ctx.t('admin-button-export-payouts'), callbackData(ADMIN.exportFile, 'payouts'))],
        [button(ctx.t('button-refresh'), callbackData(ADMIN.payouts, 0)), backButton(ctx)],
      ),
    };
  }
  const lines = shown.map((s) =>
    ctx.t('admin-payouts-seller-line', {
      name: s.name,
      amount: money(ctx, s.totalCents),
      count: s.lines,
      since: day(ctx, s.since),
    }),
  );
  return {
    text: `${head}\n\n${ctx.t('admin-payouts-sellers')}\n${lines.join('\n')}`,
    keyboard: keyboard(
      ...shown.map((s) => [
        // Button labels are plain text: the shop name goes in unescaped.
        button(
          `💼 ${clip(s.name, 28)} · ${money(ctx, s.totalCents)}`,
          callbackData(ADMIN.seller, s.sellerId, 0),
        ),
      ]),
      [
        button(
          ctx.t('admin-button-pay-all', { amount: money(ctx, owed.totalCents) }),
          callbackData(ADMIN.payAll, owed.selection),
        ),
      ],
      pager(ADMIN.payouts, page, Math.ceil(sellers.length / SELLERS_PAGE_SIZE)),
      [button(ctx.t('admin-button-export-payouts'), callbackData(ADMIN.exportFile, 'payouts'))],
      [button(ctx.t('button-refresh'), callbackData(ADMIN.payouts, page)), backButton(ctx)],
    ),
  };
}

function sellerScreen(ctx: BotContext, sellerId: number, owed: Owed, requested: number): Screen {
  const back = button(ctx.t('admin-button-payouts-back'), callbackData(ADMIN.payouts, 0));
  const [seller] = bySeller(owed.lines);
  if (!seller) {
    return {
      text: ctx.t('admin-payouts-seller-empty', { id: String(sellerId) }),
      keyboard: keyboard([back, backButton(ctx)]),
    };
  }
  const page = clampPage(requested, owed.lines.length, LINES_PAGE_SIZE);
  const shown = owed.lines.slice(page * LINES_PAGE_SIZE, (page + 1) * LINES_PAGE_SIZE);
  const lines = shown.map((line) =>
    ctx.t('admin-payouts-line', {
      order: line.orderId,
      title: clip(line.productTitle, 40),
      amount: money(ctx, line.amountCents),
      since: day(ctx, line.availableAt ?? line.escrowUntil),
    }),
  );
  return {
    text: `${ctx.t('admin-payouts-seller', {
      name: seller.name,
      id: String(sellerId),
      wallet: seller.wallet,
      total: money(ctx, seller.totalCents),
      count: seller.lines,
    })}\n\n${lines.join('\n')}`,
    keyboard: keyboard(
      ...shown.map((line) => [
        button(
          ctx.t('admin-button-pay-line', { order: line.orderId, amount: money(ctx, line.amountCents) }),
          callbackData(ADMIN.payLine, sellerId, line.id),
        ),
      ]),
      [
        button(
          ctx.t('admin-button-pay-seller', { count: seller.lines, amount: money(ctx, seller.totalCents) }),
          callbackData(ADMIN.paySeller, sellerId, owed.selection),
        ),
      ],
      pager(ADMIN.seller, page, Math.ceil(owed.lines.length / LINES_PAGE_SIZE), sellerId),
      [button(ctx.t('admin-button-seller'), callbackData(ADMIN.user, sellerId))],
      [back, backButton(ctx)],
    ),
  };
}

/** The question for the hash: who gets what, to which wallet. */
function hashPrompt(ctx: BotContext, lines: PendingPayout[]): Screen {
  const sellers = bySeller(lines);
  const listed = sellers
    .slice(0, PROMPT_SELLERS)
    .map((s) => html`• <b>${s.name}</b> — ${money(ctx, s.totalCents)} → <code>${s.wallet}</code>`);
  const more = sellers.length - listed.length;
  return {
    text: ctx.t('admin-tx-prompt', {
      amount: money(
        ctx,
        lines.reduce((sum, p) => sum + p.amountCents, 0),
      ),
      lines: lines.length,
      sellers: sellers.length,
      wallets: Html.raw(listed.join('\n')),
      more,
    }),
    keyboard: cancelKeyboard(ctx),
  };
}

function doneText(ctx: BotContext, batch: PaidBatch, told: number): string {
  return ctx.t('admin-payout-done', {
    count: batch.payouts.length,
    amount: money(ctx, batch.totalCents),
    tx: batch.txHash,
    told,
    sellers: batch.sellers.length,
    skipped: batch.alreadyPaid,
  });
}

export const payoutsArea: AdminArea = (admin, kit) => {
  const { payouts } = kit.deps.services;

  /** Asks for the hash of exactly `lines`, if they are what the pressed button showed. */
  async function askHash(
    ctx: BotContext,
    owed: Owed,
    digest: string | undefined,
    again: () => Promise<void>,
  ) {
    if (owed.lines.length === 0)
      return kit.refuse(ctx, new ConflictError('nothing_to_pay', 'Nothing is owed.'));
    if (owed.selection !== digest) {
      // Lines were released or paid since the screen was shown: show what is owed now instead.
      await ctx.answerCallbackQuery({ text: ctx.t('admin-payouts-changed'), show_alert: true });
      return again();
    }
    await acknowledge(ctx);
    ask(ctx, 'admin', {
      on: 'tx',
      payoutIds: owed.lines.map((p) => p.id),
      totalCents: owed.totalCents,
      sellers: bySeller(owed.lines).length,
    });
    await showScreen(ctx, hashPrompt(ctx, owed.lines));
  }

  admin.callbackQuery(actionPattern(ADMIN.payouts, 1), async (ctx) => {
    const page = numberArg(ctx.match[1]);
    if (page === null) return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx);
    await showScreen(ctx, summaryScreen(ctx, await payouts.owed(kit.moderator(ctx)), page));
  });

  admin.callbackQuery(actionPattern(ADMIN.seller, 2), async (ctx) => {
    const sellerId = numberArg(ctx.match[1]);
    const page = numberArg(ctx.match[2]);
    if (sellerId === null || page === null) return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx);
    const owed = await payouts.owed(kit.moderator(ctx), { sellerId });
    await showScreen(ctx, sellerScreen(ctx, sellerId, owed, page));
  });

  admin.callbackQuery(actionPattern(ADMIN.payAll, 1), async (ctx) => {
    const owed = await payouts.owed(kit.moderator(ctx));
    await askHash(ctx, owed, ctx.match[1], () => showScreen(ctx, summaryScreen(ctx, owed, 0)));
  });

  admin.callbackQuery(actionPattern(ADMIN.paySeller, 2), async (ctx) => {
    const sellerId = numberArg(ctx.match[1]);
    if (sellerId === null) return answerAlert(ctx, ctx.t('button-expired'));
    const owed = await payouts.owed(kit.moderator(ctx), { sellerId });
    await askHash(ctx, owed, ctx.match[2], () => showScreen(ctx, sellerScreen(ctx, sellerId, owed, 0)));
  });

  admin.callbackQuery(actionPattern(ADMIN.payLine, 2), async (ctx) => {
    const sellerId = numberArg(ctx.match[1]);
    const payoutId = numberArg(ctx.match[2]);
    if (sellerId === null || payoutId === null) return answerAlert(ctx, ctx.t('button-expired'));
    const owed = await payouts.owed(kit.moderator(ctx), { sellerId });
    const line = owed.lines.find((p) => p.id === payoutId);
    if (!line) {
      await ctx.answerCallbackQuery({ text: ctx.t('admin-payouts-changed'), show_alert: true });
      return showScreen(ctx, sellerScreen(ctx, sellerId, owed, 0));
    }
    await acknowledge(ctx);
    ask(ctx, 'admin', { on: 'tx', payoutIds: [line.id], totalCents: line.amountCents, sellers: 1 });
    await showScreen(ctx, hashPrompt(ctx, [line]));
  });

  async function markPaid(ctx: BotContext, prompt: Extract<AdminPrompt, { on: 'tx' }>, text: string) {
    // A malformed hash keeps the question, a refusal ends it (the caller's refusal path).
    const batch = await payouts.markPaid(kit.moderator(ctx), prompt.payoutIds, text);
    clearPrompt(ctx, 'admin');
    // After the commit: the payment is recorded whether or not the notices arrive.
    const told = await tellPaid(kit.deps, batch);
    await ctx.reply(doneText(ctx, batch, told), {
      parse_mode: 'HTML',
      reply_markup: keyboard(
        [button(ctx.t('admin-button-payouts'), callbackData(ADMIN.payouts, 0))],
        [backButton(ctx)],
      ),
    });
  }

  return async (ctx, prompt, text) => {
    if (prompt.on !== 'tx') return false;
    await markPaid(ctx, prompt, text);
    return true;
  };
};
