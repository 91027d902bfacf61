// The console's home: the menu (with what waits for an answer) and the marketplace statistics.
import type { MarketplaceStats } from '../../../services/moderation.ts';
import type { BotContext } from '../../context.ts';
import { callbackData } from '../../ui/callback-data.ts';
import { button, keyboard } from '../../ui/keyboard.ts';
import type { Screen } from '../../ui/screen.ts';
import { homeButton } from '../menu.ts';
import { backButton, money } from './kit.ts';
import { ADMIN } from './state.ts';

/** `waiting`: tickets that are new or wait for an admin's answer. */
export function menuScreen(ctx: BotContext, waiting: number): Screen {
  return {
    text: ctx.t('admin-menu', { id: String(ctx.from?.id ?? 0), waiting }),
    keyboard: keyboard(
      [button(ctx.t('admin-button-inbox', { waiting }), callbackData(ADMIN.inbox, 'a', 0))],
      [
        button(ctx.t('admin-button-users'), callbackData(ADMIN.users, 'n', 0)),
        button(ctx.t('admin-button-products'), callbackData(ADMIN.products, 'all', 0)),
      ],
      [button(ctx.t('admin-button-payouts'), callbackData(ADMIN.payouts, 0))],
      [
        button(ctx.t('admin-button-exports'), callbackData(ADMIN.exports)),
        button(ctx.t('admin-button-audit'), callbackData(ADMIN.audit, 0)),
      ],
      [button(ctx.t('admin-button-stats'), callbackData(ADMIN.stats))],
      [button(ctx.t('button-refresh'), callbackData(ADMIN.menu)), homeButton(ctx)],
    ),
  };
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
      gross: money(ctx, s.grossCents),
      fees: money(ctx, s.feesCents),
      orders30: s.paidOrdersLast30Days,
      gross30: money(ctx, s.grossCentsLast30Days),
    }),
    keyboard: keyboard([button(ctx.t('button-refresh'), callbackData(ADMIN.stats))], [backButton(ctx)]),
  };
}
