// /admin and its buttons, all behind the ADMIN_IDS guard: statistics, payouts to pay (a seller's
// available lines marked paid with the Solana transaction hash, the seller notified), user
// suspension and product bans. Every action goes through the services, which audit it; the
// Moderator is built from the sender's verified Telegram id on each update.
import type { Composer } from 'grammy';
import { formatUsd, tryParseId } from '../../../domain/index.ts';
import { InvalidInputError, NotFoundError } from '../../../services/errors.ts';
import type { Moderator } from '../../../services/moderation.ts';
import { adminCheck, adminComposer } from '../../admin.ts';
import type { BotContext, FeatureDeps } from '../../context.ts';
import { ask, clearPrompt, pendingPrompt } from '../../prompts.ts';
import { refusalText } from '../../refusals.ts';
import { actionPattern, callbackData } from '../../ui/callback-data.ts';
import { button, keyboard } from '../../ui/keyboard.ts';
import { showScreen } from '../../ui/screen.ts';
import {
  backButton,
  cancelKeyboard,
  menuScreen,
  PAYOUTS_PAGE_SIZE,
  payoutsScreen,
  productScreen,
  statsScreen,
  userScreen,
} from './screens.ts';
import { ADMIN_ACTIONS, type AdminPrompt } from './state.ts';

export { ADMIN_ACTIONS, ownsAdminAction } from './state.ts';

const USER_ID = /^\d{1,15}$/;

export function adminFeature(deps: FeatureDeps): Composer<BotContext> {
  const { moderation, payouts } = deps.services;
  const { composer, admin } = adminComposer(adminCheck(moderation));

  function moderator(ctx: BotContext): Moderator {
    if (!ctx.from) throw new Error('an update without a sender reached the admin feature');
    return moderation.moderator(ctx.from.id);
  }

  /** Tells the admin why an action was refused; anything that is not a refusal is a bug. */
  async function refuse(ctx: BotContext, error: unknown): Promise<void> {
    const text = refusalText(ctx, error);
    if (text === null) throw error;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
    else {
      const asking = pendingPrompt(ctx, 'admin') !== undefined;
      await ctx.reply(text, {
        parse_mode: 'HTML',
        reply_markup: asking ? cancelKeyboard(ctx) : keyboard([backButton(ctx)]),
      });
    }
  }

  admin.command('admin', async (ctx) => {
    clearPrompt(ctx, 'admin');
    await showScreen(ctx, menuScreen(ctx));
  });

  admin.callbackQuery(ADMIN_ACTIONS.menu, async (ctx) => {
    clearPrompt(ctx, 'admin');
    await ctx.answerCallbackQuery();
    await showScreen(ctx, menuScreen(ctx));
  });

  admin.callbackQuery(ADMIN_ACTIONS.cancel, async (ctx) => {
    clearPrompt(ctx, 'admin');
    await ctx.answerCallbackQuery({ text: ctx.t('admin-cancelled') });
    await showScreen(ctx, menuScreen(ctx));
  });

  admin.callbackQuery(ADMIN_ACTIONS.stats, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showScreen(ctx, statsScreen(ctx, await moderation.stats(moderator(ctx))));
  });

  // --- Payouts ---------------------------------------------------------------------------------

  async function showPayouts(ctx: BotContext, requested: number): Promise<void> {
    const pageOf = (n: number) =>
      payouts.toPay(moderator(ctx), { limit: PAYOUTS_PAGE_SIZE, offset: n * PAYOUTS_PAGE_SIZE });
    let page = await pageOf(requested);
    let current = requested;
    // Lines paid meanwhile can leave a stale page number past the end: show the last page.
    if (page.items.length === 0 && page.total > 0) {
      current = Math.ceil(page.total / PAYOUTS_PAGE_SIZE) - 1;
      page = await pageOf(current);
    }
    await showScreen(ctx, payoutsScreen(ctx, page, current));
  }

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.payouts, 1), async (ctx) => {
    await ctx.answerCallbackQuery();
    await showPayouts(ctx, Number(ctx.match[1]) || 0);
  });

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.pay, 1), async (ctx) => {
    const sellerId = Number(ctx.match[1]);
    const [seller, balances] = await Promise.all([
      moderation.user(moderator(ctx), sellerId),
      payouts.balances(sellerId),
    ]);
    if (!seller?.isSeller || seller.payoutAddress === null || balances.availableCents === 0) {
      await ctx.answerCallbackQuery({ text: ctx.t('error-nothing-to-pay'), show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    ask(ctx, 'admin', { on: 'tx', sellerId });
    await showScreen(ctx, {
      text: ctx.t('admin-tx-prompt', {
        name: seller.sellerName ?? seller.firstName,
        amount: formatUsd(balances.availableCents),
        wallet: seller.payoutAddress,
      }),
      keyboard: cancelKeyboard(ctx),
    });
  });

  async function markPaid(ctx: BotContext, sellerId: number, text: string): Promise<void> {
    const paid = await payouts.markSellerPaid(moderator(ctx), sellerId, text);
    clearPrompt(ctx, 'admin');
    const txHash = paid.payouts[0]?.txHash ?? text.trim();
    const amount = formatUsd(paid.totalCents);
    await ctx.reply(ctx.t('admin-payout-done', { count: paid.payouts.length, amount, tx: txHash }), {
      parse_mode: 'HTML',
      reply_markup: keyboard([
        button(ctx.t('admin-button-payouts'), callbackData(ADMIN_ACTIONS.payouts, 0)),
        backButton(ctx),
      ]),
    });
    // After the commit: the payment is recorded whether or not the notice arrives.
    await deps.messenger.trySend(
      sellerId,
      (t) => ({ text: t('admin-payout-notice', { amount, tx: txHash }) }),
      'Payout notice',
    );
  }

  // --- Users -----------------------------------------------------------------------------------

  admin.callbackQuery(ADMIN_ACTIONS.users, async (ctx) => {
    await ctx.answerCallbackQuery();
    ask(ctx, 'admin', { on: 'user' });
    await showScreen(ctx, { text: ctx.t('admin-user-prompt'), keyboard: cancelKeyboard(ctx) });
  });

  async function showUser(ctx: BotContext, userId: number): Promise<void> {
    const user = await moderation.user(moderator(ctx), userId);
    if (!user) return refuse(ctx, new NotFoundError('user', userId));
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await showScreen(ctx, userScreen(ctx, user));
  }

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.user, 1), (ctx) => showUser(ctx, Number(ctx.match[1])));

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.suspend, 1), async (ctx) => {
    const userId = Number(ctx.match[1]);
    if (!(await moderation.user(moderator(ctx), userId)))
      return refuse(ctx, new NotFoundError('user', userId));
    await ctx.answerCallbackQuery();
    ask(ctx, 'admin', { on: 'suspend', userId });
    await showScreen(ctx, {
      text: ctx.t('admin-suspend-prompt', { id: String(userId) }),
      keyboard: cancelKeyboard(ctx),
    });
  });

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.restoreUser, 1), async (ctx) => {
    const userId = Number(ctx.match[1]);
    try {
      await moderation.restoreUser(moderator(ctx), userId);
    } catch (error) {
      return refuse(ctx, error);
    }
    await ctx.reply(ctx.t('admin-user-restored', { id: String(userId) }), { parse_mode: 'HTML' });
    await showUser(ctx, userId);
  });

  // --- Products --------------------------------------------------------------------------------

  admin.callbackQuery(ADMIN_ACTIONS.products, async (ctx) => {
    await ctx.answerCallbackQuery();
    ask(ctx, 'admin', { on: 'product' });
    await showScreen(ctx, { text: ctx.t('admin-product-prompt'), keyboard: cancelKeyboard(ctx) });
  });

  async function showProduct(ctx: BotContext, productId: string): Promise<void> {
    const product = await moderation.product(moderator(ctx), productId);
    if (!product) return refuse(ctx, new NotFoundError('product', productId));
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await showScreen(ctx, productScreen(ctx, product));
  }

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.product, 1), (ctx) => showProduct(ctx, ctx.match[1] ?? ''));

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.ban, 1), async (ctx) => {
    const productId = ctx.match[1] ?? '';
    if (!(await moderation.product(moderator(ctx), productId))) {
      return refuse(ctx, new NotFoundError('product', productId));
    }
    await ctx.answerCallbackQuery();
    ask(ctx, 'admin', { on: 'ban', productId });
    await showScreen(ctx, {
      text: ctx.t('admin-ban-prompt', { id: productId }),
      keyboard: cancelKeyboard(ctx),
    });
  });

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.restoreProduct, 1), async (ctx) => {
    const productId = ctx.match[1] ?? '';
    try {
      await moderation.restoreProduct(moderator(ctx), productId);
    } catch (error) {
      return refuse(ctx, error);
    }
    await ctx.reply(ctx.t('admin-product-restored', { id: productId }), { parse_mode: 'HTML' });
    await showProduct(ctx, productId);
  });

  // --- Typed answers ---------------------------------------------------------------------------

  async function answerPrompt(ctx: BotContext, prompt: AdminPrompt, text: string): Promise<void> {
    switch (prompt.on) {
      case 'tx':
        return markPaid(ctx, prompt.sellerId, text);
      case 'user': {
        const id = text.trim();
        if (!USER_ID.test(id)) {
          throw new InvalidInputError('user_id_invalid', 'id', 'A Telegram user id is a number.');
        }
        clearPrompt(ctx, 'admin');
        return showUser(ctx, Number(id));
      }
      case 'suspend':
        await moderation.suspendUser(moderator(ctx), prompt.userId, { reason: text });
        clearPrompt(ctx, 'admin');
        await ctx.reply(ctx.t('admin-user-suspended-done', { id: String(prompt.userId) }), {
          parse_mode: 'HTML',
        });
        return showUser(ctx, prompt.userId);
      case 'product': {
        const id = tryParseId('product', text);
        if (!id) throw new InvalidInputError('product_id_invalid', 'id', 'This is not a product id.');
        clearPrompt(ctx, 'admin');
        return showProduct(ctx, id);
      }
      case 'ban':
        await moderation.banProduct(moderator(ctx), prompt.productId, text);
        clearPrompt(ctx, 'admin');
        await ctx.reply(ctx.t('admin-product-banned', { id: prompt.productId }), { parse_mode: 'HTML' });
        return showProduct(ctx, prompt.productId);
    }
  }

  // The answer to the pending question (a refused one keeps the question open); anything else goes on.
  admin.on('message:text', async (ctx, next) => {
    const prompt = pendingPrompt(ctx, 'admin');
    if (!prompt || ctx.message.text.startsWith('/')) return next();
    try {
      await answerPrompt(ctx, prompt, ctx.message.text);
    } catch (error) {
      // Bad input keeps the question open for another try; a refused action ends it.
      if (!(error instanceof InvalidInputError)) clearPrompt(ctx, 'admin');
      await refuse(ctx, error);
    }
  });

  return composer;
}
