// A seller's numbers: the dashboard totals, sales per day (empty days as zeros), best sellers.
import type { Queryable } from '../db/index.ts';
import type { ProductStatus } from '../domain/index.ts';
import { pageBounds } from './paging.ts';

export type SellerDashboard = {
  /** Every product but deleted ones. */
  productsTotal: number;
  productsActive: number;
  productsDraft: number;
  productsInactive: number;
  productsBanned: number;
  viewsCount: number;
  /** Paid orders (refunded ones excluded). */
  salesCount: number;
  /** What the seller earned on them: listed prices, fees excluded. */
  revenueCents: number;
  storageBytes: number;
};

export async function getSellerDashboard(q: Queryable, sellerId: number): Promise<SellerDashboard> {
  return q.one<SellerDashboard>(
    `SELECT
       count(*) FILTER (WHERE p.status <> 'deleted')::int AS "productsTotal",
       count(*) FILTER (WHERE p.status = 'active')::int AS "productsActive",
       count(*) FILTER (WHERE p.status = 'draft')::int AS "productsDraft",
       count(*) FILTER (WHERE p.status = 'inactive')::int AS "productsInactive",
       count(*) FILTER (WHERE p.status = 'banned')::int AS "productsBanned",
       coalesce(sum(p.views_count) FILTER (WHERE p.status <> 'deleted'), 0)::int AS "viewsCount",
       (SELECT count(*) FROM orders o WHERE o.seller_id = $1 AND o.status = 'paid')::int AS "salesCount",
       (SELECT coalesce(sum(o.price_cents), 0) FROM orders o WHERE o.seller_id = $1 AND o.status = 'paid')
         AS "revenueCents",
       (SELECT coalesce(sum(f.size_bytes), 0) FROM stored_files f WHERE f.owner_id = $1 AND f.deleted_at IS NULL)::int8
         AS "storageBytes"
     FROM products p WHERE p.seller_id = $1`,
    [sellerId],
  );
}

export type DailySales = {
  /** UTC calendar day, 'YYYY-MM-DD'. */
  day: string;
  revenueCents: number;
  sales: number;
};

export const ANALYTICS_DAYS = 30;

/**
 * Paid sales per UTC day over the last `days` days, today included, oldest first: one entry per
 * day, zeros where nothing sold, so a chart never skips a day. Of a seller or of one product.
 */
export async function dailySales(
  q: Queryable,
  of: { sellerId: number } | { productId: string },
  days = ANALYTICS_DAYS,
): Promise<DailySales[]> {
  const span = Math.min(Math.max(Math.trunc(days) || ANALYTICS_DAYS, 1), 366);
  const filter = 'sellerId' in of ? 'o.seller_id = $1' : 'o.product_id = $1';
  const key = 'sellerId' in of ? of.sellerId : of.productId;
  return q.many<DailySales>(
    `WITH bounds AS (SELECT (now() AT TIME ZONE 'UTC')::date - ($2::int - 1) AS first_day),
     days AS (
       SELECT generate_series(first_day, first_day + ($2::int - 1), interval '1 day')::date AS day FROM bounds
     ),
     sold AS (
       SELECT (o.paid_at AT TIME ZONE 'UTC')::date AS day, sum(o.price_cents) AS revenue, count(*) AS sales
       FROM orders o, bounds
       WHERE ${filter} AND o.status = 'paid' AND o.paid_at >= (bounds.first_day::timestamp AT TIME ZONE 'UTC')
       GROUP BY 1
     )
     SELECT to_char(days.day, 'YYYY-MM-DD') AS day, coalesce(sold.revenue, 0) AS "revenueCents",
       coalesce(sold.sales, 0)::int AS sales
     FROM days LEFT JOIN sold USING (day) ORDER BY days.day`,
    [key, span],
  );
}

export type TopProduct = {
  id: string;
  title: string;
  status: ProductStatus;
  sales: number;
  revenueCents: number;
};

/** The seller's best products by revenue over all time (paid orders), then by sales. */
export async function topProducts(q: Queryable, sellerId: number, limit = 5): Promise<TopProduct[]> {
  return q.many<TopProduct>(
    `SELECT p.id, p.title, p.status, count(*)::int AS sales, sum(o.price_cents) AS "revenueCents"
     FROM orders o JOIN products p ON p.id = o.product_id
     WHERE o.seller_id = $1 AND o.status = 'paid'
     GROUP BY p.id ORDER BY sum(o.price_cents) DESC, count(*) DESC, p.id LIMIT $2`,
    [sellerId, pageBounds({ limit }, 5).limit],
  );
}
