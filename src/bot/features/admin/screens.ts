// What the admin console shows: the menu, statistics, payouts to pay, a user, a product.
import { formatUsd } from '../../../domain/index.ts';
import type { AdminProduct, AdminUserDetail, MarketplaceStats } from '../../../services/moderation.ts';
import type { Page, PendingPayout } from '../../../services/payouts.ts';
import type { BotContext } from '../../context.ts';
import { callbackData } from '../../ui/callback-data.ts';
import { html } from '../../ui/html.ts';
import { button, keyboard, pager } from '../../ui/keyboard.ts';
import type { Screen } from '../../ui/screen.ts';
import { homeButton } from '../menu.ts';
import { ADMIN_ACTIONS } from './state.ts';

export const PAYOUTS_PAGE_SIZE = 8;

export function menuScreen(ctx: BotContext): Screen {
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

export function backButton(ctx: BotContext) {
  return button(ctx.t('admin-button-back'), ADMIN_ACTIONS.menu);
}

export function cancelKeyboard(ctx: BotContext) {
  return keyboard([button(ctx.t('admin-button-cancel'), ADMIN_ACTIONS.cancel)]);
}

function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function statsScreen(ctx: BotContext, s: MarketplaceStats): Screen {
  return {
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
  };
}

export function payoutsScreen(ctx: BotContext, page: Page<PendingPayout>, current: number): Screen {
  if (page.items.length === 0) {
    return { text: ctx.t('admin-payouts-empty'), keyboard: keyboard([backButton(ctx)]) };
  }
  const pages = Math.max(1, Math.ceil(page.total / PAYOUTS_PAGE_SIZE));
  const lines = page.items.map(
    (p) =>
      html`• <b>${p.sellerName}</b> (<code>${p.sellerId}</code>) — ${formatUsd(p.amountCents)} — ${p.productTitle}\n  <code>${p.payoutAddress}</code>`,
  );
  const sellers = new Map(page.items.map((p) => [p.sellerId, p.sellerName]));
  return {
    text: `${ctx.t('admin-payouts-title', { total: page.total })}\n\n${lines.join('\n')}`,
    keyboard: keyboard(
      ...[...sellers].map(([sellerId, name]) => [
        // Button labels are plain text, not HTML: the name goes in unescaped.
        button(`${ctx.t('admin-button-mark-paid')} ${name}`, callbackData(ADMIN_ACTIONS.pay, sellerId)),
      ]),
      pager(ADMIN_ACTIONS.payouts, current, pages),
      [backButton(ctx)],
    ),
  };
}

export function userScreen(ctx: BotContext, user: AdminUserDetail): Screen {
  const suspension = user.suspended
    ? ctx.t('admin-user-suspended', {
        reason: user.suspensionReason ?? '',
        until: user.suspendedUntil ? formatDate(user.suspendedUntil) : ctx.t('admin-until-restored'),
      })
    : ctx.t('admin-user-active');
  return {
    text: ctx.t('admin-user-detail', {
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
    }),
    keyboard: keyboard(
      [
        user.suspended
          ? button(ctx.t('admin-button-restore-user'), callbackData(ADMIN_ACTIONS.restoreUser, user.id))
          : button(ctx.t('admin-button-suspend'), callbackData(ADMIN_ACTIONS.suspend, user.id)),
        button(ctx.t('button-refresh'), callbackData(ADMIN_ACTIONS.user, user.id)),
      ],
      [backButton(ctx)],
    ),
  };
}

export function productScreen(ctx: BotContext, product: AdminProduct): Screen {
  const banned = product.status === 'banned';
  return {
    text: ctx.t('admin-product-detail', {
      id: product.id,
      title: product.title,
      seller: product.sellerName,
      sellerId: String(product.sellerId),
      price: formatUsd(product.priceCents),
      status: product.status,
      sales: product.salesCount,
      reason: product.banReason ?? '—',
    }),
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
  };
}
