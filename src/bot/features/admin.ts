// /admin and its buttons, all behind the ADMIN_IDS guard: statistics, payouts to pay (a seller's
// available lines marked paid with the Solana transaction hash, the seller notified), user
// suspension and product bans. Every action goes through the services, which audit it; the
// Moderator is built from the sender's verified Telegram id on each update.
import type { Composer, MiddlewareFn } from 'grammy';
import type { Database } from '../../db/index.ts';
import { formatUsd, tryParseId } from '../../domain/index.ts';
import type { Logger } from '../../log.ts';
import {
  type AdminProduct,
  getAdminUserDetail,
  getMarketplaceStats,
  listAdminProducts,
} from '../../repositories/admin.ts';
import { getUser } from '../../repositories/users.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../services/errors.ts';
import {
  banProduct,
  Moderator,
  restoreProduct,
  restoreUser,
  suspendUser,
} from '../../services/moderation.ts';
import { getSellerBalances, listPayoutsToPay, markSellerPayoutsPaid } from '../../services/payouts.ts';
import { adminCheck, adminComposer } from '../admin.ts';
import { type BotContext, DEFAULT_LANGUAGE, isLanguage, type Language, type Translate } from '../context.ts';
import { promptReset } from '../prompts.ts';
import { actionPattern, callbackData } from '../ui/callback-data.ts';
import { html } from '../ui/html.ts';
import { button, keyboard, pager } from '../ui/keyboard.ts';
import { type Screen, showScreen } from '../ui/screen.ts';
import { homeButton } from './menu.ts';

export interface AdminDeps {
  db: Database;
  /** Telegram ids from ADMIN_IDS. */
  adminIds: readonly number[];
  /** A seller's payout notice is best effort: a failure is logged, the payment stays recorded. */
  log?: Pick<Logger, 'warn'>;
  /** The seller's language for the payout notice, from the language they saved. */
  translateFor?: (language: Language) => Translate;
}

/** What the admin's next message answers. */
export type AdminPrompt =
  | { on: 'tx'; sellerId: number }
  | { on: 'user' }
  | { on: 'suspend'; userId: number }
  | { on: 'product' }
  | { on: 'ban'; productId: string };

export interface AdminSession {
  prompt?: AdminPrompt;
}

declare module '../context.ts' {
  interface SessionData {
    admin?: AdminSession;
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

const PAYOUTS_PAGE_SIZE = 8;
const USER_ID = /^\d{1,15}$/;

/** Installed ahead of every feature: /start or /help drop a pending admin question too. */
export function adminPromptReset(): MiddlewareFn<BotContext> {
  return promptReset(
    'adm',
    (ctx) => ctx.session.admin?.prompt !== undefined,
    (ctx) => {
      delete ctx.session.admin;
    },
  );
}

function adminMenu(ctx: BotContext): Screen {
  return {
    text: ctx.t('admin-menu', { id: ctx.from?.id ?? 0 }),
    keyboard: keyboard(
      [button(ctx.t('admin-button-stats'), ADMIN_ACTIONS.stats)],
      [button(ctx.t('admin-button-payouts'), callbackData(ADMIN_ACTIONS.payouts, 0))],
      [
        button(ctx.t('admin-button-users'), ADMIN_ACTIONS.users),
        button(ctx.t('admin-button-products'), ADMIN_ACTIONS.products),
      ],
      [button(ctx.t('button-refresh'), ADMIN_ACTIONS.menu)],
      [homeButton(ctx)],
    ),
  };
}

function backButton(ctx: BotContext) {
  return button(ctx.t('admin-button-back'), ADMIN_ACTIONS.menu);
}

function cancelKeyboard(ctx: BotContext) {
  return keyboard([button(ctx.t('admin-button-cancel'), ADMIN_ACTIONS.cancel)]);
}

function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The translated refusal for a service's typed error; anything else is not ours to explain. */
function refusal(ctx: BotContext, error: unknown): string | null {
  if (error instanceof InvalidInputError) {
    if (error.code === 'tx_hash_invalid') return ctx.t('admin-tx-invalid');
    if (error.code === 'reason_invalid') return ctx.t('admin-reason-invalid');
  }
  if (error instanceof NotFoundError) return ctx.t('admin-not-found');
  if (error instanceof ForbiddenError && error.code === 'self_suspension')
    return ctx.t('admin-self-suspension');
  if (error instanceof ConflictError) {
    if (error.code === 'nothing_to_pay') return ctx.t('admin-nothing-to-pay');
    return ctx.t('admin-state-changed');
  }
  return null;
}

export function adminFeature(deps: AdminDeps): Composer<BotContext> {
  const { composer, admin } = adminComposer(adminCheck(deps.adminIds));
  const adminIds = new Set(deps.adminIds);

  function moderator(ctx: BotContext): Moderator {
    if (!ctx.from) throw new Error('an update without a sender reached the admin feature');
    return Moderator.verify(adminIds, ctx.from.id);
  }

  function setPrompt(ctx: BotContext, prompt: AdminPrompt): void {
    ctx.session.admin = { prompt };
  }

  function clearPrompt(ctx: BotContext): void {
    delete ctx.session.admin;
  }

  async function refuse(ctx: BotContext, error: unknown): Promise<void> {
    const text = refusal(ctx, error);
    if (text === null) throw error;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
    else {
      const asking = ctx.session.admin?.prompt !== undefined;
      await ctx.reply(text, {
        parse_mode: 'HTML',
        reply_markup: asking ? cancelKeyboard(ctx) : keyboard([backButton(ctx)]),
      });
    }
  }

  admin.command('admin', async (ctx) => {
    clearPrompt(ctx);
    await showScreen(ctx, adminMenu(ctx));
  });

  admin.callbackQuery(ADMIN_ACTIONS.menu, async (ctx) => {
    clearPrompt(ctx);
    await ctx.answerCallbackQuery();
    await showScreen(ctx, adminMenu(ctx));
  });

  admin.callbackQuery(ADMIN_ACTIONS.cancel, async (ctx) => {
    clearPrompt(ctx);
    await ctx.answerCallbackQuery({ text: ctx.t('admin-cancelled') });
    await showScreen(ctx, adminMenu(ctx));
  });

  // --- Statistics ------------------------------------------------------------------------------

  admin.callbackQuery(ADMIN_ACTIONS.stats, async (ctx) => {
    await ctx.answerCallbackQuery();
    const s = await getMarketplaceStats(deps.db);
    await showScreen(ctx, {
      text: ctx.t('admin-stats', {
        users: s.users,
        sellers: s.sellers,
        suspended: s.suspendedUsers,
        active: s.productsActive,
        banned: s.productsBanned,
        listed: s.productsListed,
        orders: s.paidOrders,
        gross: formatUsd(s.grossCents),
        fees: formatUsd(s.feesCents),
        orders30: s.paidOrdersLast30Days,
        gross30: formatUsd(s.grossCentsLast30Days),
      }),
      keyboard: keyboard([button(ctx.t('button-refresh'), ADMIN_ACTIONS.stats)], [backButton(ctx)]),
    });
  });

  // --- Payouts ---------------------------------------------------------------------------------

  async function showPayouts(ctx: BotContext, requestedPage: number): Promise<void> {
    const admin = moderator(ctx);
    let page = await listPayoutsToPay(deps.db, admin, {
      limit: PAYOUTS_PAGE_SIZE,
      offset: requestedPage * PAYOUTS_PAGE_SIZE,
    });
    const pages = Math.max(1, Math.ceil(page.total / PAYOUTS_PAGE_SIZE));
    let current = requestedPage;
    // Lines paid meanwhile can leave a stale page number past the end: show the last page.
    if (page.items.length === 0 && page.total > 0) {
      current = pages - 1;
      page = await listPayoutsToPay(deps.db, admin, {
        limit: PAYOUTS_PAGE_SIZE,
        offset: current * PAYOUTS_PAGE_SIZE,
      });
    }
    if (page.items.length === 0) {
      await showScreen(ctx, { text: ctx.t('admin-payouts-empty'), keyboard: keyboard([backButton(ctx)]) });
      return;
    }
    const lines = page.items.map(
      (p) =>
        html`• <b>${p.sellerName}</b> (<code>${p.sellerId}</code>) — ${formatUsd(p.amountCents)} — ${p.productTitle}\n  <code>${p.payoutAddress}</code>`,
    );
    const sellers = new Map(page.items.map((p) => [p.sellerId, p.sellerName]));
    await showScreen(ctx, {
      text: `${ctx.t('admin-payouts-title', { total: page.total })}\n\n${lines.join('\n')}`,
      keyboard: keyboard(
        ...[...sellers].map(([sellerId, name]) => [
          // Button labels are plain text, not HTML: the name goes in unescaped.
          button(`${ctx.t('admin-button-mark-paid')} ${name}`, callbackData(ADMIN_ACTIONS.pay, sellerId)),
        ]),
        pager(ADMIN_ACTIONS.payouts, current, pages),
        [backButton(ctx)],
      ),
    });
  }

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.payouts, 1), async (ctx) => {
    await ctx.answerCallbackQuery();
    await showPayouts(ctx, Number(ctx.match[1]) || 0);
  });

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.pay, 1), async (ctx) => {
    const sellerId = Number(ctx.match[1]);
    const [seller, balances] = await Promise.all([
      getAdminUserDetail(deps.db, sellerId),
      getSellerBalances(deps.db, sellerId),
    ]);
    if (!seller?.isSeller || seller.payoutAddress === null || balances.availableCents === 0) {
      await ctx.answerCallbackQuery({ text: ctx.t('admin-nothing-to-pay'), show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    setPrompt(ctx, { on: 'tx', sellerId });
    await showScreen(ctx, {
      text: ctx.t('admin-tx-prompt', {
        name: seller.sellerName ?? seller.firstName,
        amount: formatUsd(balances.availableCents),
        wallet: seller.payoutAddress,
      }),
      keyboard: cancelKeyboard(ctx),
    });
  });

  /** The seller's translator: their saved language, else the default one. */
  async function translatorFor(ctx: BotContext, userId: number): Promise<Translate> {
    if (!deps.translateFor) return ctx.t;
    const saved = (await getUser(deps.db, userId))?.language;
    return deps.translateFor(isLanguage(saved) ? saved : DEFAULT_LANGUAGE);
  }

  async function markPaid(ctx: BotContext, sellerId: number, text: string): Promise<void> {
    const { payouts, totalCents } = await markSellerPayoutsPaid(deps.db, moderator(ctx), sellerId, text);
    clearPrompt(ctx);
    const txHash = payouts[0]?.txHash ?? text.trim();
    await ctx.reply(
      ctx.t('admin-payout-done', { count: payouts.length, amount: formatUsd(totalCents), tx: txHash }),
      {
        parse_mode: 'HTML',
        reply_markup: keyboard([
          button(ctx.t('admin-button-payouts'), callbackData(ADMIN_ACTIONS.payouts, 0)),
          backButton(ctx),
        ]),
      },
    );
    // After the commit: the payment is recorded whether or not the notice arrives.
    try {
      const t = await translatorFor(ctx, sellerId);
      await ctx.api.sendMessage(
        sellerId,
        t('admin-payout-notice', { amount: formatUsd(totalCents), tx: txHash }),
        {
          parse_mode: 'HTML',
        },
      );
    } catch (error) {
      deps.log?.warn({ err: error, sellerId }, 'payout notice could not be sent');
    }
  }

  // --- Users -----------------------------------------------------------------------------------

  admin.callbackQuery(ADMIN_ACTIONS.users, async (ctx) => {
    await ctx.answerCallbackQuery();
    setPrompt(ctx, { on: 'user' });
    await showScreen(ctx, { text: ctx.t('admin-user-prompt'), keyboard: cancelKeyboard(ctx) });
  });

  async function showUser(ctx: BotContext, userId: number): Promise<void> {
    const user = await getAdminUserDetail(deps.db, userId);
    if (!user) {
      await refuse(ctx, new NotFoundError('user', userId));
      return;
    }
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    const suspension = user.suspended
      ? ctx.t('admin-user-suspended', {
          reason: user.suspensionReason ?? '',
          until: user.suspendedUntil ? formatDate(user.suspendedUntil) : ctx.t('admin-until-restored'),
        })
      : ctx.t('admin-user-active');
    const text = ctx.t('admin-user-detail', {
      id: String(user.id),
      name: user.firstName,
      username: user.username ? `@${user.username}` : '—',
      language: user.language,
      created: formatDate(user.createdAt),
      seller: user.isSeller ? (user.sellerName ?? '') : '—',
      products: user.productsCount,
      sales: user.salesCount,
      revenue: formatUsd(user.revenueCents),
      purchases: user.purchasesCount,
      status: suspension,
    });
    await showScreen(ctx, {
      text,
      keyboard: keyboard(
        [
          user.suspended
            ? button(ctx.t('admin-button-restore-user'), callbackData(ADMIN_ACTIONS.restoreUser, user.id))
            : button(ctx.t('admin-button-suspend'), callbackData(ADMIN_ACTIONS.suspend, user.id)),
          button(ctx.t('button-refresh'), callbackData(ADMIN_ACTIONS.user, user.id)),
        ],
        [backButton(ctx)],
      ),
    });
  }

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.user, 1), (ctx) => showUser(ctx, Number(ctx.match[1])));

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.suspend, 1), async (ctx) => {
    const userId = Number(ctx.match[1]);
    if (!(await getUser(deps.db, userId))) {
      await refuse(ctx, new NotFoundError('user', userId));
      return;
    }
    await ctx.answerCallbackQuery();
    setPrompt(ctx, { on: 'suspend', userId });
    await showScreen(ctx, {
      text: ctx.t('admin-suspend-prompt', { id: String(userId) }),
      keyboard: cancelKeyboard(ctx),
    });
  });

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.restoreUser, 1), async (ctx) => {
    const userId = Number(ctx.match[1]);
    try {
      await restoreUser(deps.db, moderator(ctx), userId);
    } catch (error) {
      await refuse(ctx, error);
      return;
    }
    await ctx.reply(ctx.t('admin-user-restored', { id: String(userId) }), { parse_mode: 'HTML' });
    await showUser(ctx, userId);
  });

  // --- Products --------------------------------------------------------------------------------

  admin.callbackQuery(ADMIN_ACTIONS.products, async (ctx) => {
    await ctx.answerCallbackQuery();
    setPrompt(ctx, { on: 'product' });
    await showScreen(ctx, { text: ctx.t('admin-product-prompt'), keyboard: cancelKeyboard(ctx) });
  });

  async function findProduct(productId: string): Promise<AdminProduct | null> {
    const page = await listAdminProducts(deps.db, { search: productId, limit: 5 });
    return page.items.find((p) => p.id === productId) ?? null;
  }

  async function showProduct(ctx: BotContext, productId: string): Promise<void> {
    const product = await findProduct(productId);
    if (!product) {
      await refuse(ctx, new NotFoundError('product', productId));
      return;
    }
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    const text = ctx.t('admin-product-detail', {
      id: product.id,
      title: product.title,
      seller: product.sellerName,
      sellerId: String(product.sellerId),
      price: formatUsd(product.priceCents),
      status: product.status,
      sales: product.salesCount,
      reason: product.banReason ?? '—',
    });
    const banned = product.status === 'banned';
    await showScreen(ctx, {
      text,
      keyboard: keyboard(
        [
          banned
            ? button(
                ctx.t('admin-button-restore-product'),
                callbackData(ADMIN_ACTIONS.restoreProduct, product.id),
              )
            : product.status !== 'deleted' &&
              button(ctx.t('admin-button-ban'), callbackData(ADMIN_ACTIONS.ban, product.id)),
          button(ctx.t('button-refresh'), callbackData(ADMIN_ACTIONS.product, product.id)),
        ],
        [backButton(ctx)],
      ),
    });
  }

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.product, 1), (ctx) => showProduct(ctx, ctx.match[1] ?? ''));

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.ban, 1), async (ctx) => {
    const productId = ctx.match[1] ?? '';
    if (!(await findProduct(productId))) {
      await refuse(ctx, new NotFoundError('product', productId));
      return;
    }
    await ctx.answerCallbackQuery();
    setPrompt(ctx, { on: 'ban', productId });
    await showScreen(ctx, {
      text: ctx.t('admin-ban-prompt', { id: productId }),
      keyboard: cancelKeyboard(ctx),
    });
  });

  admin.callbackQuery(actionPattern(ADMIN_ACTIONS.restoreProduct, 1), async (ctx) => {
    const productId = ctx.match[1] ?? '';
    try {
      await restoreProduct(deps.db, moderator(ctx), productId);
    } catch (error) {
      await refuse(ctx, error);
      return;
    }
    await ctx.reply(ctx.t('admin-product-restored', { id: productId }), { parse_mode: 'HTML' });
    await showProduct(ctx, productId);
  });

  // --- Typed answers ---------------------------------------------------------------------------

  async function answerPrompt(ctx: BotContext, prompt: AdminPrompt, text: string): Promise<void> {
    switch (prompt.on) {
      case 'tx':
        await markPaid(ctx, prompt.sellerId, text);
        return;
      case 'user': {
        const id = text.trim();
        if (!USER_ID.test(id)) {
          await ctx.reply(ctx.t('admin-user-id-invalid'), {
            parse_mode: 'HTML',
            reply_markup: cancelKeyboard(ctx),
          });
          return;
        }
        clearPrompt(ctx);
        await showUser(ctx, Number(id));
        return;
      }
      case 'suspend':
        await suspendUser(deps.db, moderator(ctx), prompt.userId, { reason: text });
        clearPrompt(ctx);
        await ctx.reply(ctx.t('admin-user-suspended-done', { id: String(prompt.userId) }), {
          parse_mode: 'HTML',
        });
        await showUser(ctx, prompt.userId);
        return;
      case 'product': {
        const id = tryParseId('product', text);
        if (!id) {
          await ctx.reply(ctx.t('admin-product-id-invalid'), {
            parse_mode: 'HTML',
            reply_markup: cancelKeyboard(ctx),
          });
          return;
        }
        clearPrompt(ctx);
        await showProduct(ctx, id);
        return;
      }
      case 'ban':
        await banProduct(deps.db, moderator(ctx), prompt.productId, text);
        clearPrompt(ctx);
        await ctx.reply(ctx.t('admin-product-banned', { id: prompt.productId }), { parse_mode: 'HTML' });
        await showProduct(ctx, prompt.productId);
        return;
    }
  }

  // The answer to the pending question (a refused one keeps the question open); anything else goes on.
  admin.on('message:text', async (ctx, next) => {
    const prompt = ctx.session.admin?.prompt;
    if (!prompt || ctx.message.text.startsWith('/')) return next();
    try {
      await answerPrompt(ctx, prompt, ctx.message.text);
    } catch (error) {
      // Bad input keeps the question open for another try; a refused action ends it.
      if (!(error instanceof InvalidInputError)) clearPrompt(ctx);
      await refuse(ctx, error);
    }
  });

  return composer;
}
