// Orders: a purchase with its amounts frozen at checkout. Every status change is a guarded
// UPDATE (… WHERE status IN (…)), so a transition already made, or made by a racing caller,
// changes nothing the second time.
import type { Queryable } from '../db/index.ts';
import type { OrderStatus, PriceBreakdown, ProductStatus } from '../domain/index.ts';

export type Order = {
  id: string;
  buyerId: number;
  productId: string;
  sellerId: number;
  productTitle: string;
  priceCents: number;
  feeCents: number;
  totalCents: number;
  status: OrderStatus;
  paidPaymentId: number | null;
  paidAt: Date | null;
  deliveredAt: Date | null;
  /** The buyer could not be reached (blocked the bot, account deleted): delivery waits for them. */
  deliveryBlockedAt: Date | null;
  /** The seller's sale notice is done (sent, or the seller cannot be reached). */
  sellerNotifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

const ORDER_COLUMNS = `
  o.id, o.buyer_id AS "buyerId", o.product_id AS "productId", o.seller_id AS "sellerId",
  o.product_title AS "productTitle", o.price_cents AS "priceCents", o.fee_cents AS "feeCents",
  o.total_cents AS "totalCents", o.status, o.paid_payment_id AS "paidPaymentId", o.paid_at AS "paidAt",
  o.delivered_at AS "deliveredAt", o.delivery_blocked_at AS "deliveryBlockedAt",
  o.seller_notified_at AS "sellerNotifiedAt", o.created_at AS "createdAt", o.updated_at AS "updatedAt"`;

/** Statuses of a checkout still waiting for money. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'waiting', 'partially_paid'];
/** Statuses from which `finished` may still pay an order (see ORDER_MACHINE). */
export const UNPAID_ORDER_STATUSES: readonly OrderStatus[] = [
  'pending',
  'waiting',
  'partially_paid',
  'expired',
  'failed',
  'cancelled',
];

export type ProductForSale = {
  id: string;
  sellerId: number;
  title: string;
  priceCents: number;
  status: ProductStatus;
};

/**
 * The product as checkout needs it, locked until the end of the transaction: a seller cannot
 * deactivate or reprice it between our check and the order insert. A paid product is locked FOR
 * SHARE, so checkouts of it run side by side. A free one is locked FOR NO KEY UPDATE: its order
 * is paid in the same transaction, whose COMMIT updates the product's sale counter, and two
 * checkouts each holding a share lock they then both need to upgrade would deadlock. The free
 * ones of a product take turns instead.
 */
export async function lockProductForSale(q: Queryable, productId: string): Promise<ProductForSale | null> {
  return q.maybeOne<ProductForSale>(
    `WITH price AS (SELECT price_cents FROM products WHERE id = $1),
     free AS (
       SELECT p.id, p.seller_id, p.title, p.price_cents, p.status FROM products p
       WHERE p.id = $1 AND (SELECT price_cents FROM price) = 0 FOR NO KEY UPDATE
     ), paid AS (
       SELECT p.id, p.seller_id, p.title, p.price_cents, p.status FROM products p
       WHERE p.id = $1 AND (SELECT price_cents FROM price) <> 0 FOR SHARE
     )
     SELECT id, seller_id AS "sellerId", title, price_cents AS "priceCents", status
     FROM (SELECT * FROM free UNION ALL SELECT * FROM paid) AS locked`,
    [productId],
  );
}

export type BuyerStanding = { suspended: boolean; suspendedUntil: Date | null };

/**
 * Whether the buyer exists and may buy now (null: unknown user). Locks the user row against the
 * buyer's other checkouts (not against inserts referencing it), so two taps at once cannot both
 * take a free product.
 */
export async function lockBuyerStanding(q: Queryable, buyerId: number): Promise<BuyerStanding | null> {
  return q.maybeOne<BuyerStanding>(
    `SELECT (u.suspended_at IS NOT NULL AND (u.suspended_until IS NULL OR u.suspended_until > now())) AS suspended,
            u.suspended_until AS "suspendedUntil"
     FROM users u WHERE u.id = $1 FOR NO KEY UPDATE`,
    [buyerId],
  );
}

export interface NewOrder {
  id: string;
  buyerId: number;
  product: ProductForSale;
  amounts: PriceBreakdown;
}

/**
 * Inserts the order: `pending`, or `paid` at once when free (nothing to pay). UniqueViolationError
 * `orders_buyer_product_open_key` when the buyer already has an open checkout for the product,
 * `orders_pkey` on an id collision.
 */
export async function insertOrder(q: Queryable, order: NewOrder): Promise<Order> {
  return q.one<Order>(
    `INSERT INTO orders AS o (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents,
                              total_cents, status, paid_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $9 = 'paid' THEN now() END)
     RETURNING ${ORDER_COLUMNS}`,
    [
      order.id,
      order.buyerId,
      order.product.id,
      order.product.sellerId,
      order.product.title,
      order.amounts.priceCents,
      order.amounts.feeCents,
      order.amounts.totalCents,
      order.amounts.free ? 'paid' : 'pending',
    ],
  );
}

export async function getOrder(q: Queryable, orderId: string): Promise<Order | null> {
  return q.maybeOne<Order>(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = $1`, [orderId]);
}

/** The order only when it belongs to `buyerId`: another buyer gets null, as for an unknown id. */
export async function getOrderForBuyer(
  q: Queryable,
  orderId: string,
  buyerId: number,
): Promise<Order | null> {
  return q.maybeOne<Order>(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = $1 AND o.buyer_id = $2`, [
    orderId,
    buyerId,
  ]);
}

/** The buyer's checkout for this product that is still waiting for money, if any. */
export async function findOpenOrder(q: Queryable, buyerId: number, productId: string): Promise<Order | null> {
  return q.maybeOne<Order>(
    `SELECT ${ORDER_COLUMNS} FROM orders o
     WHERE o.buyer_id = $1 AND o.product_id = $2 AND o.status = ANY($3::text[])`,
    [buyerId, productId, OPEN_ORDER_STATUSES],
  );
}

/** The buyer's paid order for this product, if any (already owned). */
export async function findPaidOrder(q: Queryable, buyerId: number, productId: string): Promise<Order | null> {
  return q.maybeOne<Order>(
    `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.buyer_id = $1 AND o.product_id = $2 AND o.status = 'paid'
     ORDER BY o.paid_at LIMIT 1`,
    [buyerId, productId],
  );
}

/**
 * Moves the order to `to` only if its status is one of `from`. False when it was not (already
 * moved, by us or by a racing caller).
 */
export async function moveOrder(
  q: Queryable,
  orderId: string,
  from: readonly OrderStatus[],
  to: Exclude<OrderStatus, 'paid'>,
): Promise<boolean> {
  const count = await q.exec(
    `UPDATE orders SET status = $3, updated_at = now() WHERE id = $1 AND status = ANY($2::text[])`,
    [orderId, from, to],
  );
  return count === 1;
}

/** Stamps delivery once; false when already delivered or not paid. */
export async function markOrderDelivered(q: Queryable, orderId: string): Promise<boolean> {
  const count = await q.exec(
    `UPDATE orders SET delivered_at = now(), delivery_blocked_at = NULL, updated_at = now()
     WHERE id = $1 AND status = 'paid' AND delivered_at IS NULL`,
    [orderId],
  );
  return count === 1;
}

/** The buyer cannot be reached: the order waits, undelivered, until they are back. */
export async function markDeliveryBlocked(q: Queryable, orderId: string): Promise<boolean> {
  const count = await q.exec(
    `UPDATE orders SET delivery_blocked_at = now(), updated_at = now()
     WHERE id = $1 AND status = 'paid' AND delivered_at IS NULL`,
    [orderId],
  );
  return count === 1;
}

/** The sale notice is done; false when it already was (a retried job sends nothing twice). */
export async function markSellerNotified(q: Queryable, orderId: string): Promise<boolean> {
  return (
    (await q.exec(
      'UPDATE orders SET seller_notified_at = now() WHERE id = $1 AND seller_notified_at IS NULL',
      [orderId],
    )) === 1
  );
}

/**
 * The buyer's deliveries that waited for them, made pending again (locked until the end of the
 * transaction, in which the caller queues them); returns their ids.
 */
export async function unblockDeliveries(q: Queryable, buyerId: number): Promise<string[]> {
  const rows = await q.rows<[string]>(
    `UPDATE orders SET delivery_blocked_at = NULL, updated_at = now()
     WHERE buyer_id = $1 AND delivery_blocked_at IS NOT NULL AND status = 'paid' AND delivered_at IS NULL
     RETURNING id`,
    [buyerId],
  );
  return rows.map(([id]) => id);
}

/**
 * Takes back the sale of a refunded order. Like a sale, the change reaches the product's counter
 * as the transaction commits (migration 015): the product row is locked for the commit alone.
 */
export async function uncountProductSale(q: Queryable, productId: string): Promise<void> {
  await q.exec('INSERT INTO product_sale_changes (product_id, delta) VALUES ($1, -1)', [productId]);
}

export interface ExpiryRule {
  /** A `pending` order (no payment created) expires this long after its creation. */
  pendingTtlSeconds: number;
  /** At most this many orders per call. */
  limit: number;
}

/**
 * Marks expired the open orders nobody can pay any more: every payment of theirs is past the
 * provider's expiry (or a pending order without payment is older than the TTL). Rows locked by
 * a completing payment are skipped and looked at next time. Returns the expired ids.
 */
export async function expireUnpaidOrders(q: Queryable, rule: ExpiryRule): Promise<string[]> {
  const rows = await q.many<{ id: string }>(
    `WITH due AS (
       SELECT o.id FROM orders o
       WHERE o.status = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.expires_at > now())
         AND (EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)
              OR o.created_at < now() - make_interval(secs => $2))
       ORDER BY o.created_at
       LIMIT $3
       FOR UPDATE SKIP LOCKED
     )
     UPDATE orders o SET status = 'expired', updated_at = now() FROM due WHERE o.id = due.id
     RETURNING o.id`,
    [OPEN_ORDER_STATUSES, rule.pendingTtlSeconds, rule.limit],
  );
  return rows.map((row) => row.id);
}

/** The user's latest orders as a buyer, any status (the admin user card). */
export async function listBuyerOrders(q: Queryable, buyerId: number, limit: number): Promise<Order[]> {
  return q.many<Order>(
    `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.buyer_id = $1 ORDER BY o.created_at DESC, o.id LIMIT $2`,
    [buyerId, limit],
  );
}

/** The seller's latest paid sales (the admin user card). */
export async function listSellerSales(q: Queryable, sellerId: number, limit: number): Promise<Order[]> {
  return q.many<Order>(
    `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.seller_id = $1 AND o.status = 'paid'
     ORDER BY o.paid_at DESC, o.id LIMIT $2`,
    [sellerId, limit],
  );
}

export type OrderExportRow = Order & { payCurrency: string | null };

/** Orders for the CSV export, newest first, with the coin of the payment that paid them. */
export async function exportOrders(q: Queryable, limit: number): Promise<OrderExportRow[]> {
  return q.many<OrderExportRow>(
    `SELECT ${ORDER_COLUMNS}, pm.pay_currency AS "payCurrency"
     FROM orders o LEFT JOIN payments pm ON pm.id = o.paid_payment_id
     ORDER BY o.created_at DESC, o.id LIMIT $1`,
    [Math.max(1, Math.trunc(limit))],
  );
}
