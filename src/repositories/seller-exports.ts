// What a seller exports for their books: their sales with fees and payout status, and their
// products with their numbers. Newest first, bounded.
import type { Queryable } from '../db/index.ts';
import type { ProductStatus } from '../domain/index.ts';

export type SaleLine = {
  paidAt: Date;
  orderId: string;
  productId: string;
  /** The title as bought. */
  productTitle: string;
  /** What the seller earns (the listed price) and the platform fee the buyer paid on top. */
  priceCents: number;
  feeCents: number;
  /** paid or refunded. */
  status: string;
  /** escrow, available, paid or cancelled; null for a free product (no payout). */
  payoutStatus: string | null;
  payoutPaidAt: Date | null;
  payoutTxHash: string | null;
  /** When the buyer got the file; null while the delivery waits. */
  deliveredAt: Date | null;
  /** Since when the delivery waits because the buyer cannot be reached (blocked the bot). */
  deliveryBlockedAt: Date | null;
};

/** Every order of the seller that was paid (refunded ones included), newest first. */
export async function sellerSaleLines(q: Queryable, sellerId: number, limit: number): Promise<SaleLine[]> {
  return q.many<SaleLine>(
    `SELECT o.paid_at AS "paidAt", o.id AS "orderId", o.product_id AS "productId",
       o.product_title AS "productTitle", o.price_cents AS "priceCents", o.fee_cents AS "feeCents", o.status,
       po.status AS "payoutStatus", po.paid_at AS "payoutPaidAt", po.tx_hash AS "payoutTxHash",
       o.delivered_at AS "deliveredAt", o.delivery_blocked_at AS "deliveryBlockedAt"
     FROM orders o LEFT JOIN payouts po ON po.order_id = o.id
     WHERE o.seller_id = $1 AND o.paid_at IS NOT NULL
     ORDER BY o.paid_at DESC, o.id LIMIT $2`,
    [sellerId, limit],
  );
}

export type ProductLine = {
  id: string;
  title: string;
  categorySlug: string;
  status: ProductStatus;
  priceCents: number;
  views: number;
  sales: number;
  revenueCents: number;
  rating: number | null;
  reviews: number;
  /** The latest published file version; null for a draft without a file. */
  version: number | null;
  createdAt: Date;
  banReason: string | null;
};

/** The seller's products but deleted ones, newest first, with their all-time numbers. */
export async function sellerProductLines(
  q: Queryable,
  sellerId: number,
  limit: number,
): Promise<ProductLine[]> {
  return q.many<ProductLine>(
    `SELECT p.id, p.title, c.slug AS "categorySlug", p.status, p.price_cents AS "priceCents",
       p.views_count AS views, p.sales_count AS sales,
       (SELECT coalesce(sum(o.price_cents), 0) FROM orders o WHERE o.product_id = p.id AND o.status = 'paid')
         AS "revenueCents",
       p.rating::float8 AS rating, p.reviews_count + p.imported_reviews_count AS reviews,
       (SELECT max(v.version) FROM product_file_versions v WHERE v.product_id = p.id) AS version,
       p.created_at AS "createdAt", p.ban_reason AS "banReason"
     FROM products p JOIN categories c ON c.id = p.category_id
     WHERE p.seller_id = $1 AND p.status <> 'deleted'
     ORDER BY p.created_at DESC, p.id LIMIT $2`,
    [sellerId, limit],
  );
}
