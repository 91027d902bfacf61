// Products: what sellers list. Catalog, storefront and search show `active` products of sellers
// who are not suspended; detail and "my products" show every status to whom may see it.
import type { Queryable } from '../db/index.ts';
import { type ProductStatus, tryParseId } from '../domain/index.ts';
import type { StoredFileKind } from './files.ts';
import { likePattern, type Page, type PageRequest, pageBounds } from './paging.ts';
import { SUSPENDED_SQL } from './users.ts';

export type Product = {
  id: string;
  sellerId: number;
  categoryId: number;
  title: string;
  description: string;
  priceCents: number;
  status: ProductStatus;
  banReason: string | null;
  bannedAt: Date | null;
  bannedBy: number | null;
  deletedAt: Date | null;
  mainFileId: number | null;
  coverFileId: number | null;
  previewFileId: number | null;
  viewsCount: number;
  salesCount: number;
  /** Local and imported reviews. */
  reviewsCount: number;
  /** Weighted average of imported and local reviews; null without any. */
  rating: number | null;
  createdAt: Date;
  updatedAt: Date;
};

const PRODUCT_COLUMNS = `
  p.id, p.seller_id::float8 AS "sellerId", p.category_id AS "categoryId", p.title, p.description,
  p.price_cents AS "priceCents", p.status, p.ban_reason AS "banReason", p.banned_at AS "bannedAt",
  p.banned_by::float8 AS "bannedBy", p.deleted_at AS "deletedAt", p.main_file_id::float8 AS "mainFileId",
  p.cover_file_id::float8 AS "coverFileId", p.preview_file_id::float8 AS "previewFileId",
  p.views_count AS "viewsCount", p.sales_count AS "salesCount",
  p.reviews_count + p.imported_reviews_count AS "reviewsCount", p.rating::float8 AS rating,
  p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;

export interface NewProduct {
  id: string;
  sellerId: number;
  categoryId: number;
  title: string;
  description: string;
  priceCents: number;
}

/** A draft. UniqueViolationError `products_pkey` on an id clash (the caller draws another id). */
export async function insertProduct(q: Queryable, product: NewProduct): Promise<Product> {
  return q.one<Product>(
    `INSERT INTO products AS p (id, seller_id, category_id, title, description, price_cents)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${PRODUCT_COLUMNS}`,
    [
      product.id,
      product.sellerId,
      product.categoryId,
      product.title,
      product.description,
      product.priceCents,
    ],
  );
}

export async function getProduct(q: Queryable, id: string): Promise<Product | null> {
  return q.maybeOne<Product>(`SELECT ${PRODUCT_COLUMNS} FROM products p WHERE p.id = $1`, [id]);
}

/** Locks the row until the end of the transaction: status changes and deletion. */
export async function lockProduct(q: Queryable, id: string): Promise<Product | null> {
  return q.maybeOne<Product>(`SELECT ${PRODUCT_COLUMNS} FROM products p WHERE p.id = $1 FOR UPDATE`, [id]);
}

export type ProductDetail = Product & {
  sellerName: string;
  /** The seller is suspended now: the product is not for sale meanwhile. */
  sellerSuspended: boolean;
  categorySlug: string;
  categoryNameFr: string;
  categoryNameEn: string;
  categoryEmoji: string;
  fileName: string | null;
  fileSizeBytes: number | null;
};

/** Any status: the caller decides who may see what (buyers: active only; owner and admins: all). */
export async function getProductDetail(q: Queryable, id: string): Promise<ProductDetail | null> {
  return q.maybeOne<ProductDetail>(
    `SELECT ${PRODUCT_COLUMNS}, s.name AS "sellerName", ${SUSPENDED_SQL} AS "sellerSuspended",
       c.slug AS "categorySlug", c.name_fr AS "categoryNameFr", c.name_en AS "categoryNameEn",
       c.emoji AS "categoryEmoji", f.original_name AS "fileName", f.size_bytes::float8 AS "fileSizeBytes"
     FROM products p
     JOIN seller_profiles s ON s.user_id = p.seller_id
     JOIN users u ON u.id = p.seller_id
     JOIN categories c ON c.id = p.category_id
     LEFT JOIN stored_files f ON f.id = p.main_file_id
     WHERE p.id = $1`,
    [id],
  );
}

/** What a catalog card, a storefront line or a search hit shows (badges come from these counters). */
export type ProductCard = {
  id: string;
  title: string;
  priceCents: number;
  categoryId: number;
  sellerId: number;
  sellerName: string;
  viewsCount: number;
  salesCount: number;
  reviewsCount: number;
  rating: number | null;
  coverFileId: number | null;
  fileSizeBytes: number | null;
  createdAt: Date;
};

const CARD_COLUMNS = `
  p.id, p.title, p.price_cents AS "priceCents", p.category_id AS "categoryId", p.seller_id::float8 AS "sellerId",
  s.name AS "sellerName", p.views_count AS "viewsCount", p.sales_count AS "salesCount",
  p.reviews_count + p.imported_reviews_count AS "reviewsCount", p.rating::float8 AS rating,
  p.cover_file_id::float8 AS "coverFileId", f.size_bytes::float8 AS "fileSizeBytes", p.created_at AS "createdAt"`;

const LISTED_FROM = `
  products p
  JOIN seller_profiles s ON s.user_id = p.seller_id
  JOIN users u ON u.id = p.seller_id
  LEFT JOIN stored_files f ON f.id = p.main_file_id`;

const LISTED = `p.status = 'active' AND NOT ${SUSPENDED_SQL}`;

async function listedPage(
  q: Queryable,
  where: string,
  values: unknown[],
  page: PageRequest,
  orderBy: string,
): Promise<Page<ProductCard>> {
  const { limit, offset } = pageBounds(page, 10);
  const n = values.length;
  const [items, count] = await Promise.all([
    q.many<ProductCard>(
      `SELECT ${CARD_COLUMNS} FROM ${LISTED_FROM} WHERE ${LISTED} AND ${where}
       ORDER BY ${orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...values, limit, offset],
    ),
    q.one<{ total: number }>(
      `SELECT count(*)::int AS total FROM products p JOIN users u ON u.id = p.seller_id WHERE ${LISTED} AND ${where}`,
      values,
    ),
  ]);
  return { items, total: count.total, limit, offset };
}

/** A category's carousel: best sellers first, then newest. */
export async function listCatalog(
  q: Queryable,
  categoryId: number,
  page: PageRequest = {},
): Promise<Page<ProductCard>> {
  return listedPage(
    q,
    'p.category_id = $1',
    [categoryId],
    page,
    'p.sales_count DESC, p.created_at DESC, p.id',
  );
}

/** A seller's shop (`?start=shop_<id>`): newest first. */
export async function listStorefront(
  q: Queryable,
  sellerId: number,
  page: PageRequest = {},
): Promise<Page<ProductCard>> {
  return listedPage(q, 'p.seller_id = $1', [sellerId], page, 'p.created_at DESC, p.id');
}

const MAX_SEARCH_WORDS = 8;
const MAX_SEARCH_LENGTH = 200;

/**
 * Search typed anywhere. A product id in any form people type ("p-7k3m 9qxd4t") finds that
 * product; otherwise every word must appear in the title or description, any case or accent.
 * Ranked: every word in the title first, then closeness of the words, then best sellers.
 */
export async function searchProducts(q: Queryable, text: string, limit = 10): Promise<ProductCard[]> {
  const query = text.trim().slice(0, MAX_SEARCH_LENGTH);
  if (query === '') return [];
  const { limit: max } = pageBounds({ limit }, 10);
  const id = tryParseId('product', query);
  if (id) {
    const hit = await q.many<ProductCard>(
      `SELECT ${CARD_COLUMNS} FROM ${LISTED_FROM} WHERE ${LISTED} AND p.id = $1`,
      [id],
    );
    if (hit.length > 0) return hit;
  }
  const words = query.split(/\s+/).slice(0, MAX_SEARCH_WORDS);
  const patterns = words.map(likePattern);
  const inText = patterns.map((_, i) => `p.search_text LIKE search_normalize($${i + 3})`).join(' AND ');
  const inTitle = patterns
    .map((_, i) => `search_normalize(p.title) LIKE search_normalize($${i + 3})`)
    .join(' AND ');
  return q.many<ProductCard>(
    `SELECT ${CARD_COLUMNS} FROM ${LISTED_FROM}
     WHERE ${LISTED} AND ${inText}
     ORDER BY (${inTitle}) DESC, word_similarity(search_normalize($1), p.search_text) DESC,
       p.sales_count DESC, p.created_at DESC, p.id
     LIMIT $2`,
    [query, max, ...patterns],
  );
}

export type SellerProductStats = Product & {
  /** Sales per 100 detail views, one decimal; null before the first view. */
  conversionPercent: number | null;
};

/** "My products": every status but deleted, newest first, with performance. */
export async function listSellerProducts(
  q: Queryable,
  sellerId: number,
  page: PageRequest = {},
): Promise<Page<SellerProductStats>> {
  const { limit, offset } = pageBounds(page, 10);
  const [items, count] = await Promise.all([
    q.many<SellerProductStats>(
      `SELECT ${PRODUCT_COLUMNS},
         round(100.0 * p.sales_count / nullif(p.views_count, 0), 1)::float8 AS "conversionPercent"
       FROM products p WHERE p.seller_id = $1 AND p.status <> 'deleted'
       ORDER BY p.created_at DESC, p.id LIMIT $2 OFFSET $3`,
      [sellerId, limit, offset],
    ),
    q.one<{ total: number }>(
      `SELECT count(*)::int AS total FROM products p WHERE p.seller_id = $1 AND p.status <> 'deleted'`,
      [sellerId],
    ),
  ]);
  return { items, total: count.total, limit, offset };
}

export interface ProductPatch {
  title?: string;
  description?: string;
  priceCents?: number;
}

export async function updateProduct(q: Queryable, id: string, patch: ProductPatch): Promise<Product | null> {
  return q.maybeOne<Product>(
    `UPDATE products p SET title = coalesce($2, p.title), description = coalesce($3, p.description),
       price_cents = coalesce($4, p.price_cents), updated_at = now()
     WHERE p.id = $1 RETURNING ${PRODUCT_COLUMNS}`,
    [id, patch.title ?? null, patch.description ?? null, patch.priceCents ?? null],
  );
}

/** Points the product at a stored file of the given kind (the previous one stays in storage). */
export async function setProductFile(
  q: Queryable,
  id: string,
  kind: StoredFileKind,
  storedFileId: number,
): Promise<Product | null> {
  const column = { file: 'main_file_id', cover: 'cover_file_id', preview: 'preview_file_id' }[kind];
  return q.maybeOne<Product>(
    `UPDATE products p SET ${column} = $2, updated_at = now() WHERE p.id = $1 RETURNING ${PRODUCT_COLUMNS}`,
    [id, storedFileId],
  );
}

/**
 * Moves to draft, active or inactive and clears any ban (an admin's restore). The transition
 * rules are the services' job; CheckViolationError `products_main_file_check` without a file.
 */
export async function setProductStatus(
  q: Queryable,
  id: string,
  status: 'draft' | 'active' | 'inactive',
): Promise<Product | null> {
  return q.maybeOne<Product>(
    `UPDATE products p SET status = $2, ban_reason = NULL, banned_at = NULL, banned_by = NULL, updated_at = now()
     WHERE p.id = $1 RETURNING ${PRODUCT_COLUMNS}`,
    [id, status],
  );
}

export async function banProduct(
  q: Queryable,
  id: string,
  reason: string,
  adminId: number,
): Promise<Product | null> {
  return q.maybeOne<Product>(
    `UPDATE products p SET status = 'banned', ban_reason = $2, banned_at = now(), banned_by = $3, updated_at = now()
     WHERE p.id = $1 RETURNING ${PRODUCT_COLUMNS}`,
    [id, reason, adminId],
  );
}

/** Off every listing for good; orders, reviews and downloads keep pointing at it. */
export async function softDeleteProduct(q: Queryable, id: string): Promise<Product | null> {
  return q.maybeOne<Product>(
    `UPDATE products p SET status = 'deleted', deleted_at = now(), updated_at = now()
     WHERE p.id = $1 RETURNING ${PRODUCT_COLUMNS}`,
    [id],
  );
}

/** Removes the row: ForeignKeyViolationError `orders_product_id_fkey` when it has orders. */
export async function hardDeleteProduct(q: Queryable, id: string): Promise<boolean> {
  return (await q.exec('DELETE FROM products WHERE id = $1', [id])) === 1;
}

export async function productHasOrders(q: Queryable, id: string): Promise<boolean> {
  const row = await q.one<{ found: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM orders WHERE product_id = $1) AS found',
    [id],
  );
  return row.found;
}

/** A detail view. Not in the viewer's transaction on purpose: a lost view is harmless. */
export async function incrementProductViews(q: Queryable, id: string): Promise<void> {
  await q.exec('UPDATE products SET views_count = views_count + 1 WHERE id = $1', [id]);
}

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
       (SELECT coalesce(sum(o.price_cents), 0) FROM orders o WHERE o.seller_id = $1 AND o.status = 'paid')::float8
         AS "revenueCents",
       (SELECT coalesce(sum(f.size_bytes), 0) FROM stored_files f WHERE f.owner_id = $1 AND f.deleted_at IS NULL)::float8
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
     SELECT to_char(days.day, 'YYYY-MM-DD') AS day, coalesce(sold.revenue, 0)::float8 AS "revenueCents",
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
    `SELECT p.id, p.title, p.status, count(*)::int AS sales, sum(o.price_cents)::float8 AS "revenueCents"
     FROM orders o JOIN products p ON p.id = o.product_id
     WHERE o.seller_id = $1 AND o.status = 'paid'
     GROUP BY p.id ORDER BY sum(o.price_cents) DESC, count(*) DESC, p.id LIMIT $2`,
    [sellerId, pageBounds({ limit }, 5).limit],
  );
}
