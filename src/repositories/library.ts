// A buyer's library: every paid purchase, newest first, kept when the seller deletes the product.
import type { Queryable } from '../db/index.ts';
import type { ProductStatus } from '../domain/index.ts';
import { type Page, type PageRequest, pageBounds } from './paging.ts';

export type Purchase = {
  orderId: string;
  productId: string;
  /** The product's current title; the title as bought when the product was deleted. */
  title: string;
  productStatus: ProductStatus;
  sellerId: number;
  sellerName: string;
  priceCents: number;
  totalCents: number;
  paidAt: Date;
  /** The latest file version the buyer may download (null when none is stored any more). */
  version: number | null;
  fileName: string | null;
  sizeBytes: number | null;
  /** The version this order bought, and whether its file is still stored. */
  boughtVersion: number | null;
  boughtStored: boolean;
  downloads: number;
  lastDownloadAt: Date | null;
  /** Whether this buyer already reviewed the product. */
  reviewed: boolean;
};

const PURCHASE_SELECT = `
  SELECT o.id AS "orderId", o.product_id AS "productId",
         CASE WHEN p.status = 'deleted' THEN o.product_title ELSE p.title END AS title,
         p.status AS "productStatus", o.seller_id AS "sellerId", s.name AS "sellerName",
         o.price_cents AS "priceCents", o.total_cents AS "totalCents", o.paid_at AS "paidAt",
         latest.version, latest.file_name AS "fileName", latest.size_bytes AS "sizeBytes",
         bought.version AS "boughtVersion", coalesce(bought_file.deleted_at IS NULL, false) AS "boughtStored",
         d.downloads, d.last_at AS "lastDownloadAt",
         EXISTS (SELECT 1 FROM reviews r WHERE r.buyer_id = o.buyer_id AND r.product_id = o.product_id) AS reviewed
  FROM orders o
  JOIN products p ON p.id = o.product_id
  JOIN seller_profiles s ON s.user_id = o.seller_id
  LEFT JOIN product_file_versions bought ON bought.id = o.file_version_id
  LEFT JOIN stored_files bought_file ON bought_file.id = bought.file_id
  -- The newest version this order may get (its own or a later one) still in storage.
  LEFT JOIN LATERAL (
    SELECT v.version, f.original_name AS file_name, f.size_bytes AS size_bytes
    FROM product_file_versions v JOIN stored_files f ON f.id = v.file_id AND f.deleted_at IS NULL
    WHERE v.product_id = o.product_id AND v.version >= coalesce(bought.version, 1)
    ORDER BY v.version DESC LIMIT 1
  ) latest ON true
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS downloads, max(e.created_at) AS last_at FROM download_events e WHERE e.order_id = o.id
  ) d`;

/** The buyer's paid orders, most recently paid first. */
export async function listLibrary(
  q: Queryable,
  buyerId: number,
  paging: PageRequest = {},
): Promise<Page<Purchase>> {
  const { limit, offset } = pageBounds(paging, 10);
  const [items, count] = await Promise.all([
    q.many<Purchase>(
      `${PURCHASE_SELECT} WHERE o.buyer_id = $1 AND o.status = 'paid'
       ORDER BY o.paid_at DESC, o.id DESC LIMIT $2 OFFSET $3`,
      [buyerId, limit, offset],
    ),
    q.one<{ total: number }>(
      `SELECT count(*)::int AS total FROM orders WHERE buyer_id = $1 AND status = 'paid'`,
      [buyerId],
    ),
  ]);
  return { items, total: count.total, limit, offset };
}

/** One paid purchase of this buyer; null for an unpaid order or someone else's. */
export async function getPurchase(q: Queryable, buyerId: number, orderId: string): Promise<Purchase | null> {
  return q.maybeOne<Purchase>(
    `${PURCHASE_SELECT} WHERE o.id = $1 AND o.buyer_id = $2 AND o.status = 'paid'`,
    [orderId, buyerId],
  );
}
