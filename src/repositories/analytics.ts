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

/** What happened on one UTC day, for a seller or one product. */
export type DailyActivity = {
  /** UTC calendar day, 'YYYY-MM-DD'. */
  day: string;
  /** Paid orders (refunded ones excluded) and what the seller earned on them (listed prices). */
  revenueCents: number;
  sales: number;
  /** Detail views by someone else than the seller. */
  views: number;
  /** Reviews posted that day and the sum of their stars. */
  reviews: number;
  stars: number;
};

export type ActivityScope = { sellerId: number } | { productId: string };

/** Longest series asked for: two 90-day periods, and some room. */
export const MAX_ACTIVITY_DAYS = 366;

/**
 * The last `days` UTC days, today included, oldest first: one entry per day, zeros where
 * nothing happened, so a chart never skips a day. Of a seller or of one product.
 */
export async function dailyActivity(q: Queryable, of: ActivityScope, days: number): Promise<DailyActivity[]> {
  const span = Math.min(Math.max(Math.trunc(days) || 1, 1), MAX_ACTIVITY_DAYS);
  const bySeller = 'sellerId' in of;
  const key = bySeller ? of.sellerId : of.productId;
  const orderFilter = bySeller ? 'o.seller_id = $1' : 'o.product_id = $1';
  const productFilter = bySeller ? 'p.seller_id = $1' : 'p.id = $1';
  return q.many<DailyActivity>(
    `WITH bounds AS (
       SELECT first_day, (first_day::timestamp AT TIME ZONE 'UTC') AS since
       FROM (SELECT (now() AT TIME ZONE 'UTC')::date - ($2::int - 1) AS first_day) d
     ),
     days AS (
       SELECT generate_series(first_day, first_day + ($2::int - 1), interval '1 day')::date AS day FROM bounds
     ),
     sold AS (
       SELECT (o.paid_at AT TIME ZONE 'UTC')::date AS day, sum(o.price_cents) AS revenue, count(*) AS sales
       FROM orders o, bounds WHERE ${orderFilter} AND o.status = 'paid' AND o.paid_at >= bounds.since
       GROUP BY 1
     ),
     viewed AS (
       SELECT v.day, sum(v.views) AS views
       FROM product_daily_views v JOIN products p ON p.id = v.product_id, bounds
       WHERE ${productFilter} AND v.day >= bounds.first_day
       GROUP BY 1
     ),
     rated AS (
       SELECT (r.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS reviews, sum(r.rating) AS stars
       FROM reviews r JOIN products p ON p.id = r.product_id, bounds
       WHERE ${productFilter} AND r.created_at >= bounds.since
       GROUP BY 1
     )
     SELECT to_char(days.day, 'YYYY-MM-DD') AS day, coalesce(sold.revenue, 0) AS "revenueCents",
       coalesce(sold.sales, 0)::int AS sales, coalesce(viewed.views, 0)::int AS views,
       coalesce(rated.reviews, 0)::int AS reviews, coalesce(rated.stars, 0)::int AS stars
     FROM days LEFT JOIN sold USING (day) LEFT JOIN viewed USING (day) LEFT JOIN rated USING (day)
     ORDER BY days.day`,
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

/**
 * The seller's best products by revenue (paid orders), then by sales: over the last `days` UTC
 * days, today included, or over all time when `days` is null.
 */
export async function topProducts(
  q: Queryable,
  sellerId: number,
  limit = 5,
  days: number | null = null,
): Promise<TopProduct[]> {
  return q.many<TopProduct>(
    `SELECT p.id, p.title, p.status, count(*)::int AS sales, sum(o.price_cents) AS "revenueCents"
     FROM orders o JOIN products p ON p.id = o.product_id
     WHERE o.seller_id = $1 AND o.status = 'paid'
       AND ($3::int IS NULL
            OR o.paid_at >= (((now() AT TIME ZONE 'UTC')::date - ($3::int - 1))::timestamp AT TIME ZONE 'UTC'))
     GROUP BY p.id ORDER BY sum(o.price_cents) DESC, count(*) DESC, p.id LIMIT $2`,
    [sellerId, pageBounds({ limit }, 5).limit, days],
  );
}
