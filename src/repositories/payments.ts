// NOWPayments payments of an order. Crypto amounts stay decimal strings (PostgreSQL numeric),
// never floats; the provider's status is stored as the provider last reported it.
import type { Queryable } from '../db/index.ts';
import type { PaymentStatus } from '../domain/index.ts';

export type Payment = {
  id: number;
  providerPaymentId: string;
  orderId: string;
  payCurrency: string;
  payAddress: string;
  /** Decimal strings, exact. */
  payAmount: string;
  actuallyPaid: string;
  priceCents: number;
  priceCurrency: string;
  status: PaymentStatus;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
};

const PAYMENT_COLUMNS = `
  p.id, p.provider_payment_id AS "providerPaymentId", p.order_id AS "orderId",
  p.pay_currency AS "payCurrency", p.pay_address AS "payAddress", p.pay_amount::text AS "payAmount",
  p.actually_paid::text AS "actuallyPaid", p.price_cents AS "priceCents", p.price_currency AS "priceCurrency",
  p.status, p.expires_at AS "expiresAt", p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;

/** Provider statuses in which the buyer may still send (more) coins to the address. */
export const PAYABLE_PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'waiting',
  'confirming',
  'confirmed',
  'sending',
  'partially_paid',
];

export interface NewPayment {
  providerPaymentId: string;
  orderId: string;
  payCurrency: string;
  payAddress: string;
  payAmount: string;
  actuallyPaid: string | null;
  priceCents: number;
  status: PaymentStatus;
  expiresAt: Date;
}

/** UniqueViolationError `payments_provider_payment_id_key` when this provider payment is already stored. */
export async function insertPayment(q: Queryable, payment: NewPayment): Promise<Payment> {
  return q.one<Payment>(
    `INSERT INTO payments AS p (provider_payment_id, order_id, pay_currency, pay_address, pay_amount,
                                actually_paid, price_cents, status, expires_at)
     VALUES ($1, $2, $3, $4, $5, coalesce($6::numeric, 0), $7, $8, $9)
     RETURNING ${PAYMENT_COLUMNS}`,
    [
      payment.providerPaymentId,
      payment.orderId,
      payment.payCurrency,
      payment.payAddress,
      payment.payAmount,
      payment.actuallyPaid,
      payment.priceCents,
      payment.status,
      payment.expiresAt,
    ],
  );
}

/**
 * The latest payment of the order in this coin that the buyer can still pay: same address and
 * amount are shown again instead of creating a second payment.
 */
export async function findReusablePayment(
  q: Queryable,
  orderId: string,
  payCurrency: string,
): Promise<Payment | null> {
  return q.maybeOne<Payment>(
    `SELECT ${PAYMENT_COLUMNS} FROM payments p
     WHERE p.order_id = $1 AND p.pay_currency = $2 AND p.status = ANY($3::text[]) AND p.expires_at > now()
     ORDER BY p.created_at DESC LIMIT 1`,
    [orderId, payCurrency, PAYABLE_PAYMENT_STATUSES],
  );
}

/** Payments of an order, latest first. */
export async function listOrderPayments(q: Queryable, orderId: string): Promise<Payment[]> {
  return q.many<Payment>(
    `SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.order_id = $1 ORDER BY p.created_at DESC, p.id DESC`,
    [orderId],
  );
}

/**
 * Stores what the provider reports. `actually_paid` only grows: a stale report never lowers
 * the amount received.
 */
export async function updatePaymentFromProvider(
  q: Queryable,
  paymentId: number,
  update: { status: PaymentStatus; actuallyPaid: string | null },
): Promise<Payment> {
  return q.one<Payment>(
    `UPDATE payments p SET status = $2,
       actually_paid = greatest(p.actually_paid, coalesce($3::numeric, 0)), updated_at = now()
     WHERE p.id = $1 RETURNING ${PAYMENT_COLUMNS}`,
    [paymentId, update.status, update.actuallyPaid],
  );
}
