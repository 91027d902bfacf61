// How tickets read: status labels and icons, who wrote what as the reader sees it, the thread
// within Telegram's message size, and which buttons a participant gets.
import { canMove, TICKET_MACHINE, type TicketStatus } from '../../../domain/index.ts';
import type { Ticket, TicketAuthorRole, TicketMessage } from '../../../services/support.ts';
import type { Language, Translate } from '../../context.ts';
import { formatDateTime } from '../../ui/format.ts';
import { Html } from '../../ui/html.ts';

/** Telegram allows 4096 characters: the thread shows its latest messages within this budget. */
const THREAD_BUDGET = 3500;

export function statusLabel(t: Translate, status: TicketStatus): string {
  switch (status) {
    case 'open':
      return t('tickets-status-open');
    case 'pending_user':
      return t('tickets-status-pending-user');
    case 'pending_admin':
      return t('tickets-status-pending-admin');
    case 'resolved':
      return t('tickets-status-resolved');
    case 'closed':
      return t('tickets-status-closed');
  }
}

export const STATUS_ICONS: Record<TicketStatus, string> = {
  open: '🟢',
  pending_user: '💬',
  pending_admin: '⏳',
  resolved: '✅',
  closed: '🔒',
};

/** Who wrote, as the reader sees it: themselves, the buyer or user, the seller, or support. */
export function authorLabel(t: Translate, author: TicketAuthorRole, reader: TicketAuthorRole): string {
  if (author === reader) return t('tickets-role-you');
  if (author === 'admin') return t('tickets-role-support');
  if (author === 'seller') return t('tickets-role-seller');
  return reader === 'seller' ? t('tickets-role-buyer') : t('tickets-role-user');
}

/** The status a message from this role moves the ticket to (see the support service's post). */
export function canReply(ticket: Ticket, role: TicketAuthorRole): boolean {
  const next: TicketStatus = role === 'user' ? 'pending_admin' : 'pending_user';
  return ticket.status === next || canMove(TICKET_MACHINE, ticket.status, next);
}

/** Resolving and closing by hand: the ticket's author or an admin (the service decides). */
export function canChangeStatus(ticket: Ticket, role: TicketAuthorRole, to: TicketStatus): boolean {
  return role !== 'seller' && canMove(TICKET_MACHINE, ticket.status, to);
}

/**
 * The latest messages that fit in `budget` characters, oldest first, with a note when earlier
 * ones are left out. `author` names who wrote each message for this reader.
 */
export function messageLines(
  t: Translate,
  language: Language,
  messages: TicketMessage[],
  author: (message: TicketMessage) => string,
  budget = THREAD_BUDGET,
): Html {
  const lines: string[] = [];
  let used = 0;
  for (const message of [...messages].reverse()) {
    const line = t('tickets-message-line', {
      author: author(message),
      date: formatDateTime(language, message.createdAt),
      text: message.body,
    });
    if (lines.length > 0 && used + line.length > budget) {
      lines.push(t('tickets-thread-earlier'));
      break;
    }
    lines.push(line);
    used += line.length;
  }
  return Html.raw(lines.reverse().join('\n\n'));
}

export function threadText(
  t: Translate,
  language: Language,
  ticket: Ticket,
  messages: TicketMessage[],
  reader: TicketAuthorRole,
) {
  return t('tickets-thread', {
    ticket: String(ticket.id),
    subject: ticket.subject,
    status: statusLabel(t, ticket.status),
    order: ticket.orderId ? Html.raw(t('tickets-thread-order', { order: ticket.orderId })) : '',
    messages: messageLines(t, language, messages, (m) => authorLabel(t, m.authorRole, reader)),
  });
}
