// A message posted in a ticket goes to the ticket's other participants and to every admin but its
// author, each in their own language. Participants get a Reply button carrying only the ticket id
// (the support service re-checks who may use it) and never learn the other side's Telegram
// identity; admins get who wrote (id, @username, name, email) and the order and product the
// ticket is about, with Reply and the inbox. Buyer–seller threads reach the admins silently: they
// follow them, a support ticket or a problem report asks for them. Relays are best effort: the
// message stays in the thread.
import type { AdminTicket, PostedMessage, TicketAuthorRole } from '../../../services/support.ts';
import type { FeatureDeps, Translate } from '../../context.ts';
import { callbackData } from '../../ui/callback-data.ts';
import { Html, html } from '../../ui/html.ts';
import { button, keyboard } from '../../ui/keyboard.ts';
import { ADMIN } from '../admin/state.ts';
import { authorLabel } from './render.ts';
import { TICKET_ACTIONS } from './state.ts';

type RelayDeps = Pick<FeatureDeps, 'messenger' | 'services'>;

export async function relayTicketMessage(
  deps: RelayDeps,
  posted: PostedMessage,
  author: TicketAuthorRole,
): Promise<void> {
  const { ticket, message } = posted;
  for (const id of posted.recipients) {
    const reader: TicketAuthorRole = id === ticket.userId ? 'user' : 'seller';
    await deps.messenger.trySend(
      id,
      (t) => ({
        text: t('tickets-relay', {
          ticket: String(ticket.id),
          subject: ticket.subject,
          author: authorLabel(t, author, reader),
          text: message.body,
        }),
        options: {
          reply_markup: keyboard([
            button(t('tickets-button-reply'), callbackData(TICKET_ACTIONS.reply, ticket.id)),
            button(t('tickets-button-open'), callbackData(TICKET_ACTIONS.open, ticket.id)),
          ]),
        },
      }),
      'Ticket message relay',
    );
  }
  await relayToAdmins(deps, posted, author);
}

/** The admins' copy of a posted message (every admin but its author and the participants). */
export async function relayToAdmins(
  deps: RelayDeps,
  posted: PostedMessage,
  author: TicketAuthorRole = posted.message.authorRole,
): Promise<void> {
  const { moderation, support } = deps.services;
  const admins = moderation
    .admins()
    .filter((id) => id !== posted.message.authorId && !posted.recipients.includes(id));
  const [first] = admins;
  if (first === undefined) return;
  const ticket = await support.adminTicket(moderation.moderator(first), posted.ticket.id);
  for (const id of admins) {
    await deps.messenger.trySend(
      id,
      (t) => ({
        text: t('tickets-relay-admin', {
          ticket: String(ticket.id),
          kind: ticketKind(t, ticket),
          subject: headline(ticket),
          who: authorCard(ticket),
          about: aboutLine(t, ticket),
          author: adminAuthorLabel(t, author, ticket),
          text: posted.message.body,
        }),
        options: {
          disable_notification: ticket.sellerId !== null,
          reply_markup: keyboard([
            button(t('tickets-button-reply'), callbackData(TICKET_ACTIONS.reply, ticket.id)),
            button(t('tickets-button-inbox'), callbackData(ADMIN.ticket, ticket.id)),
          ]),
        },
      }),
      'Ticket message relay to admins',
    );
  }
}

/**
 * What admins read as the ticket's title: its subject, or for a ticket about an order (whose
 * subject only repeats the order id) the product bought.
 */
export function headline(ticket: AdminTicket): string {
  return ticket.orderId !== null && ticket.productTitle !== null ? ticket.productTitle : ticket.subject;
}

/** Support ticket, problem report on an order, or buyer–seller thread. */
export function ticketKind(t: Translate, ticket: AdminTicket): string {
  if (ticket.sellerId !== null) return t('tickets-kind-thread');
  return ticket.orderId ? t('tickets-kind-report') : t('tickets-kind-support');
}

/** Who opened the ticket: name, @username, Telegram id and email, as far as they are known. */
export function authorCard(ticket: AdminTicket): Html {
  const name = `${ticket.authorFirstName} ${ticket.authorLastName}`.trim() || '—';
  return html`<b>${name}</b>${ticket.authorUsername ? html` @${ticket.authorUsername}` : ''} · id <code>${String(ticket.userId)}</code>${ticket.authorEmail ? html` · ${ticket.authorEmail}` : ''}`;
}

/** The order and product the ticket is about, on a line of its own, or nothing. */
function aboutLine(t: Translate, ticket: AdminTicket): Html {
  if (!ticket.orderId) return Html.raw('');
  const line = t('tickets-about-order', {
    order: ticket.orderId,
    title: ticket.productTitle ?? '—',
    product: ticket.productId ?? '—',
  });
  return Html.raw(`\n${line}`);
}

/** Who wrote, as the admins see it: the user (buyer in an order's ticket), the seller, or support. */
export function adminAuthorLabel(t: Translate, author: TicketAuthorRole, ticket: AdminTicket): string {
  if (author === 'admin') return t('tickets-role-support');
  if (author === 'seller') return t('tickets-role-seller');
  return ticket.orderId ? t('tickets-role-buyer') : t('tickets-role-user');
}
