// Support: tickets between a user and the admins, problem reports on an order, and buyer <-> seller
// threads relayed by the bot (neither side learns the other's Telegram identity). Only the
// ticket's user, its seller and admins may read or write it; to anyone else it does not exist.
import { type Database, type Queryable, UniqueViolationError } from '../db/index.ts';
import {
  assertMove,
  TICKET_MACHINE,
  type TicketStatus,
  validateEmail,
  validateTicketMessage,
  validateTicketSubject,
} from '../domain/index.ts';
import { getOrderForBuyer } from '../repositories/orders.ts';
import type { Page, PageRequest } from '../repositories/paging.ts';
import {
  findOpenOrderTicket,
  getTicket,
  insertTicket,
  insertTicketMessage,
  listSellerTickets,
  listTicketsByStatus,
  listUserTickets,
  lockTicket,
  type NewTicket,
  setTicketStatus,
  type Ticket,
  type TicketAuthorRole,
  type TicketMessage,
  ticketThread,
} from '../repositories/tickets.ts';
import { ConflictError, ForbiddenError, NotAdminError, NotFoundError } from './errors.ts';

export type { Ticket, TicketAuthorRole, TicketMessage };

/** Who acts: the id comes from verified Telegram data, isAdmin from ADMIN_IDS. */
export interface Actor {
  userId: number;
  isAdmin: boolean;
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

/** Admin inbox default: tickets waiting for an answer. */
export const INBOX_STATUSES: readonly TicketStatus[] = ['open', 'pending_admin'];

function roleIn(ticket: Ticket, actor: Actor): TicketAuthorRole | null {
  if (ticket.userId === actor.userId) return 'user';
  if (ticket.sellerId !== null && ticket.sellerId === actor.userId) return 'seller';
  if (actor.isAdmin) return 'admin';
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
        return post(tx, ticket, { userId: buyerId, isAdmin: false }, body);
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
        return post(tx, ticket, { userId: buyerId, isAdmin: false }, body);
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
          role === 'admin' ||
          actor.isAdmin ||
          (role === 'user' && (status === 'resolved' || status === 'closed'));
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
        return setTicketStatus(tx, ticketId, status);
      });
    },

    myTickets(userId: number, paging: PageRequest = {}): Promise<Page<Ticket>> {
      return listUserTickets(db, userId, paging);
    },

    sellerThreads(sellerId: number, paging: PageRequest = {}): Promise<Page<Ticket>> {
      return listSellerTickets(db, sellerId, paging);
    },

    adminInbox(
      actor: Actor,
      statuses: readonly TicketStatus[] = INBOX_STATUSES,
      paging: PageRequest = {},
    ): Promise<Page<Ticket>> {
      if (!actor.isAdmin) throw new NotAdminError();
      return listTicketsByStatus(db, statuses, paging);
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
  const recipients = [current.userId, current.sellerId].filter(
    (id): id is number => id !== null && id !== actor.userId,
  );
  return { ticket: { ...current, updatedAt: posted.createdAt }, message: posted, recipients };
}
