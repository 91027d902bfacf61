// How users read in the console: a page of users (newest, top buyers, suspended, or a search's
// results) and one user's card with their purchases, sales, tickets and standing.
import type {
  AdminUserDetail,
  Order,
  Page,
  UserActivity,
  UserListItem,
} from '../../../services/moderation.ts';
import type { BotContext } from '../../context.ts';
import { callbackData } from '../../ui/callback-data.ts';
import { html } from '../../ui/html.ts';
import { button, keyboard, type MaybeButton, pager } from '../../ui/keyboard.ts';
import type { Screen } from '../../ui/screen.ts';
import { STATUS_ICONS } from '../tickets/render.ts';
import { backButton, clip, day, moment, money, personName } from './kit.ts';
import { ADMIN, USER_ORDER_CODES, type UserOrderCode } from './state.ts';

export const USERS_PAGE_SIZE = 8;

function orderLabel(ctx: BotContext, code: UserOrderCode): string {
  switch (code) {
    case 'n':
      return ctx.t('admin-users-newest');
    case 's':
      return ctx.t('admin-users-spent');
    case 'x':
      return ctx.t('admin-users-suspended');
  }
}

/** One page of users: `list` is `{ order }` for a sorted list, `{ search }` for results. */
export function usersScreen(
  ctx: BotContext,
  list: { order: UserOrderCode } | { search: string },
  page: Page<UserListItem>,
  current: number,
): Screen {
  const lines = page.items.map((u) =>
    ctx.t('admin-users-line', {
      name: clip(personName(u, u.id), 40),
      username: u.username ? `@${u.username}` : '',
      id: String(u.id),
      spent: money(ctx, u.spentCents),
      shop: u.sellerName ? ` · 💼 ${clip(u.sellerName, 30)}` : '',
      suspended: u.suspended ? 'yes' : 'no',
    }),
  );
  const title =
    'order' in list
      ? ctx.t('admin-users-title', { order: orderLabel(ctx, list.order), count: page.total })
      : ctx.t('admin-users-results', { search: list.search, count: page.total });
  const codes = Object.keys(USER_ORDER_CODES) as UserOrderCode[];
  const pages = Math.ceil(page.total / USERS_PAGE_SIZE);
  return {
    text: lines.length > 0 ? `${title}\n\n${lines.join('\n')}` : `${title}\n\n${ctx.t('admin-users-none')}`,
    keyboard: keyboard(
      codes.map((code) => {
        const label = orderLabel(ctx, code);
        const chosen = 'order' in list && list.order === code;
        return button(chosen ? `• ${label}` : label, callbackData(ADMIN.users, code, 0));
      }),
      [button(ctx.t('admin-button-search-users'), callbackData(ADMIN.userSearch))],
      ...page.items.map((u) => [
        button(
          `${u.suspended ? '⛔ ' : ''}${clip(personName(u, u.id), 28)}${u.username ? ` @${clip(u.username, 20)}` : ''}`,
          callbackData(ADMIN.user, u.id),
        ),
      ]),
      'order' in list
        ? pager(ADMIN.users, current, pages, list.order)
        : pager(ADMIN.userResults, current, pages),
      [backButton(ctx)],
    ),
  };
}

function orderStatus(ctx: BotContext, status: Order['status']): string {
  switch (status) {
    case 'pending':
      return ctx.t('admin-order-status-pending');
    case 'waiting':
      return ctx.t('admin-order-status-waiting');
    case 'partially_paid':
      return ctx.t('admin-order-status-partially-paid');
    case 'paid':
      return ctx.t('admin-order-status-paid');
    case 'expired':
      return ctx.t('admin-order-status-expired');
    case 'failed':
      return ctx.t('admin-order-status-failed');
    case 'cancelled':
      return ctx.t('admin-order-status-cancelled');
    case 'refunded':
      return ctx.t('admin-order-status-refunded');
  }
}

function orderLine(ctx: BotContext, order: Order): string {
  return ctx.t('admin-user-order-line', {
    order: order.id,
    title: clip(order.productTitle, 40),
    amount: money(ctx, order.totalCents),
    // A paid order its buyer could not be sent (they blocked the bot) waits for them.
    status:
      order.status === 'paid' && order.deliveryBlockedAt
        ? ctx.t('admin-order-status-paid-unreachable')
        : orderStatus(ctx, order.status),
    date: day(ctx, order.paidAt ?? order.createdAt),
  });
}

export function userScreen(ctx: BotContext, user: AdminUserDetail, activity: UserActivity): Screen {
  const sections = [
    ctx.t('admin-user-head', {
      name: personName(user, user.id),
      username: user.username ? `@${user.username}` : '',
      id: String(user.id),
    }),
    ctx.t('admin-user-contact', {
      email: user.contactEmail ?? '—',
      language: user.language,
      since: day(ctx, user.createdAt),
    }),
    ctx.t('admin-user-buyer', { count: user.purchasesCount, spent: money(ctx, user.spentCents) }),
    user.isSeller
      ? ctx.t('admin-user-seller', {
          shop: user.sellerName ?? '',
          products: user.productsCount,
          sales: user.salesCount,
          revenue: money(ctx, user.revenueCents),
          wallet: user.payoutAddress ?? '—',
        })
      : ctx.t('admin-user-not-seller'),
    user.suspended
      ? ctx.t('admin-user-suspended', {
          reason: user.suspensionReason ?? '',
          until: user.suspendedUntil ? moment(ctx, user.suspendedUntil) : '',
          timed: user.suspendedUntil ? 'yes' : 'no',
        })
      : ctx.t('admin-user-active'),
  ];
  if (user.botBlockedAt)
    sections.push(ctx.t('admin-user-bot-blocked', { since: day(ctx, user.botBlockedAt) }));
  if (activity.orders.length > 0) {
    sections.push(
      `\n${ctx.t('admin-user-orders', { count: user.purchasesCount })}\n${activity.orders.map((o) => orderLine(ctx, o)).join('\n')}`,
    );
  }
  if (activity.sales.length > 0) {
    sections.push(
      `\n${ctx.t('admin-user-sales', { count: user.salesCount })}\n${activity.sales.map((o) => orderLine(ctx, o)).join('\n')}`,
    );
  }
  if (activity.tickets.length > 0) {
    const lines = activity.tickets.map(
      (ticket) => html`${STATUS_ICONS[ticket.status]} #${String(ticket.id)} ${clip(ticket.subject, 50)}`,
    );
    sections.push(`\n${ctx.t('admin-user-tickets', { count: user.ticketsCount })}\n${lines.join('\n')}`);
  }
  const ticketButtons: MaybeButton[] = activity.tickets
    .slice(0, 3)
    .map((ticket) =>
      button(`${STATUS_ICONS[ticket.status]} #${ticket.id}`, callbackData(ADMIN.ticket, ticket.id)),
    );
  return {
    text: sections.join('\n'),
    keyboard: keyboard(
      [
        user.suspended
          ? button(ctx.t('admin-button-restore-user'), callbackData(ADMIN.restoreUser, user.id))
          : button(ctx.t('admin-button-suspend'), callbackData(ADMIN.suspend, user.id)),
      ],
      ticketButtons,
      [
        button(ctx.t('admin-button-history'), callbackData(ADMIN.auditOf, 'user', user.id, 0)),
        button(ctx.t('button-refresh'), callbackData(ADMIN.user, user.id)),
      ],
      [button(ctx.t('admin-button-users-back'), callbackData(ADMIN.users, 'n', 0)), backButton(ctx)],
    ),
  };
}

/** Step 2 of a suspension: how long, by a button, or an end date typed. */
export function suspendUntilScreen(ctx: BotContext, user: AdminUserDetail, reason: string): Screen {
  const days = (n: number) =>
    button(ctx.t('admin-suspend-days', { count: n }), callbackData(ADMIN.suspendFor, user.id, n));
  return {
    text: ctx.t('admin-suspend-until-prompt', {
      name: personName(user, user.id),
      id: String(user.id),
      reason,
    }),
    keyboard: keyboard(
      [days(1), days(7), days(30)],
      [button(ctx.t('admin-suspend-indefinite'), callbackData(ADMIN.suspendFor, user.id, 0))],
      [button(ctx.t('admin-button-cancel'), callbackData(ADMIN.cancel))],
    ),
  };
}
