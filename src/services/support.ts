// Support: tickets between a user and the admins, problem reports on an order, and buyer <-> seller
// threads relayed by the bot (neither side learns the other's Telegram identity). Only the
// ticket's user, its seller and admins may read or write it; to anyone else it does not exist.
// Admins act with a `Moderator` (verified against ADMIN_IDS); their answers and status changes
// are audited in the transaction that makes them.
import { type Database, type Queryable, UniqueViolationError } from '../db/index.ts';
import {
  assertMove,
  TICKET_MACHINE,
  type TicketStatus,
  validateEmail,
  validateTicketMessage,
  validateTicketSubject,
} from '../domain/index.ts';
import { recordAdminAction } from '../repositories/audit.ts';
import { getOrderForBuyer } from '../repositories/orders.ts';
import type { Page, PageRequest } from '../repositories/paging.ts';
import {
  type AdminTicket,
  countTicketsByStatus,
  findOpenOrderTicket,
  getAdminTicket,
  getTicket,
  insertTicket,
  insertTicketMessage,
  listInbox,
  listSellerTickets,
  listUserTickets,
  lockTicket,
  type NewTicket,
  setTicketStatus,
  type Ticket,
  type TicketAuthorRole,
  type TicketMessage,
  ticketThread,
} from '../repositories/tickets.ts';
import { ConflictError, ForbiddenError, NotFoundError } from './errors.ts';
import type { Moderator } from './moderation.ts';

export type { AdminTicket, Page, Ticket, TicketAuthorRole, TicketMessage };

/** Who acts: the id comes from verified Telegram data; `admin` only for an id in ADMIN_IDS. */
export interface Actor {
  userId: number;
  admin?: Moderator | undefined;
}

export interface TicketDraft {
  subject: string;
  message: string;
  email?: string | null;
}

export type PostedMessage = {
  ticket: Ticket;
  message: TicketMessage;
  /** The other participants to relay the message to (admins are notified separately). */
  recipients: number[];
};

export type TicketView = { ticket: Ticket; messages: TicketMessage[]; role: TicketAuthorRole };

/** The admin inbox's filters and the statuses each shows. */
export const INBOX_FILTERS = {
  open: ['open'],
  pending_admin: ['pending_admin'],
  pending_user: ['pending_user'],
  resolved: ['resolved', 'closed'],
} as const satisfies Record<string, readonly TicketStatus[]>;
export type InboxFilter = keyof typeof INBOX_FILTERS;

export type AdminTicketView = { ticket: AdminTicket; messages: TicketMessage[] };

function roleIn(ticket: Ticket, actor: Actor): TicketAuthorRole | null {
  if (ticket.userId === actor.userId) return 'user';
  if (ticket.sellerId !== null && ticket.sellerId === actor.userId) return 'seller';
  if (actor.admin) return 'admin';
  return null;
}

function optionalEmail(email: string | null | undefined): string | null {
  return email == null || email.trim() === '' ? null : validateEmail(email);
}

export function createSupportService({ db }: { db: Database }) {
  return {
    /** A new ticket to the admins with its first message. */
    async open(userId: number, draft: TicketDraft): Promise<PostedMessage> {
      const ticket: NewTicket = {
        userId,
        subject: validateTicketSubject(draft.subject),
        email: optionalEmail(draft.email),
      };
      const body = validateTicketMessage(draft.message);
      return db.transaction(async (tx) => {
        const created = await insertTicket(tx, ticket);
        const message = await insertTicketMessage(tx, {
          ticketId: created.id,
          authorId: userId,
          authorRole: 'user',
          body,
        });
        return { ticket: created, message, recipients: [] };
      });
    },

    /**
     * "Report a problem" on an order: only its buyer may. The order's open report is reused, so a
     * double tap adds a message instead of a second ticket.
     */
    async reportProblem(
      buyerId: number,
      orderId: string,
      draft: { message: string; email?: string | null },
    ): Promise<PostedMessage> {
      const body = validateTicketMessage(draft.message);
      const email = optionalEmail(draft.email);
      return db.transaction(async (tx) => {
        const order = await getOrderForBuyer(tx, orderId, buyerId);
        if (!order) throw new NotFoundError('order', orderId);
        const ticket = await openOrderTicket(tx, orderId, {
          userId: buyerId,
          orderId,
          subject: `Order ${orderId}`,
          email,
        });
        return post(tx, ticket, { userId: buyerId }, body);
      });
    },

    /** A message from the buyer to the seller of a paid order, in the order's relayed thread. */
    async contactSeller(buyerId: number, orderId: string, message: string): Promise<PostedMessage> {
      const body = validateTicketMessage(message);
      return db.transaction(async (tx) => {
        const order = await getOrderForBuyer(tx, orderId, buyerId);
        if (!order) throw new NotFoundError('order', orderId);
        if (order.status !== 'paid') {
          throw new ConflictError('order_not_paid', 'The seller can be contacted once the order is paid.', {
            orderId,
          });
        }
        const ticket = await openOrderTicket(tx, orderId, {
          userId: buyerId,
          sellerId: order.sellerId,
          orderId,
          subject: `Order ${orderId}`,
        });
        return post(tx, ticket, { userId: buyerId }, body);
      });
    },

    /** Adds a message to a ticket the actor takes part in; the status moves to the other side's turn. */
    async postMessage(actor: Actor, ticketId: number, message: string): Promise<PostedMessage> {
      const body = validateTicketMessage(message);
      return db.transaction(async (tx) => {
        const ticket = await lockTicket(tx, ticketId);
        if (!ticket || roleIn(ticket, actor) === null) throw new NotFoundError('ticket', ticketId);
        return post(tx, ticket, actor, body);
      });
    },

    /** The ticket and its thread, for its user, its seller or an admin. */
    async view(actor: Actor, ticketId: number): Promise<TicketView> {
      const ticket = await getTicket(db, ticketId);
      const role = ticket ? roleIn(ticket, actor) : null;
      if (!ticket || role === null) throw new NotFoundError('ticket', ticketId);
      return { ticket, messages: await ticketThread(db, ticketId), role };
    },

    /**
     * Status changes by hand: the ticket's user may resolve or close it, an admin may make any move
     * the ticket machine allows; a seller may not.
     */
    async changeStatus(actor: Actor, ticketId: number, status: TicketStatus): Promise<Ticket> {
      return db.transaction(async (tx) => {
        const ticket = await lockTicket(tx, ticketId);
        const role = ticket ? roleIn(ticket, actor) : null;
        if (!ticket || role === null) throw new NotFoundError('ticket', ticketId);
        const allowed =
          actor.admin !== undefined || (role === 'user' && (status === 'resolved' || status === 'closed'));
        if (!allowed) {
          throw new ForbiddenError(
            'ticket_status_forbidden',
            'Only the ticket author or an admin may change its status.',
            {
              ticketId,
            },
          );
        }
        if (ticket.status === status) return ticket;
        assertMove(TICKET_MACHINE, ticket.status, status);
        const changed = await setTicketStatus(tx, ticketId, status);
        if (actor.admin) {
          await recordAdminAction(tx, {
            adminId: actor.admin.adminId,
            action: 'ticket.status',
            target: { type: 'ticket', id: ticketId },
            details: { from: ticket.status, to: status },
          });
        }
        return changed;
      });
    },

    myTickets(userId: number, paging: PageRequest = {}): Promise<Page<Ticket>> {
      return listUserTickets(db, userId, paging);
    },

    sellerThreads(sellerId: number, paging: PageRequest = {}): Promise<Page<Ticket>> {
      return listSellerTickets(db, sellerId, paging);
    },

    /** The admin inbox: one filter's tickets by page, latest activity first. */
    inbox(_admin: Moderator, filter: InboxFilter, paging: PageRequest = {}): Promise<Page<AdminTicket>> {
      return listInbox(db, INBOX_FILTERS[filter], paging);
    },

    /** How many tickets each inbox filter holds. */
    async inboxCounts(_admin: Moderator): Promise<Record<InboxFilter, number>> {
      const counts = await countTicketsByStatus(db);
      return {
        open: counts.open,
        pending_admin: counts.pending_admin,
        pending_user: counts.pending_user,
        resolved: counts.resolved + counts.closed,
      };
    },

    /** A ticket with its author, order and product, as the admins see it. */
    async adminTicket(_admin: Moderator, ticketId: number): Promise<AdminTicket> {
      const ticket = await getAdminTicket(db, ticketId);
      if (!ticket) throw new NotFoundError('ticket', ticketId);
      return ticket;
    },

    /** The admin ticket and its thread. */
    async adminView(_admin: Moderator, ticketId: number): Promise<AdminTicketView> {
      const [ticket, messages] = await Promise.all([
        getAdminTicket(db, ticketId),
        ticketThread(db, ticketId),
      ]);
      if (!ticket) throw new NotFoundError('ticket', ticketId);
      return { ticket, messages };
    },
  };
}

export type SupportService = ReturnType<typeof createSupportService>;

/** The order's open ticket of this kind, or a new one; a concurrent opener finds the same. */
async function openOrderTicket(tx: Queryable, orderId: string, ticket: NewTicket): Promise<Ticket> {
  const withSeller = ticket.sellerId != null;
  const existing = await findOpenOrderTicket(tx, orderId, withSeller);
  if (existing) return existing;
  try {
    return await tx.transaction((sp) => insertTicket(sp, ticket));
  } catch (error) {
    if (!(error instanceof UniqueViolationError)) throw error;
    const winner = await findOpenOrderTicket(tx, orderId, withSeller);
    if (!winner) throw error;
    return winner;
  }
}

async function post(tx: Queryable, ticket: Ticket, actor: Actor, body: string): Promise<PostedMessage> {
  const role = roleIn(ticket, actor) as TicketAuthorRole;
  // The first message of a new ticket leaves it open; afterwards it becomes the other side's turn.
  const isFirst = ticket.status === 'open' && (await ticketThread(tx, ticket.id)).length === 0;
  let current = ticket;
  if (!isFirst) {
    const next: TicketStatus = role === 'user' ? 'pending_admin' : 'pending_user';
    if (ticket.status !== next) {
      assertMove(TICKET_MACHINE, ticket.status, next);
      current = await setTicketStatus(tx, ticket.id, next);
    }
  }
  const posted = await insertTicketMessage(tx, {
    ticketId: ticket.id,
    authorId: actor.userId,
    authorRole: role,
    body,
  });
  if (role === 'admin' && actor.admin) {
    await recordAdminAction(tx, {
      adminId: actor.admin.adminId,
      action: 'ticket.reply',
      target: { type: 'ticket', id: ticket.id },
      details: { messageId: posted.id, status: current.status },
    });
  }
  const recipients = [current.userId, current.sellerId].filter(
    (id): id is number => id !== null && id !== actor.userId,
  );
  return { ticket: { ...current, updatedAt: posted.createdAt }, message: posted, recipients };
}
