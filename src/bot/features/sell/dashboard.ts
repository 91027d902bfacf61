// Where /sell lands: the registration for a newcomer, else the seller's dashboard (products,
// sales, revenue, storage, balances, the way to analytics); and the shop's two links.
import { DEFAULT_PERIOD, type SellerHome, type SellerProfile } from '../../../services/analytics.ts';
import type { BotContext } from '../../context.ts';
import { shopStartPayload, startLink } from '../../deep-links.ts';
import { ask } from '../../prompts.ts';
import { callbackData } from '../../ui/callback-data.ts';
import { formatMoney, formatSize } from '../../ui/format.ts';
import { button, keyboard } from '../../ui/keyboard.ts';
import { type Screen, showScreen } from '../../ui/screen.ts';
import { homeButton } from '../menu.ts';
import { SELLER_PAYOUTS_BUTTON } from './payouts.ts';
import { productsPageData, SELL, SELL_BUTTONS, type SellDeps, sellSession } from './state.ts';

export function dashboardScreen(ctx: BotContext, home: SellerHome): Screen {
  const { profile, stats, balances } = home;
  const unfinished = sellSession(ctx).wizard !== undefined;
  const language = ctx.locale.language;
  const money = (cents: number) => formatMoney(language, cents);
  return {
    text: ctx.t('sell-dashboard', {
      name: profile.name,
      products: stats.productsTotal,
      active: stats.productsActive,
      sales: stats.salesCount,
      revenue: money(stats.revenueCents),
      storage: formatSize(language, stats.storageBytes),
      escrow: money(balances.escrowCents),
      available: money(balances.availableCents),
      paid: money(balances.paidCents),
    }),
    keyboard: keyboard(
      [
        unfinished
          ? button(ctx.t('sell-button-resume'), SELL_BUTTONS.wizardResume)
          : button(ctx.t('sell-button-add'), SELL_BUTTONS.wizardNew),
      ],
      [
        button(ctx.t('sell-button-products'), productsPageData(0)),
        button(ctx.t('sell-button-analytics'), callbackData(SELL.analytics, DEFAULT_PERIOD)),
      ],
      [button(ctx.t('sell-button-payouts'), SELLER_PAYOUTS_BUTTON)],
      [
        button(ctx.t('sell-button-settings'), SELL_BUTTONS.settings),
        button(ctx.t('sell-button-shop-link'), SELL_BUTTONS.shopLink),
      ],
      [homeButton(ctx)],
    ),
  };
}

/**
 * The shop's two ways in, each in a tap-to-copy block: the start link, and `/shop @username`
 * when the seller's Telegram account has a username (else how to get one).
 */
export function shopLinkScreen(ctx: BotContext, seller: SellerProfile, username: string | undefined): Screen {
  const link = startLink(ctx.me.username, shopStartPayload(seller.userId));
  const command = username
    ? ctx.t('sell-shop-command', { command: `/shop @${username}` })
    : ctx.t('sell-shop-no-username');
  return {
    text: `${ctx.t('sell-shop-link', { name: seller.name, link })}\n\n${command}`,
    keyboard: keyboard([dashboardButton(ctx)]),
  };
}

export function dashboardButton(ctx: BotContext) {
  return button(ctx.t('sell-button-dashboard'), SELL_BUTTONS.dashboard);
}

/** A screen with a short line above it (what just happened). */
export function withNotice(screen: Screen, notice: string | undefined): Screen {
  return notice ? { ...screen, text: `${notice}\n\n${String(screen.text)}` } : screen;
}

/** Step 1 of registration: the email (the session remembers the step across restarts). */
export function registrationScreen(ctx: BotContext): Screen {
  ask(ctx, 'sell', { on: 'register-email' });
  return {
    text: ctx.t('sell-register-intro'),
    keyboard: keyboard([button(ctx.t('sell-button-cancel'), SELL_BUTTONS.registerCancel)]),
  };
}

/** /sell, /vendre, /stats and the menu's Sell button: the dashboard, or registration for a newcomer. */
export async function showSellerHome(
  ctx: BotContext,
  deps: Pick<SellDeps, 'services'>,
  notice?: string,
): Promise<void> {
  const from = ctx.from;
  if (!from) return;
  const { accounts, analytics } = deps.services;
  await accounts.registerUser(from);
  const home = await analytics.home(from.id);
  const screen = home ? dashboardScreen(ctx, home) : registrationScreen(ctx);
  await showScreen(ctx, withNotice(screen, notice));
}
