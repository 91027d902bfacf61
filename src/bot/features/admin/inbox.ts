// The support inbox: every ticket (support, problem report, buyer–seller thread) by status filter
// and page, then one ticket with who wrote it (id, @username, name, email), the order and product
// it is about, its thread, Reply (the tickets feature's, which relays the answer to the buyer and
// the seller) and the status moves an admin may make. Each move is audited by the service; the
// ticket's user is told when support resolves or closes it.
import { canMove, TICKET_MACHINE, TICKET_STATUSES, type TicketStatus } from '../../../domain/index.ts';
import type { AdminTicket, InboxFilter, Page, TicketMessage } from '../../../services/support.ts';
import type { BotContext } from '../../context.ts';
import { acknowledge, answerAlert } from '../../refusals.ts';
import { actionPattern, callbackData } from '../../ui/callback-data.ts';
import { Html } from '../../ui/html.ts';
import { button, keyboard, type MaybeButton, pager } from '../../ui/keyboard.ts';
import { type Screen, showScreen } from '../../ui/screen.ts';
import { adminAuthorLabel, authorCard, headline, ticketKind } from '../tickets/relay.ts';
import { canReply, messageLines, STATUS_ICONS } from '../tickets/render.ts';
import { TICKET_ACTIONS } from '../tickets/state.ts';
import { type AdminArea, backButton, clampPage, clip, day, moment, money, personName } from './kit.ts';
import { ADMIN, INBOX_CODES, type InboxCode, isOneOf, numberArg } from './state.ts';

const PAGE_SIZE = 6;
const CODES = Object.keys(INBOX_CODES) as InboxCode[];
/** The thread gets what the ticket's header leaves of Telegram's 4096 characters. */
const THREAD_BUDGET = 2400;

type Counts = Record<InboxFilter, number>;

function codeOf(status: TicketStatus): InboxCode {
  if (status === 'open') return 'o';
  if (status === 'pending_admin') return 'a';
  if (status === 'pending_user') return 'u';
  return 'r';
}

export function adminStatusLabel(ctx: BotContext, status: TicketStatus): string {
  switch (status) {
    case 'open':
      return ctx.t('admin-ticket-status-open');
    case 'pending_admin':
      return ctx.t('admin-ticket-status-pending-admin');
    case 'pending_user':
      return ctx.t('admin-ticket-status-pending-user');
    case 'resolved':
      return ctx.t('admin-ticket-status-resolved');
    case 'closed':
      return ctx.t('admin-ticket-status-closed');
  }
}

function filterLabel(ctx: BotContext, code: InboxCode, count: number): string {
  switch (code) {
    case 'o':
      return ctx.t('admin-inbox-filter-open', { count });
    case 'a':
      return ctx.t('admin-inbox-filter-pending-admin', { count });
    case 'u':
      return ctx.t('admin-inbox-filter-pending-user', { count });
    case 'r':
      return ctx.t('admin-inbox-filter-resolved', { count });
  }
}

function filterButtons(ctx: BotContext, counts: Counts, current: InboxCode): MaybeButton[][] {
  const one = (code: InboxCode) => {
    const label = filterLabel(ctx, code, counts[INBOX_CODES[code]]);
    return button(code === current ? `• ${label}` : label, callbackData(ADMIN.inbox, code, 0));
  };
  return [
    [one('o'), one('a')],
    [one('u'), one('r')],
  ];
}

function inboxScreen(
  ctx: BotContext,
  code: InboxCode,
  counts: Counts,
  list: Page<AdminTicket>,
  page: number,
): Screen {
  const total = counts[INBOX_CODES[code]];
  const lines = list.items.map((ticket) =>
    ctx.t('admin-inbox-line', {
      icon: STATUS_ICONS[ticket.status],
      ticket: String(ticket.id),
      subject: clip(headline(ticket), 60),
      who: clip(
        personName({ firstName: ticket.authorFirstName, lastName: ticket.authorLastName }, ticket.userId),
        40,
      ),
      username: ticket.authorUsername ? `@${ticket.authorUsername}` : '',
      kind: ticketKind(ctx.t, ticket),
      date: moment(ctx, ticket.updatedAt),
    }),
  );
  return {
    text: ctx.t('admin-inbox', {
      filter: filterLabel(ctx, code, total),
      count: total,
      list: Html.raw(lines.join('\n\n')),
    }),
    keyboard: keyboard(
      ...filterButtons(ctx, counts, code),
      ...list.items.map((ticket) => [
        button(
          `${STATUS_ICONS[ticket.status]} #${ticket.id} · ${clip(headline(ticket), 36)}`,
          callbackData(ADMIN.ticket, ticket.id),
        ),
      ]),
      pager(ADMIN.inbox, page, Math.ceil(total / PAGE_SIZE), code),
      [button(ctx.t('button-refresh'), callbackData(ADMIN.inbox, code, page)), backButton(ctx)],
    ),
  };
}

/** The statuses an admin may move the ticket to from where it is, in the order they are offered. */
const MOVES: readonly TicketStatus[] = ['pending_user', 'pending_admin', 'resolved', 'closed'];

function ticketScreen(ctx: BotContext, ticket: AdminTicket, messages: TicketMessage[]): Screen {
  const order = ticket.orderId
    ? ctx.t('admin-ticket-order', {
        order: ticket.orderId,
        title: ticket.productTitle ?? '—',
        product: ticket.productId ?? '—',
        total: ticket.orderTotalCents === null ? '—' : money(ctx, ticket.orderTotalCents),
        paid: ticket.orderPaidAt ? day(ctx, ticket.orderPaidAt) : '—',
      })
    : '';
  const seller =
    ticket.orderSellerId !== null
      ? ctx.t('admin-ticket-seller', {
          name: ticket.orderSellerName ?? '—',
          id: String(ticket.orderSellerId),
          inThread: ticket.sellerId !== null ? 'yes' : 'no',
        })
      : '';
  // "Reopen" is for a resolved ticket; otherwise the user's next message reopens it by itself.
  const moves = MOVES.filter(
    (to) =>
      to !== ticket.status &&
      canMove(TICKET_MACHINE, ticket.status, to) &&
      (to !== 'pending_admin' || ticket.status === 'resolved'),
  ).map((to) => button(moveLabel(ctx, to), callbackData(ADMIN.ticketStatus, ticket.id, to)));
  return {
    text: ctx.t('admin-ticket', {
      ticket: String(ticket.id),
      kind: ticketKind(ctx.t, ticket),
      subject: headline(ticket),
      status: adminStatusLabel(ctx, ticket.status),
      who: authorCard(ticket),
      order: Html.raw(order),
      seller: Html.raw(seller),
      opened: moment(ctx, ticket.createdAt),
      messages: ticket.messagesCount,
      thread: messageLines(
        ctx.t,
        ctx.locale.language,
        messages,
        (m) => adminAuthorLabel(ctx.t, m.authorRole, ticket),
        THREAD_BUDGET,
      ),
    }),
    keyboard: keyboard(
      [
        canReply(ticket, 'admin') &&
          button(ctx.t('tickets-button-reply'), callbackData(TICKET_ACTIONS.reply, ticket.id)),
      ],
      // Two status buttons a row: readable on a phone.
      moves.slice(0, 2),
      moves.slice(2),
      [
        button(ctx.t('admin-button-author'), callbackData(ADMIN.user, ticket.userId)),
        ticket.productId !== null &&
          button(ctx.t('admin-button-product'), callbackData(ADMIN.product, ticket.productId)),
        ticket.orderSellerId !== null &&
          button(ctx.t('admin-button-seller'), callbackData(ADMIN.user, ticket.orderSellerId)),
      ],
      [
        button(ctx.t('admin-button-history'), callbackData(ADMIN.auditOf, 'ticket', ticket.id, 0)),
        button(ctx.t('button-refresh'), callbackData(ADMIN.ticket, ticket.id)),
      ],
      [
        button(ctx.t('admin-button-inbox-back'), callbackData(ADMIN.inbox, codeOf(ticket.status), 0)),
        backButton(ctx),
      ],
    ),
  };
}

function moveLabel(ctx: BotContext, to: TicketStatus): string {
  switch (to) {
    case 'pending_user':
      return ctx.t('admin-ticket-to-pending-user');
    case 'pending_admin':
      return ctx.t('admin-ticket-to-pending-admin');
    case 'resolved':
      return ctx.t('admin-ticket-to-resolved');
    default:
      return ctx.t('admin-ticket-to-closed');
  }
}

export const inboxArea: AdminArea = (admin, kit) => {
  const { support } = kit.deps.services;

  async function showInbox(ctx: BotContext, code: InboxCode, requested: number): Promise<void> {
    const moderator = kit.moderator(ctx);
    const filter = INBOX_CODES[code];
    const counts = await support.inboxCounts(moderator);
    const page = clampPage(requested, counts[filter], PAGE_SIZE);
    const list = await support.inbox(moderator, filter, { limit: PAGE_SIZE, offset: page * PAGE_SIZE });
    await showScreen(ctx, inboxScreen(ctx, code, counts, list, page));
  }

  async function showTicket(ctx: BotContext, ticketId: number, notice?: string): Promise<void> {
    let view: Awaited<ReturnType<typeof support.adminView>>;
    try {
      view = await support.adminView(kit.moderator(ctx), ticketId);
    } catch (error) {
      return kit.refuse(ctx, error);
    }
    await acknowledge(ctx, notice);
    await showScreen(ctx, ticketScreen(ctx, view.ticket, view.messages));
  }

  admin.callbackQuery(actionPattern(ADMIN.inbox, 2), async (ctx) => {
    const page = numberArg(ctx.match[2]);
    if (!isOneOf(CODES, ctx.match[1]) || page === null) return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx);
    await showInbox(ctx, ctx.match[1], page);
  });

  admin.callbackQuery(actionPattern(ADMIN.ticket, 1), async (ctx) => {
    const ticketId = numberArg(ctx.match[1]);
    if (ticketId === null) return answerAlert(ctx, ctx.t('button-expired'));
    await showTicket(ctx, ticketId);
  });

  admin.callbackQuery(actionPattern(ADMIN.ticketStatus, 2), async (ctx) => {
    const ticketId = numberArg(ctx.match[1]);
    const status = ctx.match[2];
    if (ticketId === null || !isOneOf(TICKET_STATUSES, status)) {
      return answerAlert(ctx, ctx.t('button-expired'));
    }
    let changed: Awaited<ReturnType<typeof support.changeStatus>>;
    try {
      changed = await support.changeStatus(
        { userId: ctx.from.id, admin: kit.moderator(ctx) },
        ticketId,
        status,
      );
    } catch (error) {
      return kit.refuse(ctx, error);
    }
    await showTicket(ctx, ticketId, ctx.t('admin-ticket-moved', { status: adminStatusLabel(ctx, status) }));
    // After the commit, and once the admin's press is answered: the status is changed whether
    // or not the notices arrive, and relaying them must not keep the press waiting.
    if (status === 'resolved' || status === 'closed') {
      for (const id of [changed.userId, changed.sellerId]) {
        if (id === null || id === ctx.from.id) continue;
        await kit.deps.messenger.trySend(
          id,
          (t) => ({
            text:
              status === 'resolved'
                ? t('admin-notice-ticket-resolved', { ticket: String(changed.id), subject: changed.subject })
                : t('admin-notice-ticket-closed', { ticket: String(changed.id), subject: changed.subject }),
            options: {
              reply_markup: keyboard([
                button(t('tickets-button-open'), callbackData(TICKET_ACTIONS.open, changed.id)),
              ]),
            },
          }),
          'Ticket status notice',
        );
      }
    }
  });
  return undefined;
};
