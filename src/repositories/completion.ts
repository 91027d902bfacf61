// The two statements of a provider event that pays an order, each folding what used to be
// several round trips (issue 13): one stores the event and locks its payment and order, the
// other applies the payment: payment row, order, payout line, event outcome and sale counter.
import type { Queryable } from '../db/index.ts';
import type { PaymentStatus } from '../domain/index.ts';
import { type NewNotification, type StoredNotification, storeNotification } from './notifications.ts';
import { type Order, UNPAID_ORDER_STATUSES } from './orders.ts';
import type { Payment } from './payments.ts';

/** What applying an event reads of its payment. */
export type LockedPayment = Pick<
  Payment,
  'id' | 'orderId' | 'payCurrency' | 'priceCurrency' | 'priceCents' | 'payAmount' | 'actuallyPaid' | 'status'
>;

/** What applying an event, and paying, read of the order. */
export type LockedOrder = Pick<
  Order,
  'id' | 'status' | 'paidPaymentId' | 'priceCents' | 'sellerId' | 'productId'
>;

export interface LockedEvent {
  notification: StoredNotification;
  /** Null when no payment has this provider id (or the event was already applied: nothing locked). */
  payment: LockedPayment | null;
  order: LockedOrder | null;
}

type LockedRow = {
  notificationId: number | null;
  inserted: boolean | null;
  processedAt: Date | null;
  paymentId: number | null;
  orderId: string | null;
  payCurrency: string;
  priceCurrency: string;
  paymentPriceCents: number;
  payAmount: string;
  actuallyPaid: string;
  paymentStatus: PaymentStatus;
  lockedOrderId: string | null;
  orderStatus: Order['status'];
  paidPaymentId: number | null;
  orderPriceCents: number;
  sellerId: number;
  productId: string;
};

/**
 * Stores the event unless already stored, then, unless it was already applied, locks its payment
 * and that payment's order (FOR UPDATE, in this order, after the insert: a copy of this event
 * waits on its key before it takes any row lock). One statement.
 */
export async function storeAndLockEvent(
  q: Queryable,
  n: NewNotification & { providerPaymentId: string },
): Promise<LockedEvent> {
  const row = await q.one<LockedRow>(
    `WITH stored AS (
       INSERT INTO payment_notifications (dedupe_key, source, verified, provider_payment_id, order_id,
                                          payment_status, body)
       VALUES ($1, $2, $3, left($4, 64), left($5, 64), left($6, 32), $7::jsonb)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
     ), notification AS (
       SELECT id, true AS inserted, NULL::timestamptz AS processed_at FROM stored
       UNION ALL -- the statement's snapshot cannot see its own insert: at most one of the two rows
       SELECT id, false, processed_at FROM payment_notifications WHERE dedupe_key = $1
     ), payment AS (
       SELECT p.id, p.order_id, p.pay_currency, p.price_currency, p.price_cents, p.pay_amount::text,
              p.actually_paid::text, p.status
       FROM payments p
       WHERE p.provider_payment_id = $4
         AND NOT EXISTS (SELECT 1 FROM notification WHERE processed_at IS NOT NULL)
       FOR UPDATE
     ), locked_order AS (
       SELECT o.id, o.status, o.paid_payment_id, o.price_cents, o.seller_id, o.product_id
       FROM orders o WHERE o.id = (SELECT order_id FROM payment) FOR UPDATE
     )
     SELECT n.id AS "notificationId", n.inserted, n.processed_at AS "processedAt",
            p.id AS "paymentId", p.order_id AS "orderId", p.pay_currency AS "payCurrency",
            p.price_currency AS "priceCurrency", p.price_cents AS "paymentPriceCents",
            p.pay_amount AS "payAmount", p.actually_paid AS "actuallyPaid", p.status AS "paymentStatus",
            o.id AS "lockedOrderId", o.status AS "orderStatus", o.paid_payment_id AS "paidPaymentId",
            o.price_cents AS "orderPriceCents", o.seller_id AS "sellerId", o.product_id AS "productId"
     FROM (SELECT) AS one
     LEFT JOIN notification n ON true LEFT JOIN payment p ON true LEFT JOIN locked_order o ON true`,
    [n.dedupeKey, n.source, n.verified, n.providerPaymentId, n.orderId, n.paymentStatus, n.bodyJson],
  );
  const notification: StoredNotification =
    row.notificationId === null
      ? // A copy of this event committed while we waited on its key, after our snapshot: read it now.
        await storeNotification(q, n)
      : { id: row.notificationId, inserted: row.inserted === true, processedAt: row.processedAt };
  if (notification.processedAt) return { notification, payment: null, order: null };
  return {
    notification,
    payment:
      row.paymentId === null
        ? null
        : {
            id: row.paymentId,
            orderId: row.orderId as string,
            payCurrency: row.payCurrency,
            priceCurrency: row.priceCurrency,
            priceCents: row.paymentPriceCents,
            payAmount: row.payAmount,
            actuallyPaid: row.actuallyPaid,
            status: row.paymentStatus,
          },
    order:
      row.lockedOrderId === null
        ? null
        : {
            id: row.lockedOrderId,
            status: row.orderStatus,
            paidPaymentId: row.paidPaymentId,
            priceCents: row.orderPriceCents,
            sellerId: row.sellerId,
            productId: row.productId,
          },
  };
}

export interface PaidOrder {
  order: Pick<Order, 'id' | 'priceCents' | 'sellerId' | 'productId'>;
  /** The payment that pays it; null for an order inserted paid (free). */
  paymentId: number | null;
  /** The provider's news stored on that payment in the same statement (`actually_paid` only grows). */
  paymentUpdate: { status: PaymentStatus; actuallyPaid: string | null } | null;
  /** The event that paid it, marked processed. */
  notificationId: number | null;
  escrowSeconds: number;
}

export interface PaidOrderResult {
  /** False when the order was no longer unpaid: nothing was written. */
  paid: boolean;
  /** The payment as updated, when `paymentUpdate` was given. */
  payment: Pick<Payment, 'status' | 'actuallyPaid'> | null;
}

/**
 * Everything a paid order writes, in one statement: the payment's news, the order marked paid
 * (guarded: only from an unpaid status), the seller's payout line in escrow (paid products),
 * the event's outcome and the product's sale. The product row is every sale's hot spot: the sale
 * is a row of its own here, added to the product's counter as the transaction commits
 * (migration 015), so that row is locked for the commit alone.
 */
export async function recordPaidOrder(q: Queryable, paid: PaidOrder): Promise<PaidOrderResult> {
  const { order } = paid;
  const row = await q.one<{ paid: boolean; status: PaymentStatus | null; actuallyPaid: string | null }>(
    `WITH marked AS (
       UPDATE orders SET status = 'paid', paid_at = now(), paid_payment_id = $2, updated_at = now()
       WHERE id = $1::text AND $2::bigint IS NOT NULL AND status = ANY($9::text[])
       RETURNING id
     ), payment AS (
       UPDATE payments p SET status = $7,
         actually_paid = greatest(p.actually_paid, coalesce($8::numeric, 0)), updated_at = now()
       WHERE p.id = $2 AND $7::text IS NOT NULL AND EXISTS (SELECT 1 FROM marked)
       RETURNING p.status, p.actually_paid::text
     ), sale AS (
       SELECT 1 FROM marked UNION ALL SELECT 1 WHERE $2::bigint IS NULL
     ), payout AS (
       INSERT INTO payouts (order_id, seller_id, amount_cents, escrow_until)
       SELECT $1::text, $3::bigint, $4::int, now() + make_interval(secs => $5::float8)
       FROM sale WHERE $4::int > 0
       ON CONFLICT (order_id) DO NOTHING
     ), outcome AS (
       UPDATE payment_notifications SET processed_at = now(), processing_error = NULL
       WHERE id = $10::bigint AND EXISTS (SELECT 1 FROM sale)
     ), counted AS (
       INSERT INTO product_sale_changes (product_id, delta) SELECT $6::text, 1 FROM sale
     )
     SELECT EXISTS (SELECT 1 FROM sale) AS paid, p.status, p.actually_paid AS "actuallyPaid"
     FROM (SELECT) AS one LEFT JOIN payment p ON true`,
    [
      order.id,
      paid.paymentId,
      order.sellerId,
      order.priceCents,
      paid.escrowSeconds,
      order.productId,
      paid.paymentUpdate?.status ?? null,
      paid.paymentUpdate?.actuallyPaid ?? null,
      UNPAID_ORDER_STATUSES,
      paid.notificationId,
    ],
  );
  return {
    paid: row.paid,
    payment: row.status === null ? null : { status: row.status, actuallyPaid: row.actuallyPaid as string },
  };
}
