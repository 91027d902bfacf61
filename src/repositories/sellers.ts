// Seller profiles: a user who sells (public name and bio, contact email, Solana payout address).
import type { Queryable } from '../db/index.ts';
import { SUSPENDED_SQL } from './users.ts';

export type SellerProfile = {
  userId: number;
  name: string;
  bio: string;
  email: string;
  payoutAddress: string;
  payoutAddressChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

const SELLER_COLUMNS = `
  s.user_id AS "userId", s.name, s.bio, s.email, s.payout_address AS "payoutAddress",
  s.payout_address_changed_at AS "payoutAddressChangedAt", s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

export interface NewSellerProfile {
  userId: number;
  name: string;
  email: string;
  payoutAddress: string;
  bio?: string;
}

/** UniqueViolationError: `seller_profiles_pkey` (already a seller) or `seller_profiles_email_key`. */
export async function createSellerProfile(q: Queryable, profile: NewSellerProfile): Promise<SellerProfile> {
  return q.one<SellerProfile>(
    `INSERT INTO seller_profiles AS s (user_id, name, bio, email, payout_address) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${SELLER_COLUMNS}`,
    [profile.userId, profile.name, profile.bio ?? '', profile.email, profile.payoutAddress],
  );
}

export async function getSellerProfile(q: Queryable, userId: number): Promise<SellerProfile | null> {
  return q.maybeOne<SellerProfile>(`SELECT ${SELLER_COLUMNS} FROM seller_profiles s WHERE s.user_id = $1`, [
    userId,
  ]);
}

export interface SellerProfilePatch {
  name?: string;
  bio?: string;
  email?: string;
  payoutAddress?: string;
}

/**
 * Changes the given fields only. A new payout address stamps `payoutAddressChangedAt`
 * (the same address typed again does not). Null when the seller does not exist.
 */
export async function updateSellerProfile(
  q: Queryable,
  userId: number,
  patch: SellerProfilePatch,
): Promise<SellerProfile | null> {
  return q.maybeOne<SellerProfile>(
    `UPDATE seller_profiles s SET
       name = coalesce($2, s.name), bio = coalesce($3, s.bio), email = coalesce($4, s.email),
       payout_address = coalesce($5, s.payout_address),
       payout_address_changed_at = CASE WHEN $5::text IS DISTINCT FROM NULL AND $5 <> s.payout_address
                                        THEN now() ELSE s.payout_address_changed_at END,
       updated_at = now()
     WHERE s.user_id = $1 RETURNING ${SELLER_COLUMNS}`,
    [userId, patch.name ?? null, patch.bio ?? null, patch.email ?? null, patch.payoutAddress ?? null],
  );
}

export type StorefrontHeader = {
  sellerId: number;
  name: string;
  bio: string;
  activeProducts: number;
  /** Paid sales over the seller's active products. */
  salesCount: number;
  /** Weighted over every review of the active products; null without any. */
  rating: number | null;
  reviewsCount: number;
  memberSince: Date;
};

/** The top of `?start=shop_<id>`: null for an unknown seller (or one who is suspended). */
export async function getStorefrontHeader(q: Queryable, sellerId: number): Promise<StorefrontHeader | null> {
  return q.maybeOne<StorefrontHeader>(
    `SELECT s.user_id AS "sellerId", s.name, s.bio, s.created_at AS "memberSince",
       count(p.id)::int AS "activeProducts", coalesce(sum(p.sales_count), 0)::int AS "salesCount",
       coalesce(sum(p.reviews_count + p.imported_reviews_count), 0)::int AS "reviewsCount",
       round(sum(p.rating_sum + p.imported_rating_avg * p.imported_reviews_count)
             / nullif(sum(p.reviews_count + p.imported_reviews_count), 0), 2)::float8 AS rating
     FROM seller_profiles s
     JOIN users u ON u.id = s.user_id
     LEFT JOIN products p ON p.seller_id = s.user_id AND p.status = 'active'
     WHERE s.user_id = $1 AND NOT ${SUSPENDED_SQL}
     GROUP BY s.user_id`,
    [sellerId],
  );
}

/**
 * The seller whose Telegram @username this is, any case. Usernames move between accounts and
 * the table may keep a stale one: the most recently refreshed account wins.
 */
export async function findSellerIdByUsername(q: Queryable, username: string): Promise<number | null> {
  const row = await q.maybeOne<{ id: number }>(
    `SELECT s.user_id AS id FROM users u JOIN seller_profiles s ON s.user_id = u.id
     WHERE lower(u.username) = lower($1) ORDER BY u.updated_at DESC, u.id LIMIT 1`,
    [username],
  );
  return row?.id ?? null;
}
