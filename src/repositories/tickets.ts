// Support tickets and buyer-seller threads: the ticket, its messages, and the lists each party sees.
import type { Queryable } from '../db/index.ts';
import type { TicketStatus } from '../domain/index.ts';
import { type Page, type PageRequest, pageBounds } from './paging.ts';

export type TicketAuthorRole = 'user' | 'seller' | 'admin';

export type Ticket = {
  id: number;
  userId: number;
  sellerId: number | null;
  orderId: string | null;
  subject: string;
  email: string | null;
  status: TicketStatus;
  createdAt: Date;
  updatedAt: Date;
};

export type TicketMessage = {
  id: number;
  ticketId: number;
  authorId: number;
  authorRole: TicketAuthorRole;
  body: string;
  createdAt: Date;
};

const TICKET_COLUMNS = `
  t.id, t.user_id AS "userId", t.seller_id AS "sellerId", t.order_id AS "orderId",
  t.subject, t.email, t.status, t.created_at AS "createdAt", t.updated_at AS "updatedAt"`;

const MESSAGE_COLUMNS = `
  m.id, m.ticket_id AS "ticketId", m.author_id AS "authorId",
  m.author_role AS "authorRole", m.body, m.created_at AS "createdAt"`;

export interface NewTicket {
  userId: number;
  subject: string;
  email?: string | null;
  orderId?: string | null;
  /** Set for a relayed buyer <-> seller thread (which needs orderId). */
  sellerId?: number | null;
}

/** UniqueViolationError `tickets_order_open_key` when the order already has such an open ticket. */
export async function insertTicket(q: Queryable, ticket: NewTicket): Promise<Ticket> {
  return q.one<Ticket>(
    `INSERT INTO tickets AS t (user_id, subject, email, order_id, seller_id) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${TICKET_COLUMNS}`,
    [ticket.userId, ticket.subject, ticket.email ?? null, ticket.orderId ?? null, ticket.sellerId ?? null],
  );
}

export async function getTicket(q: Queryable, id: number): Promise<Ticket | null> {
  return q.maybeOne<Ticket>(`SELECT ${TICKET_COLUMNS} FROM tickets t WHERE t.id = $1`, [id]);
}

/** Locks the ticket until the end of the transaction (one status change at a time). */
export async function lockTicket(q: Queryable, id: number): Promise<Ticket | null> {
  return q.maybeOne<Ticket>(`SELECT ${TICKET_COLUMNS} FROM tickets t WHERE t.id = $1 FOR UPDATE`, [id]);
}

/** The open problem report (withSeller false) or seller thread (true) of an order, if any. */
export async function findOpenOrderTicket(
  q: Queryable,
  orderId: string,
  withSeller: boolean,
): Promise<Ticket | null> {
  return q.maybeOne<Ticket>(
    `SELECT ${TICKET_COLUMNS} FROM tickets t
     WHERE t.order_id = $1 AND (t.seller_id IS NOT NULL) = $2
       AND t.status IN ('open', 'pending_user', 'pending_admin')`,
    [orderId, withSeller],
  );
}

export interface NewTicketMessage {
  ticketId: number;
  authorId: number;
  authorRole: TicketAuthorRole;
  body: string;
}

/** Appends a message and marks the ticket's latest activity. */
export async function insertTicketMessage(q: Queryable, message: NewTicketMessage): Promise<TicketMessage> {
  const row = await q.one<TicketMessage>(
    `INSERT INTO ticket_messages AS m (ticket_id, author_id, author_role, body) VALUES ($1, $2, $3, $4)
     RETURNING ${MESSAGE_COLUMNS}`,
    [message.ticketId, message.authorId, message.authorRole, message.body],
  );
  await q.exec('UPDATE tickets SET updated_at = now() WHERE id = $1', [message.ticketId]);
  return row;
}

export async function setTicketStatus(q: Queryable, id: number, status: TicketStatus): Promise<Ticket> {
  return q.one<Ticket>(
    `UPDATE tickets t SET status = $2, updated_at = now() WHERE t.id = $1 RETURNING ${TICKET_COLUMNS}`,
    [id, status],
  );
}

/** The ticket's messages in the order they were written. */
export async function ticketThread(q: Queryable, ticketId: number): Promise<TicketMessage[]> {
  return q.many<TicketMessage>(
    `SELECT ${MESSAGE_COLUMNS} FROM ticket_messages m WHERE m.ticket_id = $1 ORDER BY m.created_at, m.id`,
    [ticketId],
  );
}

async function page(q: Queryable, where: string, values: unknown[], p: PageRequest): Promise<Page<Ticket>> {
  const { limit, offset } = pageBounds(p, 10);
  const n = values.length;
  const [items, count] = await Promise.all([
    q.many<Ticket>(
      `SELECT ${TICKET_COLUMNS} FROM tickets t WHERE ${where}
       ORDER BY t.updated_at DESC, t.id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...values, limit, offset],
    ),
    q.one<{ total: number }>(`SELECT count(*)::int AS total FROM tickets t WHERE ${where}`, values),
  ]);
  return { items, total: count.total, limit, offset };
}

/** "My tickets": those the user opened, latest activity first. */
export function listUserTickets(q: Queryable, userId: number, p: PageRequest = {}): Promise<Page<Ticket>> {
  return page(q, 't.user_id = $1', [userId], p);
}

/** A seller's buyer threads, latest activity first. */
export function listSellerTickets(
  q: Queryable,
  sellerId: number,
  p: PageRequest = {},
): Promise<Page<Ticket>> {
  return page(q, 't.seller_id = $1', [sellerId], p);
}

/** How many tickets each status holds (the admin inbox's filters). */
export async function countTicketsByStatus(q: Queryable): Promise<Record<TicketStatus, number>> {
  const rows = await q.many<{ status: TicketStatus; n: number }>(
    'SELECT status, count(*)::int AS n FROM tickets GROUP BY status',
  );
  const counts: Record<TicketStatus, number> = {
    open: 0,
    pending_user: 0,
    pending_admin: 0,
    resolved: 0,
    closed: 0,
  };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** A ticket as the admins see it: who wrote it and what it is about. */
export type AdminTicket = Ticket & {
  authorUsername: string | null;
  authorFirstName: string;
  authorLastName: string;
  /** The email given on the ticket, else the author's seller account email. */
  authorEmail: string | null;
  productId: string | null;
  productTitle: string | null;
  orderStatus: string | null;
  orderTotalCents: number | null;
  orderPaidAt: Date | null;
  /** The order's seller (a problem report has one too, even though the seller is not in the thread). */
  orderSellerId: number | null;
  orderSellerName: string | null;
  messagesCount: number;
  lastAuthorRole: TicketAuthorRole | null;
};

const ADMIN_TICKET_SQL = `
  SELECT ${TICKET_COLUMNS}, u.username AS "authorUsername", u.first_name AS "authorFirstName",
    u.last_name AS "authorLastName", coalesce(t.email, author_seller.email) AS "authorEmail",
    o.product_id AS "productId", o.product_title AS "productTitle", o.status AS "orderStatus",
    o.total_cents AS "orderTotalCents", o.paid_at AS "orderPaidAt", o.seller_id AS "orderSellerId",
    order_seller.name AS "orderSellerName",
    (SELECT count(*) FROM ticket_messages m WHERE m.ticket_id = t.id)::int AS "messagesCount",
    (SELECT m.author_role FROM ticket_messages m WHERE m.ticket_id = t.id
     ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS "lastAuthorRole"
  FROM tickets t
  JOIN users u ON u.id = t.user_id
  LEFT JOIN seller_profiles author_seller ON author_seller.user_id = t.user_id
  LEFT JOIN orders o ON o.id = t.order_id
  LEFT JOIN seller_profiles order_seller ON order_seller.user_id = o.seller_id`;

export async function getAdminTicket(q: Queryable, id: number): Promise<AdminTicket | null> {
  return q.maybeOne<AdminTicket>(`${ADMIN_TICKET_SQL} WHERE t.id = $1`, [id]);
}

/** Admin inbox: tickets in these statuses, latest activity first, with their author and order. */
export async function listInbox(
  q: Queryable,
  statuses: readonly TicketStatus[],
  p: PageRequest = {},
): Promise<Page<AdminTicket>> {
  const { limit, offset } = pageBounds(p, 10);
  const [items, count] = await Promise.all([
    q.many<AdminTicket>(
      `${ADMIN_TICKET_SQL} WHERE t.status = ANY($1::text[])
       ORDER BY t.updated_at DESC, t.id DESC LIMIT $2 OFFSET $3`,
      [statuses, limit, offset],
    ),
    q.one<{ total: number }>(
      'SELECT count(*)::int AS total FROM tickets t WHERE t.status = ANY($1::text[])',
      [statuses],
    ),
  ]);
  return { items, total: count.total, limit, offset };
}
