// Admin views across aggregates: user and product lists with what moderation needs, CSV export
// rows and the marketplace statistics.
import type { Queryable } from '../db/index.ts';
import { type ProductStatus, tryParseId } from '../domain/index.ts';
import { likePattern, type Page, type PageRequest, pageBounds } from './paging.ts';
import { SUSPENDED_SQL } from './users.ts';

export type AdminUserDetail = {
  id: number;
  username: string | null;
  firstName: string;
  lastName: string;
  language: string;
  suspended: boolean;
  suspendedUntil: Date | null;
  suspensionReason: string | null;
  /** The user blocked the bot or deleted their account (nothing reaches them); null when reachable. */
  botBlockedAt: Date | null;
  createdAt: Date;
  isSeller: boolean;
  sellerName: string | null;
  /** The seller account's email. */
  email: string | null;
  /** The seller email, else the latest one the user gave on a ticket. */
  contactEmail: string | null;
  payoutAddress: string | null;
  productsCount: number;
  /** As a seller: paid orders and what they earned. */
  salesCount: number;
  revenueCents: number;
  /** As a buyer: paid orders and what they cost (prices and fees). */
  purchasesCount: number;
  spentCents: number;
  storageBytes: number;
  ticketsCount: number;
};

const USER_DETAIL_SQL = `
  SELECT u.id, u.username, u.first_name AS "firstName", u.last_name AS "lastName", u.language,
    ${SUSPENDED_SQL} AS suspended, u.suspended_until AS "suspendedUntil", u.suspension_reason AS "suspensionReason",
    u.bot_blocked_at AS "botBlockedAt", u.created_at AS "createdAt", s.user_id IS NOT NULL AS "isSeller", s.name AS "sellerName", s.email,
    coalesce(s.email, (SELECT t.email FROM tickets t WHERE t.user_id = u.id AND t.email IS NOT NULL
                       ORDER BY t.created_at DESC LIMIT 1)) AS "contactEmail",
    s.payout_address AS "payoutAddress",
    (SELECT count(*) FROM products p WHERE p.seller_id = u.id AND p.status <> 'deleted')::int AS "productsCount",
    (SELECT count(*) FROM orders o WHERE o.seller_id = u.id AND o.status = 'paid')::int AS "salesCount",
    (SELECT coalesce(sum(o.price_cents), 0) FROM orders o WHERE o.seller_id = u.id AND o.status = 'paid')
      AS "revenueCents",
    (SELECT count(*) FROM orders o WHERE o.buyer_id = u.id AND o.status = 'paid')::int AS "purchasesCount",
    (SELECT coalesce(sum(o.total_cents), 0) FROM orders o WHERE o.buyer_id = u.id AND o.status = 'paid')
      AS "spentCents",
    (SELECT count(*) FROM tickets t WHERE t.user_id = u.id)::int AS "ticketsCount",
    (SELECT coalesce(sum(f.size_bytes), 0) FROM stored_files f WHERE f.owner_id = u.id AND f.deleted_at IS NULL)::int8
      AS "storageBytes"
  FROM users u LEFT JOIN seller_profiles s ON s.user_id = u.id`;

/** The admin user card: profile, seller account, sales, purchases, storage, suspension. */
export async function getAdminUserDetail(q: Queryable, userId: number): Promise<AdminUserDetail | null> {
  return q.maybeOne<AdminUserDetail>(`${USER_DETAIL_SQL} WHERE u.id = $1`, [userId]);
}

/** Users for the CSV export, newest first, with the same columns as the card. */
export async function exportUsers(q: Queryable, limit = 10_000): Promise<AdminUserDetail[]> {
  return q.many<AdminUserDetail>(`${USER_DETAIL_SQL} ORDER BY u.created_at DESC, u.id LIMIT $1`, [
    Math.max(1, Math.trunc(limit)),
  ]);
}

export type AdminProduct = {
  id: string;
  title: string;
  status: ProductStatus;
  priceCents: number;
  sellerId: number;
  sellerName: string;
  categorySlug: string;
  categoryNameFr: string;
  categoryNameEn: string;
  salesCount: number;
  viewsCount: number;
  banReason: string | null;
  createdAt: Date;
};

export interface AdminProductFilter extends PageRequest {
  /** A product id in any typed form, or words of the title or description. */
  search?: string;
  status?: ProductStatus;
  sellerId?: number;
}

const ADMIN_PRODUCT_COLUMNS = `
  p.id, p.title, p.status, p.price_cents AS "priceCents", p.seller_id AS "sellerId", s.name AS "sellerName",
  c.slug AS "categorySlug", c.name_fr AS "categoryNameFr", c.name_en AS "categoryNameEn", p.sales_count AS "salesCount", p.views_count AS "viewsCount",
  p.ban_reason AS "banReason", p.created_at AS "createdAt"`;

const ADMIN_PRODUCT_FROM = `
  products p JOIN seller_profiles s ON s.user_id = p.seller_id JOIN categories c ON c.id = p.category_id`;

/** One product of any status, with its seller, as an admin sees it. */
export async function getAdminProduct(q: Queryable, id: string): Promise<AdminProduct | null> {
  return q.maybeOne<AdminProduct>(
    `SELECT ${ADMIN_PRODUCT_COLUMNS} FROM ${ADMIN_PRODUCT_FROM} WHERE p.id = $1`,
    [id],
  );
}

/** Every status, newest first. */
export async function listAdminProducts(
  q: Queryable,
  filter: AdminProductFilter = {},
): Promise<Page<AdminProduct>> {
  const { limit, offset } = pageBounds(filter);
  const { where, values } = adminProductWhere(filter);
  const [items, count] = await Promise.all([
    q.many<AdminProduct>(
      `SELECT ${ADMIN_PRODUCT_COLUMNS} FROM ${ADMIN_PRODUCT_FROM} WHERE ${where}
       ORDER BY p.created_at DESC, p.id LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, limit, offset],
    ),
    q.one<{ total: number }>(`SELECT count(*)::int AS total FROM products p WHERE ${where}`, values),
  ]);
  return { items, total: count.total, limit, offset };
}

/** Products for the CSV export, newest first. */
export async function exportProducts(q: Queryable, limit = 10_000): Promise<AdminProduct[]> {
  return q.many<AdminProduct>(
    `SELECT ${ADMIN_PRODUCT_COLUMNS} FROM ${ADMIN_PRODUCT_FROM} ORDER BY p.created_at DESC, p.id LIMIT $1`,
    [Math.max(1, Math.trunc(limit))],
  );
}

function adminProductWhere(filter: AdminProductFilter): { where: string; values: unknown[] } {
  const clauses = ['true'];
  const values: unknown[] = [];
  const search = filter.search?.trim();
  if (search) {
    const id = tryParseId('product', search);
    values.push(likePattern(search));
    const text = `p.search_text LIKE search_normalize($${values.length})`;
    if (id) {
      values.push(id);
      clauses.push(`(p.id = $${values.length} OR ${text})`);
    } else {
      clauses.push(text);
    }
  }
  if (filter.status) {
    values.push(filter.status);
    clauses.push(`p.status = $${values.length}`);
  }
  if (filter.sellerId !== undefined) {
    values.push(filter.sellerId);
    clauses.push(`p.seller_id = $${values.length}`);
  }
  return { where: clauses.join(' AND '), values };
}

export type MarketplaceStats = {
  users: number;
  sellers: number;
  suspendedUsers: number;
  productsActive: number;
  productsBanned: number;
  /** Every product but deleted ones. */
  productsListed: number;
  paidOrders: number;
  /** What buyers paid on paid orders: prices plus fees. */
  grossCents: number;
  /** The platform's share. */
  feesCents: number;
  paidOrdersLast30Days: number;
  grossCentsLast30Days: number;
};

export async function getMarketplaceStats(q: Queryable): Promise<MarketplaceStats> {
  return q.one<MarketplaceStats>(
    `SELECT
       (SELECT count(*) FROM users)::int AS users,
       (SELECT count(*) FROM seller_profiles)::int AS sellers,
       (SELECT count(*) FROM users u WHERE ${SUSPENDED_SQL})::int AS "suspendedUsers",
       (SELECT count(*) FROM products WHERE status = 'active')::int AS "productsActive",
       (SELECT count(*) FROM products WHERE status = 'banned')::int AS "productsBanned",
       (SELECT count(*) FROM products WHERE status <> 'deleted')::int AS "productsListed",
       o.paid::int AS "paidOrders", o.gross AS "grossCents", o.fees AS "feesCents",
       o.paid_30::int AS "paidOrdersLast30Days", o.gross_30 AS "grossCentsLast30Days"
     FROM (
       SELECT count(*) AS paid, coalesce(sum(total_cents), 0) AS gross, coalesce(sum(fee_cents), 0) AS fees,
         count(*) FILTER (WHERE paid_at >= now() - interval '30 days') AS paid_30,
         coalesce(sum(total_cents) FILTER (WHERE paid_at >= now() - interval '30 days'), 0) AS gross_30
       FROM orders WHERE status = 'paid'
     ) o`,
  );
}
