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
  p.id, p.seller_id AS "sellerId", p.category_id AS "categoryId", p.title, p.description,
  p.price_cents AS "priceCents", p.status, p.ban_reason AS "banReason", p.banned_at AS "bannedAt",
  p.banned_by AS "bannedBy", p.deleted_at AS "deletedAt", p.main_file_id AS "mainFileId",
  p.cover_file_id AS "coverFileId", p.preview_file_id AS "previewFileId",
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
       c.emoji AS "categoryEmoji", f.original_name AS "fileName", f.size_bytes AS "fileSizeBytes"
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
  p.id, p.title, p.price_cents AS "priceCents", p.category_id AS "categoryId", p.seller_id AS "sellerId",
  s.name AS "sellerName", p.views_count AS "viewsCount", p.sales_count AS "salesCount",
  p.reviews_count + p.imported_reviews_count AS "reviewsCount", p.rating::float8 AS rating,
  p.cover_file_id AS "coverFileId", f.size_bytes AS "fileSizeBytes", p.created_at AS "createdAt"`;

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
  categoryId?: number;
}

/** ForeignKeyViolationError `products_category_id_fkey` for an unknown category. */
export async function updateProduct(q: Queryable, id: string, patch: ProductPatch): Promise<Product | null> {
  return q.maybeOne<Product>(
    `UPDATE products p SET title = coalesce($2, p.title), description = coalesce($3, p.description),
       price_cents = coalesce($4, p.price_cents), category_id = coalesce($5, p.category_id), updated_at = now()
     WHERE p.id = $1 RETURNING ${PRODUCT_COLUMNS}`,
    [id, patch.title ?? null, patch.description ?? null, patch.priceCents ?? null, patch.categoryId ?? null],
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

/**
 * Removes the row with its file versions and daily views (a product that never sold):
 * ForeignKeyViolationError `orders_product_id_fkey` when it has orders.
 */
export async function hardDeleteProduct(q: Queryable, id: string): Promise<boolean> {
  return (
    (await q.exec(
      `WITH versions AS (DELETE FROM product_file_versions WHERE product_id = $1),
         views AS (DELETE FROM product_daily_views WHERE product_id = $1)
       DELETE FROM products WHERE id = $1`,
      [id],
    )) === 1
  );
}

export async function productHasOrders(q: Queryable, id: string): Promise<boolean> {
  const row = await q.one<{ found: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM orders WHERE product_id = $1) AS found',
    [id],
  );
  return row.found;
}

/**
 * A detail view: the product's counter and its UTC day's count, in one statement. Not in the
 * viewer's transaction on purpose: a lost view is harmless.
 */
export async function incrementProductViews(q: Queryable, id: string): Promise<void> {
  await q.exec(
    `WITH counted AS (UPDATE products SET views_count = views_count + 1 WHERE id = $1 RETURNING id)
     INSERT INTO product_daily_views AS v (product_id, day, views)
     SELECT id, (now() AT TIME ZONE 'UTC')::date, 1 FROM counted
     ON CONFLICT (product_id, day) DO UPDATE SET views = v.views + 1`,
    [id],
  );
}
